/** EC2 image states as DescribeImages reports them. */
export type ImageState =
  | "pending"
  | "available"
  | "invalid"
  | "deregistered"
  | "transient"
  | "failed"
  | "error"
  | "disabled";

/** An image as the service sees it, read from DescribeImages. Times are ISO-8601 strings. */
export interface ImageRecord {
  imageId: string;
  region: string;
  name: string;
  ownerId: string;
  state: ImageState;
  creationDate: string;
  tags: Record<string, string>;
  /** EBS snapshots behind the image's block device mappings. */
  snapshots: { snapshotId: string; sizeGiB: number }[];
  encrypted: boolean;
  /** distinct KMS key ARNs of the EBS volumes, as EC2 reports them (absent when none is encrypted) */
  kmsKeyIds?: string[];
  sourceImageId?: string;
  sourceImageRegion?: string;
  deprecationTime?: string;
  deregistrationProtection: boolean;
  /** what EC2 reports when protected: set now (with or without cooldown), or its cooldown still running */
  deregistrationProtectionSetting?: "enabled" | "enabled-with-cooldown" | "cooling-down";
  /** while the cooldown runs ("cooling-down"): when EC2 stops refusing deregistration (ISO), when known */
  deregistrationProtectionUntil?: string;
  lastLaunchedTime?: string;
  stateReason?: string;
  /** watermark keys (`accountId:name`) EC2 lists on the image; absent when it has none */
  watermarkKeys?: string[];
}

/** Resource types DescribeImageReferences reports (plus the fallback's own). */
export type ImageReferenceType =
  | "ec2:Instance"
  | "ec2:LaunchTemplate"
  | "ssm:Parameter"
  | "imagebuilder:ImageRecipe"
  | "imagebuilder:ContainerRecipe"
  /** read by the service itself: DescribeImageReferences has no launch-configuration type */
  | "autoscaling:LaunchConfiguration"
  /** a group whose launch template version (or mixed instances override) launches the image */
  | "autoscaling:AutoScalingGroup"
  /** read by the service itself: an EC2 Fleet (maintain/request) that can still launch the image */
  | "ec2:Fleet"
  /** read by the service itself: a Spot Fleet request that can still launch the image */
  | "ec2:SpotFleetRequest";

/** Something that uses an image: retention must keep the image while any exists. */
export interface ImageReference {
  imageId: string;
  region: string;
  resourceType: ImageReferenceType;
  arn: string;
  /** what a person needs beyond the ARN: the launch template and version, the group that pins it */
  detail?: string;
}

/** The retention stage a version has reached; stages only move forward. */
export type RetentionStage = "active" | "deprecated" | "disabled" | "deregistered";

/** The stages after "active", each entered once. */
export type RetiredStage = Exclude<RetentionStage, "active">;

/** State of one version's image in one region, as the registry records it. */
export type RegionImageState =
  /** the source image or copy exists and is not yet available */
  | "pending"
  | "available"
  /** the image failed (bad KMS key, build failure) */
  | "failed"
  /** the copy could not start (quota, throttling): a later trigger starts it */
  | "copy-waiting"
  | "disabled"
  | "deregistered"
  /** deregistered by the service into the Recycle Bin: restorable until `recoverableUntil` */
  | "recoverable"
  /** the registry knew the image but EC2 no longer has it */
  | "missing";

/** One version of a family: a source image and its copies. */
export interface VersionRecord {
  family: string;
  version: number;
  /** region and id of the image the version was built as */
  sourceRegion: string;
  sourceImageId: string;
  name: string;
  createdBy?: string;
  createdAt: string;
  stage: RetentionStage;
  /** when the version entered its current stage (grace periods count from here) */
  stageChangedAt?: string;
  /** set by rollback: never promoted again, retired first */
  withdrawn?: boolean;
  /** when a rollback first withdrew it */
  withdrawnAt?: string;
  /** when the version entered each retirement stage it reached (the report draws its lifeline from these) */
  stageDates?: Partial<Record<RetiredStage, string>>;
  /** when a restore last brought the version back to active (recovery/restore.ts) */
  restoredAt?: string;
  /** retention keeps a restored version until then (`retention.restoredHoldDays` after `restoredAt`) */
  heldUntil?: string;
  regions: Record<string, RegionImageRecord>;
}

/** One version's image in one region (the source region or a copy destination). */
export interface RegionImageRecord {
  region: string;
  imageId?: string;
  state: RegionImageState;
  role: "source" | "copy";
  kmsKeyId?: string;
  snapshotIds: string[];
  /** total size of the image's snapshots as EC2 reported it (storage history in the report) */
  sizeGiB?: number;
  /** when the image in this region first became available */
  availableAt?: string;
  copyAttempts: number;
  failureReason?: string;
  /** EC2's error code when CopyImage refused the copy (not transient): retried as the same attempt, never counted again */
  copyRefused?: string;
  /** set when the service itself retired the image in this region (so its own events are not "elsewhere") */
  retiredBy?: "service";
  /** state "recoverable": the Recycle Bin keeps the image (and its snapshots) until then (ISO-8601) */
  recoverableUntil?: string;
  /** sharing EC2 reported before the service disabled or deregistered the image: a restore gives it back */
  recordedSharing?: RecordedSharing;
  /**
   * when the service set deregistration protection on the image because a pointer names it (ISO-8601);
   * only a protection recorded here is the service's to lift (one a person set keeps the version)
   */
  pointerProtectedAt?: string;
  updatedAt: string;
}

/** Launch permissions of an image and createVolumePermission of its snapshots, as EC2 reported them. */
export interface RecordedSharing {
  accounts: string[];
  organizationArns: string[];
  organizationalUnitArns: string[];
  /** snapshot id → account ids that may create volumes from it */
  snapshotAccounts: Record<string, string[]>;
  /** when it was read (ISO-8601) */
  recordedAt: string;
}
