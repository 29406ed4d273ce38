import type {
  ImageRecord,
  ImageReference,
  RegionImageRecord,
  RegionImageState,
  RetentionStage,
  VersionRecord,
} from "./model";
import type { Notification } from "./notifications/notification";
import type { PointerMove } from "./pointers/latest";
import type { RollbackDecision } from "./pointers/rollback-decision";

/** Source of the current time; tests and the sandbox pass a controllable one. */
export interface Clock {
  now(): Date;
}

/** Reference lookups as the sweep's planning makes them (an ImageService, or one invocation's reading of it). */
export type ReferenceReading = Pick<ImageService, "findReferences" | "usesReferenceFallback">;

/** The EC2 operations the service needs, per region. Implemented in packages/aws over @aws-sdk/client-ec2. */
export interface ImageService {
  /** DescribeImages for one id (IncludeDisabled, IncludeDeprecated); undefined when EC2 does not know it. */
  describeImage(region: string, imageId: string): Promise<ImageRecord | undefined>;
  /** Every image the account owns in the region carrying `ami-lifecycle:managed=true`, all pages. */
  listManagedImages(region: string): Promise<ImageRecord[]>;
  /**
   * Every image the account owns in the region, managed or not (Owners self, IncludeDisabled,
   * IncludeDeprecated), all pages: the sweep's one listing per region, since retention must know every
   * image that shares a snapshot.
   */
  listOwnedImages(region: string): Promise<ImageRecord[]>;
  /** CreateTags on the image and the given snapshots. */
  tagImage(
    region: string,
    imageId: string,
    snapshotIds: readonly string[],
    tags: Record<string, string>,
  ): Promise<void>;
  /**
   * CopyImage called in the destination region, encrypted with the key, tagged atomically through
   * TagSpecifications (image and snapshot). Idempotent per clientToken. Throws CopyQuotaExceededError
   * on ResourceLimitExceeded.
   */
  copyImage(request: CopyImageRequest): Promise<{ imageId: string }>;
  /** EnableImageDeprecation at the given time (minute precision). */
  deprecateImage(region: string, imageId: string, deprecateAt: Date): Promise<void>;
  /** DisableImage. */
  disableImage(region: string, imageId: string): Promise<void>;
  /** DeregisterImage with DeleteAssociatedSnapshots; returns the per-snapshot results. */
  deregisterImage(region: string, imageId: string): Promise<{ snapshotResults: SnapshotDeletionResult[] }>;
  /** DeleteSnapshot; throws SnapshotInUseError when a registered image still uses it. */
  deleteSnapshot(region: string, snapshotId: string): Promise<void>;
  /** Snapshots in the region owned by the account and tagged `ami-lifecycle:managed=true`. */
  listManagedSnapshots(
    region: string,
  ): Promise<{ snapshotId: string; sizeGiB: number; tags: Record<string, string> }[]>;
  /** Everything that uses any of the images (instances, launch templates, SSM parameters, recipes). */
  findReferences(region: string, imageIds: readonly string[]): Promise<ImageReference[]>;
  /** True once findReferences in the region answered from the fallback (no DescribeImageReferences there). */
  usesReferenceFallback(region: string): boolean;
  /**
   * Reference lookups for one sweep invocation: what every lookup of a region reads whatever the images
   * (Auto Scaling groups, launch configurations, fleets, launch templates) is read once and shared by
   * all of the invocation's families; a new reading reads again.
   */
  referenceReading(): ReferenceReading;
}

/** Input of ImageService.copyImage. */
export interface CopyImageRequest {
  destinationRegion: string;
  sourceRegion: string;
  sourceImageId: string;
  name: string;
  description?: string;
  kmsKeyId: string;
  clientToken: string;
  tags: Record<string, string>;
}

/** One entry of DeregisterImage's DeleteSnapshotResults. */
export interface SnapshotDeletionResult {
  snapshotId: string;
  /** "success" or the EC2 return code explaining why the snapshot was kept */
  returnCode: string;
}

