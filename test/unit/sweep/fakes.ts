import {
  type Config,
  type FamilyConfig,
  type ImagePointers,
  type ImageRecord,
  type ImageReference,
  type ImageService,
  type ImageSharingService,
  type LaunchPermissions,
  type NewVersion,
  type Notification,
  type Notifier,
  parseConfig,
  type ReferenceReading,
  type RegionImageRecord,
  type RegionImageWrite,
  type RegistryBatchWrite,
  type RetentionStage,
  type SweepDependencies,
  silentLog,
  TransientAwsError,
  type VersionRecord,
  type VersionRegistry,
  writeBatchOneByOne,
} from "@ami-lifecycle/core";
import { now } from "../retention/builders";

/** EC2 as a list of images and references; records every call by method name. */
export class FakeImages implements ImageService {
  readonly calls: { method: string; args: unknown[] }[] = [];
  listingFails = false;
  referencesFail = false;

  constructor(
    readonly images: ImageRecord[],
    readonly references: ImageReference[] = [],
  ) {}

  private record(method: string, ...args: unknown[]): void {
    this.calls.push({ method, args });
  }

  /** Names of the calls made, in order. */
  methods(): string[] {
    return this.calls.map((call) => call.method);
  }

  async describeImage(region: string, imageId: string) {
    this.record("describeImage", region, imageId);
    return this.images.find((image) => image.region === region && image.imageId === imageId);
  }
  async listManagedImages(region: string) {
    this.record("listManagedImages", region);
    return [];
  }
  async listOwnedImages(region: string) {
    this.record("listOwnedImages", region);
    if (this.listingFails) throw new TransientAwsError("EC2.DescribeImages", "RequestLimitExceeded");
    return this.images.filter((image) => image.region === region && image.state !== "deregistered");
  }
  async tagImage(...args: unknown[]) {
    this.record("tagImage", ...args);
  }
  async copyImage(...args: unknown[]): Promise<{ imageId: string }> {
    this.record("copyImage", ...args);
    return { imageId: "ami-0000000000000copy" };
  }
  async deprecateImage(region: string, imageId: string, at: Date) {
    this.record("deprecateImage", region, imageId, at);
  }
  async disableImage(region: string, imageId: string) {
    this.record("disableImage", region, imageId);
  }
  async deregisterImage(region: string, imageId: string) {
    this.record("deregisterImage", region, imageId);
    return { snapshotResults: [] };
  }
  async deleteSnapshot(region: string, snapshotId: string) {
    this.record("deleteSnapshot", region, snapshotId);
  }
  async listManagedSnapshots(
    region: string,
  ): Promise<{ snapshotId: string; sizeGiB: number; tags: Record<string, string> }[]> {
    this.record("listManagedSnapshots", region);
    return [];
  }
  async findReferences(region: string, imageIds: readonly string[]) {
    this.record("findReferences", region, [...imageIds]);
    if (this.referencesFail)
      throw new TransientAwsError("EC2.DescribeImageReferences", "RequestLimitExceeded");
    return this.references.filter((reference) => imageIds.includes(reference.imageId));
  }
  /** This fake's lookups always answer from DescribeImageReferences. */
  usesReferenceFallback(_region: string) {
    return false;
  }
  /** The fake reads nothing account-wide, so one invocation's reading is the fake itself. */
  referenceReading(): ReferenceReading {
    return this;
  }
}

/** The registry as a list of versions; writes are recorded, not applied. */
export class FakeRegistry implements VersionRegistry {
  readonly regionWrites: { family: string; version: number; record: RegionImageRecord }[] = [];
  readonly stageWrites: { family: string; version: number; stage: RetentionStage }[] = [];

  constructor(readonly versions: VersionRecord[]) {}

