import type {
  CreateAliasCommandInput,
  CreateKeyCommandInput,
  DescribeKeyCommandInput,
  KeyMetadata,
  ListAliasesCommandInput,
} from "@aws-sdk/client-kms";
import { SimApiError } from "./errors";
import type { SimKey } from "./state";
import type { CallContext, SimWorld } from "./world";

/** Creates a symmetric customer managed key in the region, optionally with an alias ("alias/x" or "x"). */
export function createKey(
  world: SimWorld,
  region: string,
  options: { alias?: string; description?: string } = {},
): SimKey {
  const state = world.region(region);
  const keyId = world.ids.uuid();
  const key: SimKey = {
    keyId,
    arn: `arn:aws:kms:${region}:${world.accountId}:key/${keyId}`,
    description: options.description ?? "",
    creationDate: world.clock.now(),
    managedBy: "CUSTOMER",
  };
  state.keys.set(keyId, key);
  if (options.alias) createAlias(world, region, options.alias, keyId);
  return key;
}

function createAlias(world: SimWorld, region: string, alias: string, keyId: string): void {
  const state = world.region(region);
  const name = alias.startsWith("alias/") ? alias : `alias/${alias}`;
  if (name.startsWith("alias/aws/"))
    throw new SimApiError("NotAuthorizedException", "Alias names starting with alias/aws/ are reserved.");
  if (state.aliases.has(name))
    throw new SimApiError("AlreadyExistsException", `An alias with the name ${name} already exists`);
  state.aliases.set(name, keyId);
}

/**
 * Resolves a key reference (key id, key ARN, alias name, alias ARN) in one region. A reference to
 * another region's key resolves to nothing: KMS keys are regional.
 */
export function resolveKey(world: SimWorld, region: string, reference: string): SimKey | undefined {
  const state = world.region(region);
  let resource = reference;
  if (reference.startsWith("arn:")) {
    const arn = /^arn:aws:kms:([^:]+):(\d{12}):((?:key|alias)\/.+)$/.exec(reference);
    if (!arn || arn[1] !== region || arn[2] !== world.accountId) return undefined;
    resource = arn[3] as string;
  }
  if (resource.startsWith("alias/")) {
    const keyId = state.aliases.get(resource);
    return keyId === undefined ? undefined : state.keys.get(keyId);
  }
  return state.keys.get(resource.replace(/^key\//, ""));
}

/** The AWS managed key aws/ebs of the region, created on first use as EBS does. */
export function defaultEbsKey(world: SimWorld, region: string): SimKey {
  const state = world.region(region);
  const existing = state.aliases.get("alias/aws/ebs");
  const found = existing === undefined ? undefined : state.keys.get(existing);
  if (found) return found;
  const key = createKey(world, region, {
    description: "Default key that protects my EBS volumes when no other key is defined",
  });
  key.managedBy = "AWS";
  state.aliases.set("alias/aws/ebs", key.keyId);
  return key;
}

function metadata(world: SimWorld, key: SimKey): KeyMetadata {
  return {
    AWSAccountId: world.accountId,
    KeyId: key.keyId,
    Arn: key.arn,
    CreationDate: key.creationDate,
    Enabled: true,
    Description: key.description,
    KeyUsage: "ENCRYPT_DECRYPT",
    KeyState: "Enabled",
    Origin: "AWS_KMS",
    KeyManager: key.managedBy,
    KeySpec: "SYMMETRIC_DEFAULT",
    CustomerMasterKeySpec: "SYMMETRIC_DEFAULT",
    EncryptionAlgorithms: ["SYMMETRIC_DEFAULT"],
    MultiRegion: false,
  };
}

/** KMS operations answered by the simulated account. */
export const kmsHandlers = {
  CreateKey(world: SimWorld, call: CallContext, input: CreateKeyCommandInput) {
    return {
      KeyMetadata: metadata(world, createKey(world, call.region, { description: input.Description })),
    };
  },
  CreateAlias(world: SimWorld, call: CallContext, input: CreateAliasCommandInput) {
    const key = resolveKey(world, call.region, input.TargetKeyId ?? "");
    if (!key) throw new SimApiError("NotFoundException", `Key '${input.TargetKeyId}' does not exist`);
    createAlias(world, call.region, input.AliasName ?? "", key.keyId);
    return {};
  },
  DescribeKey(world: SimWorld, call: CallContext, input: DescribeKeyCommandInput) {
    const key = resolveKey(world, call.region, input.KeyId ?? "");
    if (!key) throw new SimApiError("NotFoundException", `Key '${input.KeyId}' does not exist`);
    return { KeyMetadata: metadata(world, key) };
  },
  ListAliases(world: SimWorld, call: CallContext, input: ListAliasesCommandInput) {
    const state = world.region(call.region);
    const wantedKey =
      input.KeyId === undefined ? undefined : resolveKey(world, call.region, input.KeyId)?.keyId;
    if (input.KeyId !== undefined && wantedKey === undefined) {
      throw new SimApiError("NotFoundException", `Key '${input.KeyId}' does not exist`);
    }
    const all = [...state.aliases]
      .filter(([, keyId]) => wantedKey === undefined || keyId === wantedKey)
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([AliasName, TargetKeyId]) => ({
        AliasName,
        AliasArn: `arn:aws:kms:${call.region}:${world.accountId}:${AliasName}`,
        TargetKeyId,
      }));
    const start = input.Marker ? Number(input.Marker) : 0;
    const limit = input.Limit ?? 100;
    const page = all.slice(start, start + limit);
    const truncated = start + limit < all.length;
    return {
      Aliases: page,
      Truncated: truncated,
      ...(truncated ? { NextMarker: String(start + limit) } : {}),
    };
  },
};
