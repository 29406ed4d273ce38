import type {
  CreateTagsCommandInput,
  DeleteSnapshotCommandInput,
  DeleteTagsCommandInput,
  DeregisterImageCommandInput,
  DisableImageCommandInput,
  DisableImageDeprecationCommandInput,
  DisableImageDeregistrationProtectionCommandInput,
  EnableImageCommandInput,
  EnableImageDeprecationCommandInput,
  EnableImageDeregistrationProtectionCommandInput,
} from "@aws-sdk/client-ec2";
import { SimApiError } from "../errors";
import type { RegionState, SimImage } from "../state";
import type { CallContext, SimWorld } from "../world";
import {
  applyTags,
  assertNotReservedTagKey,
  isReservedTagKey,
  rejectDryRun,
  requireImage,
  requireSnapshot,
  validateUserTags,
} from "./common";
import { assertDeprecateAtInRange, assertDeprecationCancellable } from "./deprecation-limits";
import { binDeregisteredImage, deleteOrBinSnapshot } from "./recycle-bin";

const MINUTE_MS = 60_000;
const DAY_MS = 24 * 60 * MINUTE_MS;

/** The registered image (any state but deregistered) that uses the snapshot, if any. */
function imageUsingSnapshot(region: RegionState, snapshotId: string, except?: string): string | undefined {
  for (const image of region.images.values()) {
    if (image.imageId === except || image.state === "deregistered") continue;
    if (image.blockDevices.some((device) => device.snapshotId === snapshotId)) return image.imageId;
  }
  return undefined;
}

/**
 * DisableImage and EnableImage: the image must be in `from` (IncorrectState otherwise); it moves to `to`
 * and EC2 emits the state change event (`disabled`, or `available` again).
 */
function switchImageState(
  world: SimWorld,
  call: CallContext,
  imageId: string | undefined,
  from: "available" | "disabled",
  to: "available" | "disabled",
): SimImage {
  const image = requireImage(world.region(call.region), imageId);
  if (image.state !== from) {
    throw new SimApiError(
      "IncorrectState",
      `Image '${image.imageId}' is '${image.state}'; only ${from} images can be ${to === "disabled" ? "disabled" : "enabled"}.`,
    );
  }
  image.state = to;
  world.emitStateChange(image, to, world.clock.nowMs());
  return image;
}

/** Resolves CreateTags/DeleteTags resources, all or nothing, before any change. */
function taggableResources(region: RegionState, resources: readonly string[]) {
  return resources.map((id) => {
    if (id.startsWith("ami-")) return requireImage(region, id).tags;
    if (id.startsWith("snap-")) return requireSnapshot(region, id).tags;
    throw new SimApiError(
      "InvalidID",
      `The ID '${id}' is not valid (the simulated account tags images and snapshots).`,
    );
  });
}

/**
 * CloudTrail's record of a tagging call, in its Query-API shape: `resourcesSet.items[].resourceId` and
 * `tagSet.items[].{key, value}` (a DeleteTags that names no tags has no tag items).
 */
function recordTagCall(
  world: SimWorld,
  call: CallContext,
  eventName: "CreateTags" | "DeleteTags",
  input: CreateTagsCommandInput | DeleteTagsCommandInput,
): void {
  if (!world.recordTagCalls) return;
  const tags = input.Tags ?? [];
  world.emitCloudTrailCall(
    call,
    eventName,
    {
      resourcesSet: { items: (input.Resources ?? []).map((resourceId) => ({ resourceId })) },
      ...(tags.length > 0
        ? {
            tagSet: {
              items: tags.map((tag) => ({
                key: tag.Key,
                ...(tag.Value !== undefined ? { value: tag.Value } : {}),
              })),
            },
          }
        : {}),
    },
    { requestId: call.requestId, _return: true },
  );
}