  async listVersions(family: string) {
    return this.versions.filter((version) => version.family === family);
  }
  async *newestVersions(family: string) {
    yield* (await this.listVersions(family)).sort((a, b) => b.version - a.version);
  }
  async putRegionImage(family: string, version: number, record: RegionImageRecord) {
    this.regionWrites.push({ family, version, record });
    return true;
  }
  async putRegionImages(family: string, version: number, writes: readonly RegionImageWrite[]) {
    for (const { record } of writes) this.regionWrites.push({ family, version, record });
    return writes.map(() => true);
  }
  async writeBatch(family: string, writes: readonly RegistryBatchWrite[]) {
    return writeBatchOneByOne(this, family, writes);
  }
  async advanceStage(family: string, version: number, stage: RetentionStage) {
    this.stageWrites.push({ family, version, stage });
    // As the registry does: a later read sees the stage, changed at the sweep's instant.
    const record = this.versions.find(
      (candidate) => candidate.family === family && candidate.version === version,
    );
    if (record) Object.assign(record, { stage, stageChangedAt: now.toISOString() });
    return true;
  }
  async findByImageId(): Promise<undefined> {
    return undefined;
  }
  async getVersion(family: string, version: number) {
    return this.versions.find((record) => record.family === family && record.version === version);
  }
  async listFamilies() {
    return [...new Set(this.versions.map((version) => version.family))];
  }
  registerVersion(): never {
    throw new Error("registerVersion is not expected in this test");
  }
  async registerVersions(
    _inputs: readonly NewVersion[],
  ): Promise<{ version: VersionRecord; created: boolean }[]> {
    throw new Error("registerVersions is not expected in this test");
  }
  readonly sharingMarks = new Map<string, boolean>();
  async sharingGranted(family: string) {
    return this.sharingMarks.get(family) ?? false;
  }
  async setSharingGranted(family: string, granted: boolean) {
    this.sharingMarks.set(family, granted);
  }
  recordCreator(): never {
    throw new Error("recordCreator is not expected in this test");
  }
  restoreVersion(): never {
    throw new Error("restoreVersion is not expected in this test");
  }
  setWithdrawn(): never {
    throw new Error("setWithdrawn is not expected in this test");
  }
  async setMarker() {
    return true;
  }
  async clearMarker() {}
  async hasMarker() {
    return false;
  }
  async takeClaim() {
    return { state: "taken" as const, leaseId: "fake" };
  }
  async completeClaim() {}
  async completeClaims() {}
  async releaseLease() {}
  async getRollbackDecision(): Promise<undefined> {
    return undefined;
  }
  recordRollbackDecision(): never {
    throw new Error("recordRollbackDecision is not expected in this test");
  }
  markRollbackApplied(): never {
    throw new Error("markRollbackApplied is not expected in this test");
  }
}

/** A config holding the given families, in the given mode. */
export function configWith(families: FamilyConfig[], mode: "dry-run" | "enforce"): Config {
  return parseConfig({
    accounts: ["111111111111"],
    homeRegion: "eu-west-1",
    regions: ["eu-west-1", "us-east-1"],
    mode,
    families: families.map((family) => ({ ...family, copyTo: [] })),
  });
}

/** Channel pointers in memory: what the sweep re-asserts is kept, per region and name. */
export class FakePointers implements ImagePointers {
  readonly values = new Map<string, string>();
  async getPointer(region: string, name: string) {
    return this.values.get(`${region}|${name}`);
  }
  async putPointer(region: string, name: string, imageId: string) {
    this.values.set(`${region}|${name}`, imageId);
  }
}

/**
 * EC2's sharing calls over an account that shares nothing and blocks new public sharing: the families of
 * these tests have no consumers, so the sweep only reads it.
 */
export class FakeSharing implements ImageSharingService {
  async getLaunchPermissions(): Promise<LaunchPermissions> {
    return { accounts: [], organizationArns: [], organizationalUnitArns: [], public: false };
  }
  modifyLaunchPermissions(): never {
    throw new Error("modifyLaunchPermissions is not expected in this test");
  }
  async getSnapshotVolumePermissions() {
    return { accounts: [], public: false };
  }
  modifySnapshotVolumePermissions(): never {
    throw new Error("modifySnapshotVolumePermissions is not expected in this test");
  }
  async getImageBlockPublicAccessState() {
    return "block-new-sharing" as const;
  }
}

/** Sweep dependencies over the fakes, the clock at the builders' `now`. */
export function sweepDeps(config: Config, images: FakeImages, registry: FakeRegistry) {
  const published: Notification[] = [];
  const notifier: Notifier = { publish: async (notification) => void published.push(notification) };
  const deps: SweepDependencies = {
    config,
    images,
    registry,
    notifier,
    securityNotifier: notifier,
    pointers: new FakePointers(),
    sharing: new FakeSharing(),
    sweeps: { requestFamilySweep: async () => {} },
    clock: { now: () => now },
    log: silentLog,
    protection: new FakeProtection(),
    watermarks: { attach: async (_region, _imageId, name) => `111122223333:${name}` },
  };
  return { deps, published };
}

/** Deregistration protection that records the images it would protect (pointer protection is always on). */
export class FakeProtection {
  readonly enabled: string[] = [];
  readonly disabled: string[] = [];
  async enableProtection(region: string, imageId: string) {
    this.enabled.push(`${region}/${imageId}`);
  }
  async disableProtection(region: string, imageId: string) {
    this.disabled.push(`${region}/${imageId}`);
  }
}

/**
 * Marks the images the pointers name as protected, as the event reactions left them (pointer protection
 * is always on), so a sweep finds no protection to repair.
 */
export function protectPointedImages(images: FakeImages, pointers: FakePointers): void {
  const pointed = new Set([...pointers.values].map(([key, imageId]) => `${key.split("|")[0]}/${imageId}`));
  for (const image of images.images) {
    if (!pointed.has(`${image.region}/${image.imageId}`)) continue;
    image.deregistrationProtection = true;
    image.deregistrationProtectionSetting = "enabled-with-cooldown";
  }
}