/** Input of VersionRecorder.registerVersion: the image a new version is built as. */
export interface NewVersion {
  family: string;
  region: string;
  imageId: string;
  name: string;
  createdBy?: string;
  createdAt: string;
  state: RegionImageState;
  snapshotIds: string[];
}

/** Where an image id sits in the registry. */
export interface ImageLocation {
  family: string;
  version: number;
  region: string;
  role: "source" | "copy";
}

/** One region image write of VersionRecorder.putRegionImages, with putRegionImage's condition. */
export interface RegionImageWrite {
  record: RegionImageRecord;
  expectImageId?: string | null;
}

/**
 * One write of a sweep pass for RetentionRecords.writeBatch: a region image of a version the registry
 * holds with `expectImageId` (putRegionImage's condition), or a stage advance (advanceStage's).
 */
export type RegistryBatchWrite =
  | { kind: "region-image"; version: number; record: RegionImageRecord; expectImageId: string }
  | { kind: "advance-stage"; version: number; stage: RetentionStage };

/** What one write of a batch did: `written` false is a condition that did not hold (as the single write's false). */
export type RegistryBatchResult = { ok: true; written: boolean } | { ok: false; error: unknown };

/**
 * Reads of the registry's versions, their region records and lineage (which version an image belongs to).
 * Status, plans and every capability that looks an image up take this alone.
 */
export interface VersionCatalog {
  /** The version with all its region images, or undefined. */
  getVersion(family: string, version: number): Promise<VersionRecord | undefined>;
  /** Every version of the family, oldest first. */
  listVersions(family: string): Promise<VersionRecord[]>;
  /**
   * The family's versions newest first, read only as far as the caller iterates (small pages): for
   * decisions about the newest versions, which must not pay for the retired ones.
   */
  newestVersions(family: string): AsyncIterable<VersionRecord>;
  /** Families that have at least one version. */
  listFamilies(): Promise<string[]>;
  /**
   * Finds which version and region an image id belongs to, in any region. `familyHint` names the family
   * a new image would be registered in: the registry may read what that registration needs in the same
   * round trip.
   */
  findByImageId(imageId: string, options?: { familyHint?: string }): Promise<ImageLocation | undefined>;
}

/** How putRegionImage writes (see there). */
export interface RegionWriteOptions {
  expectImageId?: string | null;
  leaseClaims?: readonly string[];
  clearProtectionOf?: { version: number; imageId: string };
}

/**
 * Writes of versions and their region records: registering a build, recording a region's image, a late
 * creator, a withdrawal. Each write is conditional.
 */
export interface VersionRecorder {
  /**
   * Allocates the next consecutive version of the family for this image, or returns the version the
   * image already has (`created: false`). Safe under concurrency.
   */
  registerVersion(input: NewVersion): Promise<{ version: VersionRecord; created: boolean }>;
  /**
   * Registers several new images of one family as consecutive versions in the order given, each as
   * registerVersion would, in as few round trips as the store allows (a store without transactions
   * registers them one by one).
   */
  registerVersions(inputs: readonly NewVersion[]): Promise<{ version: VersionRecord; created: boolean }[]>;
  /**
   * Creates or updates one region's image of a version. When `expectImageId` is given the write only
   * succeeds if the region has no image yet or already has that one (so two copies never both win);
   * returns false when the condition failed. `leaseClaims` names one-time claims (see `once`) the store
   * may lease with this write, so the takes that follow it cost no write of their own: core names the
   * region's `available` claim only when the write records that transition (availableTransitionLeases),
   * and the `replicated` claim with the write of the last region. Without them the write leases nothing.
   * `clearProtectionOf`: the
   * same write also clears the service's pointer-protection marker of another version's image in the
   * record's region (one a pointer left, whose protection the service lifted before this write), when
   * that region still holds that image; the marker write is dropped, never failing the record, otherwise.
   */
  putRegionImage(
    family: string,
    version: number,
    record: RegionImageRecord,
    options?: RegionWriteOptions,
  ): Promise<boolean>;
  /**
   * Writes several region images of one version in one round trip, each with its own `expectImageId`
   * condition (and no claim leases: copies start pending); the result says, per write in order, whether
   * its condition held.
   */
  putRegionImages(family: string, version: number, writes: readonly RegionImageWrite[]): Promise<boolean[]>;
  /**
   * Records who built a version when CloudTrail's record arrives after the version was registered
   * without it; never overwrites a known creator. True when it wrote.
   */
  recordCreator(family: string, version: number, createdBy: string): Promise<boolean>;
  /** Marks or clears `withdrawn`. */
  setWithdrawn(family: string, version: number, withdrawn: boolean): Promise<void>;
}

