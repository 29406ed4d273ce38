import type {
  BatchState,
  FleetLaunchTemplateConfig,
  FleetStateCode,
  LaunchTemplateConfig,
  SpotFleetLaunchSpecification,
} from "@aws-sdk/client-ec2";
import type { EventBridgeEvent } from "./events";

/** State of an AMI in the simulation (the EC2 ImageState values the service sees). */
export type SimImageState = "pending" | "available" | "failed" | "disabled" | "deregistered";

/** One EBS block device of an image. */
export interface SimBlockDevice {
  deviceName: string;
  snapshotId: string;
  volumeSize: number;
  volumeType: string;
  encrypted: boolean;
  kmsKeyId?: string;
  deleteOnTermination: boolean;
}

/** An AMI owned by the simulated account. */
export interface SimImage {
  imageId: string;
  region: string;
  name: string;
  description?: string;
  state: SimImageState;
  creationDate: string;
  tags: Map<string, string>;
  blockDevices: SimBlockDevice[];
  rootDeviceName: string;
  architecture: string;
  /** How it was made; drives the CloudTrail event and the pending duration. */
  origin: "CreateImage" | "CopyImage" | "RegisterImage" | "CreateRestoreImageTask";
  sourceImageId?: string;
  sourceImageRegion?: string;
  deprecationTime?: string;
  protection: { enabled: boolean; withCooldown: boolean; blockedUntil?: number };
  lastLaunchedTime?: string;
  stateReason?: { Code: string; Message: string };
  /** When a pending image leaves pending (epoch ms). */
  readyAt?: number;
  /** Set when the pending image is going to fail instead of becoming available. */
  plannedFailure?: { code: string; message: string };
  /** Request id of the call that created it, repeated in its state change events. */
  requestId: string;
  /** Launch permissions as `userId:…`, `group:all`, `organizationArn:…`, `organizationalUnitArn:…`. */
  launchPermissions: string[];
  /** Creation order, so listings are stable. */
  sequence: number;
  /** Set while the deregistered image sits in the Recycle Bin (a rule matched it at deregistration). */
  recycleBin?: SimBinEntry;
  /** Watermarks (AttachImageWatermark), carried to copies and images made from it (ec2/watermarks.ts). */
  watermarks?: SimWatermark[];
}

/** One image watermark, as DescribeImages shows it to every account that can use the image. */
export interface SimWatermark {
  /** `accountId:name` of the account that attached it */
  key: string;
  sourceImageId: string;
  sourceImageRegion: string;
  sourceImageCreationTime: string;
  createdAt: string;
}

/** How long a resource stays in the Recycle Bin, and the sharing it had when it entered. */
export interface SimBinEntry {
  enteredAt: number;
  /** when the bin deletes it for good (epoch ms) */
  exitAt: number;
  /** launch or createVolume permissions removed on entry and given back on restore */
  sharing: string[];
}

/** A Recycle Bin retention rule of a region (rbin API). */
export interface SimRecycleBinRule {
  identifier: string;
  arn: string;
  resourceType: "EC2_IMAGE" | "EBS_SNAPSHOT";
  retentionDays: number;
  description?: string;
  /** tag-level rule: a resource matches when it has one of these tags (no value: any value) */
  resourceTags?: { ResourceTagKey: string; ResourceTagValue?: string }[];
  /** region-level rule: every resource of the type matches except those with one of these tags */
  excludeResourceTags?: { ResourceTagKey: string; ResourceTagValue?: string }[];
  /** the first rule of a region is pending until this instant (epoch ms) */
  activeAt: number;
  locked: boolean;
  sequence: number;
}

/** An EBS snapshot owned by the simulated account. */
export interface SimSnapshot {
  snapshotId: string;
  region: string;
  volumeSize: number;
  encrypted: boolean;
  kmsKeyId?: string;
  /** recovering: restored from the Recycle Bin and not yet usable (until readyAt) */
  state: "pending" | "completed" | "error" | "recovering";
  startTime: Date;
  description: string;
  tags: Map<string, string>;
  sequence: number;
  /** createVolumePermission as `userId:…` or `group:all` (absent: none) */
  createVolumePermissions?: string[];
  /** Set while the deleted snapshot sits in the Recycle Bin. */
  recycleBin?: SimBinEntry;
  /** When a recovering snapshot becomes completed (epoch ms). */
  readyAt?: number;
}

