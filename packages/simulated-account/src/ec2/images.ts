import type {
  CreateImageCommandInput,
  CreateRestoreImageTaskCommandInput,
  Image,
  RegisterImageCommandInput,
  Tag,
} from "@aws-sdk/client-ec2";
import { SimApiError } from "../errors";
import { isWellFormedId } from "../ids";
import type { SimBlockDevice, SimImage, SimSnapshot } from "../state";
import type { CallContext, SimWorld } from "../world";
import {
  applyTags,
  assertImageName,
  rejectDryRun,
  requireSnapshot,
  tagsFromSpecifications,
  toTagList,
} from "./common";
import { binnedImages } from "./recycle-bin";
import { inheritedWatermarks, renderWatermark } from "./watermarks";

/** Renders an image as DescribeImages returns it. */
export function renderImage(world: SimWorld, image: SimImage): Image {
  const rendered: Image = {
    ImageId: image.imageId,
    ImageLocation: `${world.accountId}/${image.name}`,
    State: image.state,
    OwnerId: world.accountId,
    CreationDate: image.creationDate,
    Public: image.launchPermissions.includes("group:all"),
    Architecture: image.architecture as Image["Architecture"],
    ImageType: "machine",
    Name: image.name,
    RootDeviceType: "ebs",
    RootDeviceName: image.rootDeviceName,
    VirtualizationType: "hvm",
    Hypervisor: "xen",
    EnaSupport: true,
    BlockDeviceMappings: image.blockDevices.map((device) => ({
      DeviceName: device.deviceName,
      Ebs: {
        SnapshotId: device.snapshotId,
        VolumeSize: device.volumeSize,
        VolumeType: device.volumeType as "gp3",
        Encrypted: device.encrypted,
        DeleteOnTermination: device.deleteOnTermination,
        ...(device.kmsKeyId ? { KmsKeyId: device.kmsKeyId } : {}),
      },
    })),
    DeregistrationProtection: protectionLabel(world, image),
  };
  if (image.description !== undefined) rendered.Description = image.description;
  // EC2 omits an empty tag set rather than returning [].
  if (image.tags.size > 0) rendered.Tags = toTagList(image.tags);
  if (image.stateReason) rendered.StateReason = { ...image.stateReason };
  if (image.deprecationTime) rendered.DeprecationTime = image.deprecationTime;
  if (image.sourceImageId) rendered.SourceImageId = image.sourceImageId;
  if (image.sourceImageRegion) rendered.SourceImageRegion = image.sourceImageRegion;
  if (image.lastLaunchedTime) rendered.LastLaunchedTime = image.lastLaunchedTime;
  if (image.watermarks?.length) rendered.ImageWatermarks = image.watermarks.map(renderWatermark);
  return rendered;
}

function protectionLabel(world: SimWorld, image: SimImage): string {
  if (image.protection.enabled) return image.protection.withCooldown ? "enabled-with-cooldown" : "enabled";
  const until = image.protection.blockedUntil;
  if (until !== undefined && until > world.clock.nowMs())
    return `disabled-until-${new Date(until).toISOString()}`;
  return "disabled";
}

/**
 * The per-region AMI quota counts every registered image and every image in the Recycle Bin (aws-facts §5).
 * The error code is inferred (EC2 documents the quota, not the code); like the copy quota, ResourceLimitExceeded.
 */
function assertAmiQuota(world: SimWorld, region: string): void {
  const registered = world.registeredImages(region).length;
  const binned = binnedImages(world.region(region)).length;
  if (registered + binned >= world.amiQuota) {
    throw new SimApiError(
      "ResourceLimitExceeded",
      `You have reached the quota of ${world.amiQuota} AMIs in ${region} (images in the Recycle Bin count).`,
    );
  }
}

/**
 * The checks an image-creating call makes before it allocates anything (snapshots, the image id): the
 * tags fit on the image and on each snapshot (50 per resource) and the region's AMI quota has room. A
 * refused request has no effect, so none of it may be left behind.
 */