/** EC2 operations that tag, retire or protect images and snapshots. */
export const lifecycleHandlers = {
  DeregisterImage(world: SimWorld, call: CallContext, input: DeregisterImageCommandInput) {
    rejectDryRun(input);
    const region = world.region(call.region);
    const image = requireImage(region, input.ImageId);
    const blockedUntil = image.protection.blockedUntil ?? 0;
    if (image.protection.enabled || blockedUntil > world.clock.nowMs()) {
      // Error code inferred (AWS documents the behaviour, not the code); handle it as a client error.
      throw new SimApiError(
        "OperationNotPermitted",
        `The image ${image.imageId} has deregistration protection enabled.`,
      );
    }
    image.state = "deregistered";
    image.readyAt = undefined;
    // Recycle Bin rules match at deregistration time, on the tags the image has now.
    binDeregisteredImage(world, region, image);
    world.emitStateChange(image, "deregistered", world.clock.nowMs());
    if (!input.DeleteAssociatedSnapshots) return { Return: true };
    const results = image.blockDevices.map((device) => {
      // EC2 deletes each snapshot with the caller's permissions and reports the ones it may not delete.
      if (call.undeletableSnapshots?.has(device.snapshotId)) {
        return { SnapshotId: device.snapshotId, ReturnCode: "missing-permissions" as const };
      }
      // A snapshot another image still uses is kept: "skipped" (DeleteSnapshotReturnCode, EC2 API reference).
      if (imageUsingSnapshot(region, device.snapshotId, image.imageId)) {
        return { SnapshotId: device.snapshotId, ReturnCode: "skipped" as const };
      }
      const snapshot = region.snapshots.get(device.snapshotId);
      if (snapshot) deleteOrBinSnapshot(world, region, snapshot);
      return { SnapshotId: device.snapshotId, ReturnCode: "success" as const };
    });
    return { Return: true, DeleteSnapshotResults: results };
  },

  DeleteSnapshot(world: SimWorld, call: CallContext, input: DeleteSnapshotCommandInput) {
    rejectDryRun(input);
    const region = world.region(call.region);
    const snapshot = requireSnapshot(region, input.SnapshotId);
    const user = imageUsingSnapshot(region, snapshot.snapshotId);
    if (user) {
      throw new SimApiError(
        "InvalidSnapshot.InUse",
        `The snapshot ${snapshot.snapshotId} is currently in use by ${user}`,
      );
    }
    deleteOrBinSnapshot(world, region, snapshot);
    return {};
  },

  EnableImageDeprecation(world: SimWorld, call: CallContext, input: EnableImageDeprecationCommandInput) {
    rejectDryRun(input);
    const image = requireImage(world.region(call.region), input.ImageId);
    const requested = input.DeprecateAt?.getTime();
    if (requested === undefined || Number.isNaN(requested))
      throw new SimApiError("MissingParameter", "DeprecateAt is required.");
    assertDeprecateAtInRange(image, requested, world.clock.nowMs());
    // "If you specify a value for seconds, Amazon EC2 rounds the seconds to the nearest minute."
    image.deprecationTime = new Date(Math.round(requested / MINUTE_MS) * MINUTE_MS).toISOString();
    return { Return: true };
  },

  DisableImageDeprecation(world: SimWorld, call: CallContext, input: DisableImageDeprecationCommandInput) {
    rejectDryRun(input);
    const image = requireImage(world.region(call.region), input.ImageId);
    assertDeprecationCancellable(image);
    image.deprecationTime = undefined;
    return { Return: true };
  },

  DisableImage(world: SimWorld, call: CallContext, input: DisableImageCommandInput) {
    rejectDryRun(input);
    const image = switchImageState(world, call, input.ImageId, "available", "disabled");
    // DisableImage removes every launch permission; EnableImage does not give them back (aws-facts §5).
    image.launchPermissions = [];
    return { Return: true };
  },

  EnableImage(world: SimWorld, call: CallContext, input: EnableImageCommandInput) {
    rejectDryRun(input);
    switchImageState(world, call, input.ImageId, "disabled", "available");
    return { Return: true };
  },

  EnableImageDeregistrationProtection(
    world: SimWorld,
    call: CallContext,
    input: EnableImageDeregistrationProtectionCommandInput,
  ) {
    rejectDryRun(input);
    const image = requireImage(world.region(call.region), input.ImageId);
    image.protection = { enabled: true, withCooldown: Boolean(input.WithCooldown) };
    return { Return: image.protection.withCooldown ? "enabled-with-cooldown" : "enabled" };
  },

  DisableImageDeregistrationProtection(
    world: SimWorld,
    call: CallContext,
    input: DisableImageDeregistrationProtectionCommandInput,
  ) {
    rejectDryRun(input);
    const image = requireImage(world.region(call.region), input.ImageId);
    const cooldown = image.protection.enabled && image.protection.withCooldown;
    // With cooldown, the image stays protected for 24 hours after protection is disabled; disabling again
    // while that runs does not end it early.
    const running = image.protection.enabled ? undefined : image.protection.blockedUntil;
    const blockedUntil = cooldown ? world.clock.nowMs() + DAY_MS : running;
    image.protection = {
      enabled: false,
      withCooldown: false,
      ...(blockedUntil !== undefined ? { blockedUntil } : {}),
    };
    return { Return: "disabled" };
  },

  CreateTags(world: SimWorld, call: CallContext, input: CreateTagsCommandInput) {
    rejectDryRun(input);
    const tags = input.Tags ?? [];
    validateUserTags(tags);
    const targets = taggableResources(world.region(call.region), input.Resources ?? []);
    for (const target of targets) applyTags(new Map(target), tags);
    for (const target of targets) applyTags(target, tags);
    recordTagCall(world, call, "CreateTags", input);
    return {};
  },

  DeleteTags(world: SimWorld, call: CallContext, input: DeleteTagsCommandInput) {
    rejectDryRun(input);
    // The Tag type's key "May not begin with aws:" for DeleteTags as for CreateTags (EC2 API reference,
    // Tag); checked for every tag before any is deleted, so a refused request deletes nothing.
    for (const tag of input.Tags ?? []) if (tag.Key) assertNotReservedTagKey(tag.Key);
    const targets = taggableResources(world.region(call.region), input.Resources ?? []);
    for (const target of targets) {
      // "If you omit this parameter, we delete all user-defined tags ... We do not delete AWS-generated
      // tags (tags that have the aws: prefix)" (EC2 API reference, DeleteTags, Tag.N).
      if (!input.Tags) for (const key of [...target.keys()]) if (!isReservedTagKey(key)) target.delete(key);
      for (const tag of input.Tags ?? []) {
        // A tag given with a value is deleted only when the value matches.
        if (tag.Key && (tag.Value === undefined || target.get(tag.Key) === tag.Value)) target.delete(tag.Key);
      }
    }
    recordTagCall(world, call, "DeleteTags", input);
    return {};
  },
};
