import type { CopyImageCommandInput, Tag } from "@aws-sdk/client-ec2";
import { SimApiError } from "../errors";
import { defaultEbsKey, resolveKey } from "../kms";
import type { SimBlockDevice } from "../state";
import type { CallContext, SimWorld } from "../world";
import {
  applyTags,
  assertImageName,
  isReservedTagKey,
  rejectDryRun,
  requireImage,
  tagsFromSpecifications,
} from "./common";
import { assertImageCanBeMade, newImage, newSnapshot } from "./images";
import { inheritedWatermarks } from "./watermarks";

/** Default number of concurrent copies EC2 allows into one destination region (EC2 User Guide, "Copy an AMI"). */
export const DEFAULT_CONCURRENT_COPY_QUOTA = 100;

/** A stable fingerprint of the request parameters that ClientToken idempotency compares. */
function fingerprint(input: CopyImageCommandInput): string {
  const { ClientToken: _token, DryRun: _dryRun, ...rest } = input;
  return JSON.stringify(canonical(rest));
}

/**
 * The value with every object's keys in order, at every depth: a key list given to JSON.stringify would
 * also filter nested objects (tags would compare as `{}`).
 */
function canonical(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonical);
  if (value === null || typeof value !== "object" || value instanceof Date) return value;
  const entries = Object.entries(value).sort(([left], [right]) => left.localeCompare(right));
  return Object.fromEntries(entries.map(([key, inner]) => [key, canonical(inner)]));
}

/**
 * Where the copy's KMS key points. A key that does not exist in the destination region is not an API
 * error: the copy is created pending and fails later (EC2 User Guide, "Copy an AMI", encryption).
 */
function resolveCopyKey(
  world: SimWorld,
  destination: string,
  input: CopyImageCommandInput,
  sourceEncrypted: boolean,
): { encrypted: boolean; kmsKeyId?: string; failure?: { code: string; message: string } } {
  if (input.KmsKeyId !== undefined && !input.Encrypted) {
    throw new SimApiError("InvalidParameterCombination", "KmsKeyId requires Encrypted to be true.");
  }
  const encrypted = Boolean(input.Encrypted) || sourceEncrypted;
  if (!encrypted) return { encrypted: false };
  if (input.KmsKeyId === undefined) return { encrypted, kmsKeyId: defaultEbsKey(world, destination).arn };
  const key = resolveKey(world, destination, input.KmsKeyId);
  if (key) return { encrypted, kmsKeyId: key.arn };
  const otherRegion = /^arn:aws:kms:([^:]+):/.exec(input.KmsKeyId)?.[1];
  const message =
    otherRegion !== undefined && otherRegion !== destination
      ? "The KMS key provided is not in the destination Region."
      : `The KMS key provided does not exist: ${input.KmsKeyId}`;
  return { encrypted, kmsKeyId: input.KmsKeyId, failure: { code: "Client.InvalidKMSKey.NotFound", message } };
}

/** EC2 CopyImage, called in the destination region. */
export const copyHandlers = {
  CopyImage(world: SimWorld, call: CallContext, input: CopyImageCommandInput) {
    rejectDryRun(input);
    const destination = world.region(call.region);
    if (!input.SourceRegion || !input.SourceImageId || !input.Name) {
      throw new SimApiError("MissingParameter", "SourceRegion, SourceImageId and Name are required.");
    }
    const tokenKey = input.ClientToken ? `CopyImage:${input.ClientToken}` : undefined;
    const previous = tokenKey ? destination.clientTokens.get(tokenKey) : undefined;
    if (previous) {
      if (previous.fingerprint !== fingerprint(input)) {
        throw new SimApiError(
          "IdempotentParameterMismatch",
          "The client token was already used with different parameters.",
        );
      }
      world.emitCloudTrail(call, "CopyImage", input, previous.imageId);
      return { ImageId: previous.imageId };
    }
    if (!world.regions.has(input.SourceRegion)) {
      throw new SimApiError("InvalidParameterValue", `Invalid source region: ${input.SourceRegion}`);
    }
    // An image shared with the account (simulated organization) can be copied like its own (no tags: consumers cannot see them).
    const foreign = world.organization?.usableImage(world, input.SourceRegion, String(input.SourceImageId));
    const source = foreign ?? requireImage(world.region(input.SourceRegion), input.SourceImageId);
    if (source.state !== "available") {
      throw new SimApiError(
        "IncorrectState",
        `Image '${source.imageId}' is not in the 'available' state (it is '${source.state}').`,
      );
    }
    const name = assertImageName(destination, input.Name);
    const specified = tagsFromSpecifications(input.TagSpecifications);
    const inFlight = [...destination.images.values()].filter(
      (image) => image.origin === "CopyImage" && image.state === "pending",
    ).length;
    if (inFlight >= world.copyQuota) {
      throw new SimApiError(
        "ResourceLimitExceeded",
        `You have reached the limit of ${world.copyQuota} concurrent AMI copies in ${call.region}.`,
      );
    }
    // CopyImageTags copies user-defined tags only; aws: system tags stay behind.
    const copiedTags: Tag[] =
      input.CopyImageTags && !foreign
        ? [...source.tags].filter(([key]) => !isReservedTagKey(key)).map(([Key, Value]) => ({ Key, Value }))
        : [];
    const imageTags = [...copiedTags, ...specified.image];
    // Every check comes before anything is allocated (the default EBS key, the image id, snapshots): a
    // refused request has no effect, so it must not draw from the id source or leave a key or snapshot.
    assertImageCanBeMade(world, call.region, { image: imageTags, snapshot: specified.snapshot });
    const sourceEncrypted = source.blockDevices.some((device) => device.encrypted);
    const key = resolveCopyKey(world, call.region, input, sourceEncrypted);
    const image = newImage(
      world,
      call,
      {
        name,
        description: input.Description ?? source.description,
        origin: "CopyImage",
        blockDevices: [],
        rootDeviceName: source.rootDeviceName,
        architecture: source.architecture,
        sourceImageId: source.imageId,
        sourceImageRegion: source.region,
        ...inheritedWatermarks(source),
        ...(key.failure ? { plannedFailure: key.failure } : {}),
      },
      world.durations.copyImageMs,
    );
    image.blockDevices = source.blockDevices.map((device): SimBlockDevice => {
      const snapshot = newSnapshot(
        world,
        call.region,
        {
          volumeSize: device.volumeSize,
          encrypted: key.encrypted,
          ...(key.kmsKeyId ? { kmsKeyId: key.kmsKeyId } : {}),
          description: `Copied for DestinationAmi ${image.imageId} from SourceAmi ${source.imageId} for SourceSnapshot ${device.snapshotId}`,
        },
        specified.snapshot,
      );
      return { ...device, snapshotId: snapshot.snapshotId, encrypted: key.encrypted, kmsKeyId: key.kmsKeyId };
    });
    applyTags(image.tags, imageTags);
    destination.images.set(image.imageId, image);
    if (tokenKey)
      destination.clientTokens.set(tokenKey, { fingerprint: fingerprint(input), imageId: image.imageId });
    world.emitCloudTrail(call, "CopyImage", input, image.imageId);
    return { ImageId: image.imageId };
  },
};