/** An EC2 instance, kept only as far as image references need it. */
export interface SimInstance {
  instanceId: string;
  imageId: string;
  state: "pending" | "running" | "shutting-down" | "terminated" | "stopping" | "stopped";
  launchTime: Date;
  /** Terminated instances stay visible for about an hour, as in EC2. */
  terminatedAt?: number;
  volumes: { deviceName: string; sizeGiB: number; encrypted: boolean; kmsKeyId?: string }[];
  sequence: number;
}

/** A launch template with its numbered versions. */
export interface SimLaunchTemplate {
  launchTemplateId: string;
  name: string;
  createTime: Date;
  defaultVersion: number;
  versions: { versionNumber: number; imageId?: string; createTime: Date }[];
  sequence: number;
}

/** A launch template as an Auto Scaling group names it: the version is `$Default`, `$Latest` or a number. */
export interface SimLaunchTemplateRef {
  launchTemplateId: string;
  version: string;
}

/** An Auto Scaling launch configuration (immutable; only its image matters here). */
export interface SimLaunchConfiguration {
  name: string;
  arn: string;
  imageId: string;
  instanceType: string;
  createdTime: Date;
  sequence: number;
}

/** An Auto Scaling group with exactly one launch source; the simulation launches no instances for it. */
export interface SimAutoScalingGroup {
  name: string;
  arn: string;
  launchConfigurationName?: string;
  launchTemplate?: SimLaunchTemplateRef;
  mixedInstancesPolicy?: {
    launchTemplate: SimLaunchTemplateRef;
    /** each override may name its own launch template and version */
    overrides: { instanceType?: string; launchTemplate?: SimLaunchTemplateRef }[];
  };
  minSize: number;
  maxSize: number;
  desiredCapacity: number;
  createdTime: Date;
  sequence: number;
}

/** An EC2 Fleet as CreateFleet stored it (launch templates only; an override may name its own image). */
export interface SimFleet {
  fleetId: string;
  type: "maintain" | "request" | "instant";
  state: FleetStateCode;
  launchTemplateConfigs: FleetLaunchTemplateConfig[];
  createTime: Date;
  sequence: number;
}

/** A Spot Fleet request: launch specifications (each with its image) or launch template configs, never both. */
export interface SimSpotFleetRequest {
  spotFleetRequestId: string;
  type: "maintain" | "request";
  state: BatchState;
  launchSpecifications?: SpotFleetLaunchSpecification[];
  launchTemplateConfigs?: LaunchTemplateConfig[];
  createTime: Date;
  sequence: number;
}

/** A KMS key (symmetric). */
export interface SimKey {
  keyId: string;
  arn: string;
  description: string;
  creationDate: Date;
  managedBy: "CUSTOMER" | "AWS";
  /** the key policy; absent: the default key policy, which delegates every decision to IAM */
  policy?: object;
}

/** An SNS topic: its access policy (absent: SNS's default) and the key it is encrypted with (SSE). */
export interface SimTopic {
  arn: string;
  name: string;
  policy?: object;
  /** ARN of the KMS key of server-side encryption; absent: unencrypted */
  kmsKeyArn?: string;
}

/** A custom EventBridge bus: its resource policy (who of other accounts may put events) and what it received. */
export interface SimEventBus {
  arn: string;
  name: string;
  policy?: object;
  /** every event put on it, oldest first (the `account` field is the sender's) */
  received: EventBridgeEvent[];
}

/** An SSM parameter and its version counter. */
export interface SimParameter {
  name: string;
  value: string;
  type: "String" | "StringList" | "SecureString";
  dataType: string;
  version: number;
  lastModifiedDate: Date;
  description?: string;
}

/** An EC2 Image Builder recipe that references an image (seeded by tests). */
export interface SimRecipe {
  arn: string;
  imageId: string;
  resourceType: "imagebuilder:ImageRecipe" | "imagebuilder:ContainerRecipe";
}