/** The retention sweep's writes: stage advances, alone or batched with region records. */
export interface RetentionRecords {
  /** Moves a version's stage forward (never backwards); returns false when it was already there or past. */
  advanceStage(family: string, version: number, stage: RetentionStage): Promise<boolean>;
  /**
   * Writes several region images and stage advances of one family in as few round trips as the store
   * allows, each guarded by its own condition; one write whose condition fails never blocks the others,
   * but a stage advance waits for its version's region writes (see stageAdvanceBlocked). Results in
   * order. A store without transactions writes them in order with writeBatchOneByOne.
   */
  writeBatch(family: string, writes: readonly RegistryBatchWrite[]): Promise<RegistryBatchResult[]>;
}

/** The one move backwards: a restore brings a retired version back to `active` with its hold. */
export interface RestoreRecords {
  /**
   * Brings a restored version back to stage `active` (the one move backwards) with its hold: sets
   * `restoredAt`, `heldUntil` and stageChangedAt; `withdrawn` is left as it was.
   */
  restoreVersion(
    family: string,
    version: number,
    hold: { restoredAt: string; heldUntil: string },
  ): Promise<void>;
}

/** The per-family sharing marker: whether the service may have granted launch permissions. */
export interface SharingMarker {
  /**
   * Whether the service may have granted launch permissions on the family's images: set before any
   * sweep grants, cleared once a sweep has revoked everything. A family never marked has nothing to revoke.
   */
  sharingGranted(family: string): Promise<boolean>;
  /** Sets or clears the sharing marker read by `sharingGranted`. */
  setSharingGranted(family: string, granted: boolean): Promise<void>;
}

/**
 * Markers by key that something waits (a region's copies queued on its concurrent-copy quota): set once,
 * read, cleared once the wait is over.
 */
export interface WaitingCopyMarkers {
  /** Sets the marker of `key`; true only for the caller that set it (it was not set before). */
  setMarker(key: string): Promise<boolean>;
  /** True while the marker is set (a read: nothing is set). */
  hasMarker(key: string): Promise<boolean>;
  /** Clears the marker once the wait is over. */
  clearMarker(key: string): Promise<void>;
}

/**
 * Once-only claims with a lease: an effect (a notification, say) performed exactly once in effect under
 * at-least-once delivery (see notifications/once.ts).
 */
export interface OnceClaims {
  /**
   * Takes the lease of a one-time effect (see `once`): `taken` when nobody claimed it yet or a holder's
   * lease ran out while it was still pending (that holder died between claim and effect), `held` while
   * another holder's lease runs, `done` once the effect was recorded performed. A claim item without lease
   * state (written before leases existed, the layout markers keep) counts as done.
   */
  takeClaim(key: string): Promise<ClaimLease>;
  /** Records a taken claim's effect as performed: the claim is `done` and never taken again. */
  completeClaim(key: string): Promise<void>;
  /** completeClaim for several claims, in one round trip where the store allows. */
  completeClaims(keys: readonly string[]): Promise<void>;
  /** Gives back a lease whose effect failed, so a retry can take it at once; a no-op unless `leaseId` still holds it. */
  releaseLease(key: string, leaseId: string): Promise<void>;
}

