import {
  type Config,
  copyKeyConsumers,
  copyKeyPolicyDocument,
  type HandlerName,
  handlerActions,
  type KeyConsumers,
  parseKeyRef,
  stackManagedKeyAlias,
} from "@ami-lifecycle/core";

/** Key policy statements for the sharing consumers (kept here for the infra tests that import it). */
export { consumerStatements } from "@ami-lifecycle/core";

import { regionLabel } from "./config";
import type { Functions } from "./functions";
import { handlerLabel, policyFor } from "./iam";
import type { RegionPlacement } from "./regions";

/**
 * The KMS keys copies are encrypted with, one per destination region and configured key. A
 * `kmsKeyId` of `alias/ami-lifecycle` (or its alias ARN) asks the stack to create a symmetric key with
 * rotation and that alias in the region; any other value names an existing key, only granted in IAM
 * (its owner must let this account's IAM policies use it).
 */
export function createCopyKeys(input: {
  config: Config;
  accountId: $util.Output<string>;
  partition: $util.Output<string>;
  placement: RegionPlacement;
  functions: Functions;
  copyDestinationRegions: string[];
  production: boolean;
}) {
  const { config, accountId, partition, placement, functions, production } = input;
  const copyingHandlers = (Object.keys(handlerActions) as HandlerName[]).filter((handler) =>
    (handlerActions[handler] as readonly string[]).includes("useCopyKeys"),
  );

  const created = new Map<string, { key: aws.kms.Key; alias: aws.kms.Alias }>();
  const keyArns = new Map<string, $util.Output<string>>();

  for (const family of config.families) {
    for (const { region, kmsKeyId } of family.copyTo) {
      const id = `${region} ${kmsKeyId}`;
      if (keyArns.has(id)) continue;
      const ref = parseKeyRef(kmsKeyId);
      // Deleting a copy key makes every copy encrypted with it unusable: production keeps its keys.
      const options = { ...placement.inRegion(region), retainOnDelete: production };
      switch (ref.kind) {
        case "stackManaged": {
          const label = regionLabel(region);
          const key = new aws.kms.Key(
            `CopyKey${label}`,
            {
              description: `ami-lifecycle: encrypts image copies in ${region}`,
              keyUsage: "ENCRYPT_DECRYPT",
              customerMasterKeySpec: "SYMMETRIC_DEFAULT",
              enableKeyRotation: true,
              policy: copyKeyPolicy({
                region,
                accountId,
                partition,
                consumers: copyKeyConsumers(config, region),
              }),
            },
            options,
          );
          const alias = new aws.kms.Alias(
            `CopyKeyAlias${label}`,
            { name: stackManagedKeyAlias, targetKeyId: key.keyId },
            options,
          );
          created.set(region, { key, alias });
          keyArns.set(id, key.arn);
          break;
        }
        case "keyArn":
          keyArns.set(id, $output(ref.arn));
          break;
        case "keyId":
          keyArns.set(id, $interpolate`arn:${partition}:kms:${region}:${accountId}:key/${ref.keyId}`);
          break;
        case "alias":
          // IAM can't name a key by alias: look the key up in its region at deploy time.
          keyArns.set(
            id,
            aws.kms.getAliasOutput({ name: ref.name }, placement.inRegion(region)).targetKeyArn,
          );
          break;
      }
    }
  }

  const copyKeyArns = [...keyArns.values()];
  const grants =
    copyKeyArns.length === 0
      ? []
      : copyingHandlers.map(
          (handler) =>
            new aws.iam.RolePolicy(`${handlerLabel(handler)}CopyKeysPolicy`, {
              role: functions.handlers[handler].role.name,
              policy: policyFor(["useCopyKeys"], {
                copyKeyArns,
                copyDestinationRegions: input.copyDestinationRegions,
              }),
            }),
        );

  return { created, copyKeyArns, grants };
}

/** Policy of a key the stack creates (`copyKeyPolicyDocument`: the simulated account evaluates the same one). */
function copyKeyPolicy(input: {
  region: string;
  accountId: $util.Output<string>;
  partition: $util.Output<string>;
  /** the families' sharing consumers, who launch the encrypted copies */
  consumers: KeyConsumers;
}): $util.Output<string> {
  return $jsonStringify(
    $resolve({ accountId: input.accountId, partition: input.partition }).apply(({ accountId, partition }) =>
      copyKeyPolicyDocument({ region: input.region, accountId, partition, consumers: input.consumers }),
    ),
  );
}