export function assertImageCanBeMade(
  world: SimWorld,
  region: string,
  tags: { image: readonly Tag[]; snapshot: readonly Tag[] },
): void {
  applyTags(new Map(), tags.image);
  applyTags(new Map(), tags.snapshot);
  assertAmiQuota(world, region);
}

/** Builds a pending image with defaults; the caller stores it. */
export function newImage(
  world: SimWorld,
  call: CallContext,
  fields: Pick<SimImage, "name" | "origin" | "blockDevices"> & Partial<SimImage>,
  readyInMs: number,
): SimImage {
  assertAmiQuota(world, call.region);
  return {
    imageId: world.ids.resourceId("ami"),
    region: call.region,
    state: "pending",
    creationDate: world.isoNow(),
    tags: new Map(),
    rootDeviceName: "/dev/xvda",
    architecture: "x86_64",
    protection: { enabled: false, withCooldown: false },
    requestId: call.requestId,
    launchPermissions: [],
    sequence: world.nextSequence(),
    readyAt: world.clock.nowMs() + readyInMs,
    ...fields,
  };
}

/** Creates a pending snapshot in the call's region. */
export function newSnapshot(
  world: SimWorld,
  region: string,
  fields: Pick<SimSnapshot, "volumeSize" | "encrypted" | "description"> & { kmsKeyId?: string },
  tags: readonly Tag[],
): SimSnapshot {
  const snapshot: SimSnapshot = {
    snapshotId: world.ids.resourceId("snap"),
    region,
    state: "pending",
    startTime: world.clock.now(),
    tags: new Map(),
    sequence: world.nextSequence(),
    ...fields,
  };
  applyTags(snapshot.tags, tags);
  world.region(region).snapshots.set(snapshot.snapshotId, snapshot);
  return snapshot;
}

/** Stores a new image with its tags and records the CloudTrail event of the call that made it. */
function register(world: SimWorld, call: CallContext, image: SimImage, tags: readonly Tag[], input: object) {
  applyTags(image.tags, tags);
  world.region(call.region).images.set(image.imageId, image);
  world.emitCloudTrail(call, image.origin, input, image.imageId);
  return { ImageId: image.imageId };
}