/** The decision each rollback request recorded at its first attempt, and whether it was applied. */
export interface RollbackDecisions {
  /** The decision a rollback request recorded at its first attempt, or undefined for a new request. */
  getRollbackDecision(requestId: string): Promise<RollbackDecision | undefined>;
  /**
   * Records a rollback request's decision unless the request already has one; returns the recorded one
   * (a concurrent duplicate's, when it won), so every attempt of a request applies the same decision.
   */
  recordRollbackDecision(decision: RollbackDecision): Promise<RollbackDecision>;
  /** Records that a request's decision was applied, with the pointer moves it made. */
  markRollbackApplied(requestId: string, pointers: PointerMove[]): Promise<void>;
}

/**
 * The version registry (DynamoDB in production): every registry port at once, as the adapter implements
 * them and the wiring passes them. All writes are conditional; no read-modify-write races. A use case
 * names the ports it uses (VersionCatalog, OnceClaims, …), never this whole.
 */
export interface VersionRegistry
  extends VersionCatalog,
    VersionRecorder,
    RetentionRecords,
    RestoreRecords,
    SharingMarker,
    WaitingCopyMarkers,
    OnceClaims,
    RollbackDecisions {}

/** What OnceClaims.takeClaim found: the lease is this caller's, another's, or the effect is done. */
export type ClaimLease = { state: "taken"; leaseId: string } | { state: "held" } | { state: "done" };

/** Publishes notifications (SNS in production). */
export interface Notifier {
  publish(notification: Notification): Promise<void>;
}

/** Who may launch an image, as DescribeImageAttribute launchPermission reports it. */
export interface LaunchPermissions {
  accounts: string[];
  organizationArns: string[];
  organizationalUnitArns: string[];
  /** group `all`: anyone may launch it */
  public: boolean;
}

/** Launch permissions to add or remove in one ModifyImageAttribute call (the guard alone sets `public`). */
export interface LaunchPermissionChange {
  add: Omit<LaunchPermissions, "public">;
  remove: Omit<LaunchPermissions, "public"> & { public?: boolean };
}

/** Image block public access of the account in one region (GetImageBlockPublicAccessState). */
export type ImageBlockPublicAccessState = "block-new-sharing" | "unblocked";

/**
 * The EC2 sharing operations (launch permissions, snapshot createVolumePermission, image block public
 * access). A port of its own beside ImageService, so read-only and dry-run image services need not
 * implement it: without it the service shares nothing and guards nothing.
 */
export interface ImageSharingService {
  /** DescribeImageAttribute launchPermission. Throws ImageNotFoundError when the image is gone. */
  getLaunchPermissions(region: string, imageId: string): Promise<LaunchPermissions>;
  /** ModifyImageAttribute LaunchPermission Add/Remove. Throws ImageNotFoundError when the image is gone. */
  modifyLaunchPermissions(region: string, imageId: string, change: LaunchPermissionChange): Promise<void>;
  /** DescribeSnapshotAttribute createVolumePermission: the account ids (group `all` is reported as public). */
  getSnapshotVolumePermissions(
    region: string,
    snapshotId: string,
  ): Promise<{ accounts: string[]; public: boolean }>;
  /** ModifySnapshotAttribute createVolumePermission Add/Remove of account ids. */
  modifySnapshotVolumePermissions(
    region: string,
    snapshotId: string,
    change: { add: string[]; remove: string[] },
  ): Promise<void>;
  /** GetImageBlockPublicAccessState of the account in the region. */
  getImageBlockPublicAccessState(region: string): Promise<ImageBlockPublicAccessState>;
}

/**
 * Channel pointers: SSM parameters holding the image id of a family's version, one per region
 * (Parameter Store in production), so launch templates resolve `resolve:ssm:<name>`.
 */
export interface ImagePointers {
  /** GetParameter: the image id the pointer holds, or undefined when the parameter does not exist. */
  getPointer(region: string, name: string): Promise<string | undefined>;
  /** PutParameter with DataType aws:ec2:image and Overwrite; SSM validates the image id asynchronously. */
  putPointer(region: string, name: string, imageId: string): Promise<void>;
}