/** A message published to an SNS topic. */
export interface PublishedMessage {
  messageId: string;
  region: string;
  topicArn: string;
  subject?: string;
  message: string;
  messageAttributes: Record<string, { DataType: string; StringValue?: string }>;
  publishedAt: Date;
}

/** Everything one region of the account holds. */
export interface RegionState {
  region: string;
  images: Map<string, SimImage>;
  snapshots: Map<string, SimSnapshot>;
  instances: Map<string, SimInstance>;
  launchTemplates: Map<string, SimLaunchTemplate>;
  /** Auto Scaling groups by name */
  autoScalingGroups: Map<string, SimAutoScalingGroup>;
  /** Auto Scaling launch configurations by name */
  launchConfigurations: Map<string, SimLaunchConfiguration>;
  /** EC2 Fleets by id */
  fleets: Map<string, SimFleet>;
  /** Spot Fleet requests by id */
  spotFleetRequests: Map<string, SimSpotFleetRequest>;
  keys: Map<string, SimKey>;
  /** alias name ("alias/x") → key id */
  aliases: Map<string, string>;
  parameters: Map<string, SimParameter>;
  recipes: SimRecipe[];
  topics: Map<string, SimTopic>;
  /** "Operation:token" → fingerprint of the request and the image it made */
  clientTokens: Map<string, { fingerprint: string; imageId: string }>;
  /** image block public access of the account in the region (absent: block-new-sharing, see ec2/sharing.ts) */
  imageBlockPublicAccess?: "block-new-sharing" | "unblocked";
  /** Recycle Bin retention rules of the region */
  recycleBinRules: SimRecycleBinRule[];
  /** deleted snapshots kept by a rule: out of DescribeSnapshots, restorable until their exit time */
  binnedSnapshots: Map<string, SimSnapshot>;
  /** SQS queues by URL (created on first use: see sqs.ts) */
  queues?: Map<string, SimQueue>;
  /** custom EventBridge buses by ARN, with their policies and the events put on them (see eventbridge.ts) */
  eventBuses?: Map<string, SimEventBus>;
  /** CloudWatch metric alarms by name (see cloudwatch.ts) */
  alarms?: Map<string, SimAlarm>;
  /** AMI usage reports by id (created on first use: see ec2/usage-reports.ts) */
  usageReports?: Map<string, SimUsageReport>;
}

/** An AMI usage report of the owner account: its request, and the entries computed when it was made. */
export interface SimUsageReport {
  reportId: string;
  imageId: string;
  resourceTypes: {
    ResourceType?: string;
    ResourceTypeOptions?: { OptionName?: string; OptionValues?: string[] }[];
  }[];
  accountIds?: string[];
  createdAt: number;
  /** pending until this instant (epoch ms), then available */
  availableAt: number;
  expiresAt: number;
  clientToken?: string;
  entries: { accountId: string; resourceType: string; usageCount: number }[];
}

/** A standard SQS queue: only what a dead-letter queue's depth needs. */
export interface SimQueue {
  url: string;
  arn: string;
  name: string;
  messages: { id: string; body: string }[];
}

/** A CloudWatch metric alarm's state; the metrics behind it are not modelled. */
export interface SimAlarm {
  name: string;
  arn: string;
  state: "OK" | "ALARM" | "INSUFFICIENT_DATA";
  reason: string;
  updatedAt: Date;
}

/** A fresh, empty region. */
export function emptyRegion(region: string): RegionState {
  return {
    region,
    images: new Map(),
    snapshots: new Map(),
    instances: new Map(),
    launchTemplates: new Map(),
    autoScalingGroups: new Map(),
    launchConfigurations: new Map(),
    fleets: new Map(),
    spotFleetRequests: new Map(),
    keys: new Map(),
    aliases: new Map(),
    parameters: new Map(),
    recipes: [],
    topics: new Map(),
    clientTokens: new Map(),
    recycleBinRules: [],
    binnedSnapshots: new Map(),
  };
}
