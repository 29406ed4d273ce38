import { assertImageName, requireImage } from "./ec2/common";
import { requireLaunchTemplate } from "./ec2/references";
import { SimApiError } from "./errors";
import type { SimImage, SimInstance } from "./state";
import type { SimWorld } from "./world";

/** What a seeded image looks like. */
export interface SeedImageOptions {
  name: string;
  tags?: Record<string, string>;
  /** Root volume size (default 8 GiB). */
  sizeGiB?: number;
  /** KMS key ARN of an encrypted root snapshot; unencrypted when absent. */
  kmsKeyId?: string;
  /** CreationDate (default: now on the sim clock). */
  creationDate?: string;
  /** The image id (default: a fresh one); replaying recorded events needs their ids. */
  imageId?: string;
  /** Lineage of a copy, as DescribeImages reports it. */
  source?: { imageId: string; region: string };
  /** State other than available (default available); `failed` carries `stateReason`. */
  state?: "available" | "failed" | "disabled" | "deregistered";
  stateReason?: string;
  /**
   * Stores the name as given even when EC2's name rules (3-128 of letters, digits, ()[] ./-'@_) refuse
   * it, to model an image that carries such a name; CopyImage still refuses it for the copy.
   */
  legacyName?: boolean;
}

/** Stores an available image with one completed snapshot; no events (it predates the test). */
export function seedImage(world: SimWorld, region: string, options: SeedImageOptions): string {
  const state = world.region(region);
  const name = options.legacyName ? options.name : assertImageName(state, options.name);
  const size = options.sizeGiB ?? 8;
  const snapshotId = world.ids.resourceId("snap");
  const encrypted = options.kmsKeyId !== undefined;
  const imageId = options.imageId ?? world.ids.resourceId("ami");
  if (state.images.has(imageId)) throw new SimApiError("InvalidAMIID.Duplicate", `${imageId} already exists`);
  state.snapshots.set(snapshotId, {
    snapshotId,
    region,
    volumeSize: size,
    encrypted,
    ...(options.kmsKeyId ? { kmsKeyId: options.kmsKeyId } : {}),
    state: "completed",
    startTime: world.clock.now(),
    description: `Created by CreateImage for ${imageId}`,
    tags: new Map(),
    sequence: world.nextSequence(),
  });
  const image: SimImage = {
    imageId,
    region,
    name,
    state: options.state ?? "available",
    ...(options.state === "failed"
      ? { stateReason: { Code: "Client.InvalidParameter", Message: options.stateReason ?? "failed" } }
      : {}),
    ...(options.source
      ? { sourceImageId: options.source.imageId, sourceImageRegion: options.source.region }
      : {}),
    creationDate: options.creationDate ?? world.isoNow(),
    tags: new Map(Object.entries(options.tags ?? {})),
    blockDevices: [
      {
        deviceName: "/dev/xvda",
        snapshotId,
        volumeSize: size,
        volumeType: "gp3",
        encrypted,
        ...(options.kmsKeyId ? { kmsKeyId: options.kmsKeyId } : {}),
        deleteOnTermination: true,
      },
    ],
    rootDeviceName: "/dev/xvda",
    architecture: "x86_64",
    origin: options.source ? "CopyImage" : "RegisterImage",
    protection: { enabled: false, withCooldown: false },
    requestId: world.ids.uuid(),
    launchPermissions: [],
    sequence: world.nextSequence(),
  };
  state.images.set(imageId, image);
  return imageId;
}

/** Launches an instance from an available image, updating LastLaunchedTime (EC2 may lag up to 24 h; the sim does not). */
export function runInstance(world: SimWorld, region: string, imageId: string): string {
  const state = world.region(region);
  const image = requireImage(state, imageId);
  if (image.state !== "available") {
    throw new SimApiError(
      "InvalidAMIID.Unavailable",
      `The image '${imageId}' is '${image.state}' and cannot be launched`,
    );
  }
  const instanceId = world.ids.resourceId("i");
  state.instances.set(instanceId, {
    instanceId,
    imageId,
    state: "running",
    launchTime: world.clock.now(),
    volumes: image.blockDevices.map((device) => ({
      deviceName: device.deviceName,
      sizeGiB: device.volumeSize,
      encrypted: device.encrypted,
      ...(device.kmsKeyId ? { kmsKeyId: device.kmsKeyId } : {}),
    })),
    sequence: world.nextSequence(),
  });
  image.lastLaunchedTime = world.isoNow();
  return instanceId;
}

/** Moves an instance to a new state; terminating records when, so it disappears an hour later. */
export function setInstanceState(
  world: SimWorld,
  region: string,
  instanceId: string,
  next: SimInstance["state"],
): void {
  const instance = world.region(region).instances.get(instanceId);
  if (!instance)
    throw new SimApiError("InvalidInstanceID.NotFound", `The instance ID '${instanceId}' does not exist`);
  instance.state = next;
  if (next === "terminated") instance.terminatedAt = world.clock.nowMs();
}

/** Creates a launch template whose version 1 (the default) launches the image. */
export function createLaunchTemplate(
  world: SimWorld,
  region: string,
  name: string,
  imageId?: string,
): string {
  const state = world.region(region);
  if ([...state.launchTemplates.values()].some((template) => template.name === name)) {
    throw new SimApiError(
      "InvalidLaunchTemplateName.AlreadyExistsException",
      `Launch template name already in use: ${name}`,
    );
  }
  const launchTemplateId = world.ids.resourceId("lt");
  const now = world.clock.now();
  state.launchTemplates.set(launchTemplateId, {
    launchTemplateId,
    name,
    createTime: now,
    defaultVersion: 1,
    versions: [{ versionNumber: 1, ...(imageId ? { imageId } : {}), createTime: now }],
    sequence: world.nextSequence(),
  });
  return launchTemplateId;
}

/** Adds the next version to a launch template. */
export function addLaunchTemplateVersion(
  world: SimWorld,
  region: string,
  launchTemplateId: string,
  imageId: string | undefined,
  makeDefault: boolean,
): number {
  const template = requireLaunchTemplate(world.region(region), launchTemplateId);
  const versionNumber = Math.max(...template.versions.map((version) => version.versionNumber)) + 1;
  template.versions.push({ versionNumber, ...(imageId ? { imageId } : {}), createTime: world.clock.now() });
  if (makeDefault) template.defaultVersion = versionNumber;
  return versionNumber;
}

/** Records an Image Builder recipe that uses the image. */
export function addRecipe(
  world: SimWorld,
  region: string,
  name: string,
  imageId: string,
  kind: "image" | "container",
): string {
  const arn = `arn:aws:imagebuilder:${region}:${world.accountId}:${kind}-recipe/${name}/1.0.0`;
  world.region(region).recipes.push({
    arn,
    imageId,
    resourceType: kind === "image" ? "imagebuilder:ImageRecipe" : "imagebuilder:ContainerRecipe",
  });
  return arn;
}