/** EC2 image-creating operations other than CopyImage. */
export const imageCreationHandlers = {
  CreateImage(world: SimWorld, call: CallContext, input: CreateImageCommandInput) {
    rejectDryRun(input);
    const region = world.region(call.region);
    const instanceId = input.InstanceId ?? "";
    if (!isWellFormedId("i", instanceId)) {
      throw new SimApiError("InvalidInstanceID.Malformed", `Invalid id: "${instanceId}" (expecting "i-...")`);
    }
    const instance = region.instances.get(instanceId);
    if (!instance || instance.state === "terminated") {
      throw new SimApiError("InvalidInstanceID.NotFound", `The instance ID '${instanceId}' does not exist`);
    }
    const name = assertImageName(region, input.Name);
    const tags = tagsFromSpecifications(input.TagSpecifications);
    assertImageCanBeMade(world, call.region, tags);
    // An instance launched from an image shared with the account (simulated organization) has it as source.
    const source =
      region.images.get(instance.imageId) ??
      world.organization?.usableImage(world, call.region, instance.imageId);
    const imageIdPlaceholder = "pending";
    const blockDevices: SimBlockDevice[] = instance.volumes.map((volume) => {
      const snapshot = newSnapshot(
        world,
        call.region,
        {
          volumeSize: volume.sizeGiB,
          encrypted: volume.encrypted,
          kmsKeyId: volume.kmsKeyId,
          description: `Created by CreateImage(${instanceId}) for ${imageIdPlaceholder}`,
        },
        tags.snapshot,
      );
      return {
        deviceName: volume.deviceName,
        snapshotId: snapshot.snapshotId,
        volumeSize: volume.sizeGiB,
        volumeType: "gp3",
        encrypted: volume.encrypted,
        ...(volume.kmsKeyId ? { kmsKeyId: volume.kmsKeyId } : {}),
        deleteOnTermination: true,
      };
    });
    const image = newImage(
      world,
      call,
      {
        name,
        description: input.Description,
        origin: "CreateImage",
        blockDevices,
        architecture: source?.architecture ?? "x86_64",
        ...(source ? { sourceImageId: source.imageId, sourceImageRegion: call.region } : {}),
        ...inheritedWatermarks(source),
      },
      world.durations.createImageMs,
    );
    for (const device of blockDevices) {
      const snapshot = region.snapshots.get(device.snapshotId);
      if (snapshot) snapshot.description = `Created by CreateImage(${instanceId}) for ${image.imageId}`;
    }
    return register(world, call, image, tags.image, input);
  },

  RegisterImage(world: SimWorld, call: CallContext, input: RegisterImageCommandInput) {
    rejectDryRun(input);
    const region = world.region(call.region);
    const name = assertImageName(region, input.Name);
    const tags = tagsFromSpecifications(input.TagSpecifications);
    if (tags.snapshot.length > 0) {
      throw new SimApiError(
        "InvalidParameterValue",
        "RegisterImage can only tag the image (ResourceType 'image').",
      );
    }
    assertImageCanBeMade(world, call.region, tags);
    const mappings = (input.BlockDeviceMappings ?? []).filter((mapping) => mapping.Ebs);
    if (mappings.length === 0) {
      throw new SimApiError(
        "InvalidBlockDeviceMapping",
        "An EBS-backed AMI needs at least one snapshot mapping.",
      );
    }
    const blockDevices: SimBlockDevice[] = mappings.map((mapping) => {
      const snapshot = requireSnapshot(region, mapping.Ebs?.SnapshotId);
      if (snapshot.state !== "completed") {
        throw new SimApiError("IncorrectState", `Snapshot '${snapshot.snapshotId}' is not 'completed'.`);
      }
      const volumeSize = mapping.Ebs?.VolumeSize ?? snapshot.volumeSize;
      if (volumeSize < snapshot.volumeSize) {
        throw new SimApiError(
          "InvalidBlockDeviceMapping",
          `Volume of ${volumeSize}GiB is smaller than snapshot ${snapshot.snapshotId}.`,
        );
      }
      return {
        deviceName: mapping.DeviceName ?? "/dev/xvda",
        snapshotId: snapshot.snapshotId,
        volumeSize,
        volumeType: mapping.Ebs?.VolumeType ?? "gp3",
        encrypted: snapshot.encrypted,
        ...(snapshot.kmsKeyId ? { kmsKeyId: snapshot.kmsKeyId } : {}),
        deleteOnTermination: mapping.Ebs?.DeleteOnTermination ?? true,
      };
    });
    const image = newImage(
      world,
      call,
      {
        name,
        description: input.Description,
        origin: "RegisterImage",
        blockDevices,
        rootDeviceName: input.RootDeviceName ?? blockDevices[0]?.deviceName ?? "/dev/xvda",
        architecture: input.Architecture ?? "x86_64",
      },
      world.durations.registerImageMs,
    );
    return register(world, call, image, tags.image, input);
  },

  CreateRestoreImageTask(world: SimWorld, call: CallContext, input: CreateRestoreImageTaskCommandInput) {
    rejectDryRun(input);
    const region = world.region(call.region);
    if (!input.Bucket || !input.ObjectKey) {
      throw new SimApiError("MissingParameter", "Bucket and ObjectKey are required.");
    }
    const name = assertImageName(region, input.Name ?? input.ObjectKey.replace(/\.bin$/, ""));
    const tags = tagsFromSpecifications(input.TagSpecifications);
    assertImageCanBeMade(world, call.region, tags);
    const snapshot = newSnapshot(
      world,
      call.region,
      {
        volumeSize: 8,
        encrypted: false,
        description: `Restored from s3://${input.Bucket}/${input.ObjectKey}`,
      },
      tags.snapshot,
    );
    const image = newImage(
      world,
      call,
      {
        name,
        origin: "CreateRestoreImageTask",
        blockDevices: [
          {
            deviceName: "/dev/xvda",
            snapshotId: snapshot.snapshotId,
            volumeSize: 8,
            volumeType: "gp3",
            encrypted: false,
            deleteOnTermination: true,
          },
        ],
      },
      world.durations.createImageMs,
    );
    return register(world, call, image, tags.image, input);
  },
};
