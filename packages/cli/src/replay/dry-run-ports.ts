import {
  type CopyImageRequest,
  type ImageLocation,
  type ImagePointers,
  type ImageService,
  type ImageSharingService,
  type LaunchPermissionChange,
  type NewVersion,
  type Notification,
  type Notifier,
  newVersionRecord,
  type PointerMove,
  type RegionImageRecord,
  type RegionImageWrite,
  type RegionWriteOptions,
  type RegistryBatchWrite,
  type RetentionStage,
  type RollbackDecision,
  type SweepRequester,
  type VersionRecord,
  type VersionRegistry,
  writeBatchOneByOne,
} from "@ami-lifecycle/core";

/** One write the service would have made, in words. */
export type Intent = string;

/**
 * EC2 that reads the real account and only records what it would change: every mutating call becomes
 * an intent and succeeds without reaching AWS.
 */
export class DryRunImages implements ImageService {
  private copies = 0;

  constructor(
    private readonly real: ImageService,
    private readonly intents: Intent[],
  ) {}

  describeImage(region: string, imageId: string) {
    return this.real.describeImage(region, imageId);
  }
  listManagedImages(region: string) {
    return this.real.listManagedImages(region);
  }
  listOwnedImages(region: string) {
    return this.real.listOwnedImages(region);
  }
  listManagedSnapshots(region: string) {
    return this.real.listManagedSnapshots(region);
  }
  findReferences(region: string, imageIds: readonly string[]) {
    return this.real.findReferences(region, imageIds);
  }
  usesReferenceFallback(region: string) {
    return this.real.usesReferenceFallback(region);
  }
  /** Reads only: the real service's reading for one sweep (its launch sources read once per region). */
  referenceReading() {
    return this.real.referenceReading();
  }
  async tagImage(
    region: string,
    imageId: string,
    snapshotIds: readonly string[],
    tags: Record<string, string>,
  ) {
    this.intents.push(
      `ec2 CreateTags ${region} ${[imageId, ...snapshotIds].join(",")} ${Object.keys(tags).length} tags`,
    );
  }
  async copyImage(request: CopyImageRequest) {
    const imageId = `ami-dryrun${String(++this.copies).padStart(8, "0")}`;
    this.intents.push(
      `ec2 CopyImage ${request.sourceImageId} ${request.sourceRegion} → ${request.destinationRegion} (KMS ${request.kmsKeyId}, token ${request.clientToken})`,
    );
    return { imageId };
  }
  async deprecateImage(region: string, imageId: string, deprecateAt: Date) {
    this.intents.push(`ec2 EnableImageDeprecation ${region} ${imageId} at ${deprecateAt.toISOString()}`);
  }
  async disableImage(region: string, imageId: string) {
    this.intents.push(`ec2 DisableImage ${region} ${imageId}`);
  }
  async deregisterImage(region: string, imageId: string) {
    this.intents.push(`ec2 DeregisterImage ${region} ${imageId} (with snapshots)`);
    return { snapshotResults: [] };
  }
  async deleteSnapshot(region: string, snapshotId: string) {
    this.intents.push(`ec2 DeleteSnapshot ${region} ${snapshotId}`);
  }
}

/**
 * EC2's sharing calls reading the real account: a grant or revoke the guard or sharing would make is an
 * intent instead.
 */
export class DryRunSharing implements ImageSharingService {
  constructor(
    private readonly real: ImageSharingService,
    private readonly intents: Intent[],
  ) {}

  getLaunchPermissions(region: string, imageId: string) {
    return this.real.getLaunchPermissions(region, imageId);
  }
  async modifyLaunchPermissions(region: string, imageId: string, change: LaunchPermissionChange) {
    this.intents.push(
      `ec2 ModifyImageAttribute ${region} ${imageId} launchPermission ${JSON.stringify(change)}`,
    );
  }
  getSnapshotVolumePermissions(region: string, snapshotId: string) {
    return this.real.getSnapshotVolumePermissions(region, snapshotId);
  }
  async modifySnapshotVolumePermissions(
    region: string,
    snapshotId: string,
    change: { add: string[]; remove: string[] },
  ) {
    this.intents.push(
      `ec2 ModifySnapshotAttribute ${region} ${snapshotId} createVolumePermission ${JSON.stringify(change)}`,
    );
  }
  getImageBlockPublicAccessState(region: string) {
    return this.real.getImageBlockPublicAccessState(region);
  }
}

/**
 * The registry read from DynamoDB with this replay's would-be writes layered on top in memory, so later
 * events of the same replay see the versions earlier ones would have registered.
 */
export class DryRunRegistry implements VersionRegistry {
  private readonly versions = new Map<string, VersionRecord>();
  private readonly locations = new Map<string, ImageLocation>();
  private readonly claims = new Set<string>();
  private readonly sharingMarks = new Map<string, boolean>();
  private readonly rollbacks = new Map<string, RollbackDecision>();

  constructor(
    private readonly real: VersionRegistry,
    private readonly intents: Intent[],
  ) {}

  async registerVersion(input: NewVersion) {
    const known = await this.findByImageId(input.imageId);
    const existing = known && (await this.getVersion(known.family, known.version));
    if (existing) return { version: existing, created: false };
    const all = await this.listVersions(input.family);
    const number = Math.max(0, ...all.map((version) => version.version)) + 1;
    const version = newVersionRecord(input, number);
    this.remember(version);
    this.intents.push(`registry register ${input.family} v${number} ← ${input.imageId} (${input.region})`);
    return { version, created: true };
  }
  /** One by one: the replay's writes are in memory, so there is no round trip to save. */
  async registerVersions(inputs: readonly NewVersion[]) {
    const registered: { version: VersionRecord; created: boolean }[] = [];
    for (const input of inputs) registered.push(await this.registerVersion(input));
    return registered;
  }
  async getVersion(family: string, version: number) {
    return this.versions.get(`${family}#${version}`) ?? (await this.real.getVersion(family, version));
  }
  async listVersions(family: string) {
    const merged = new Map(
      (await this.real.listVersions(family)).map((version) => [version.version, version]),
    );
    for (const version of this.versions.values())
      if (version.family === family) merged.set(version.version, version);
    return [...merged.values()].sort((a, b) => a.version - b.version);
  }
  async *newestVersions(family: string) {
    yield* (await this.listVersions(family)).reverse();
  }
  async listFamilies() {
    const families = new Set(await this.real.listFamilies());
    for (const version of this.versions.values()) families.add(version.family);
    return [...families].sort();
  }
  async findByImageId(imageId: string) {
    return this.locations.get(imageId) ?? (await this.real.findByImageId(imageId));
  }
  async putRegionImage(
    family: string,
    version: number,
    record: RegionImageRecord,
    options: RegionWriteOptions = {},
  ) {
    const current = await this.getVersion(family, version);
    if (!current) return false;
    this.remember({ ...current, regions: { ...current.regions, [record.region]: record } });
    this.intents.push(
      `registry ${family} v${version} ${record.region}: ${record.state}${record.imageId ? ` ${record.imageId}` : ""}`,
    );
    if (options.clearProtectionOf)
      await this.clearProtection(family, record.region, options.clearProtectionOf);
    return true;
  }
  async putRegionImages(family: string, version: number, writes: readonly RegionImageWrite[]) {
    const written: boolean[] = [];
    for (const { record } of writes) written.push(await this.putRegionImage(family, version, record));
    return written;
  }
  /** The marker the same write clears in the real registry (putRegionImage's `clearProtectionOf`). */
  private async clearProtection(family: string, region: string, left: { version: number; imageId: string }) {
    const stored = await this.getVersion(family, left.version);
    const record = stored?.regions[region];
    if (!stored || record?.imageId !== left.imageId || record.pointerProtectedAt === undefined) return;
    const { pointerProtectedAt: _cleared, ...kept } = record;
    this.remember({ ...stored, regions: { ...stored.regions, [region]: kept } });
    this.intents.push(`registry ${family} v${left.version} ${region}: protection marker cleared`);
  }
  async advanceStage(family: string, version: number, stage: RetentionStage) {
    this.intents.push(`registry ${family} v${version} stage → ${stage}`);
    return true;
  }
  async writeBatch(family: string, writes: readonly RegistryBatchWrite[]) {
    return writeBatchOneByOne(this, family, writes);
  }
  async recordCreator(family: string, version: number, createdBy: string) {
    const current = await this.getVersion(family, version);
    if (!current || current.createdBy) return false;
    this.remember({ ...current, createdBy });
    this.intents.push(`registry ${family} v${version} created by ${createdBy}`);
    return true;
  }
  async sharingGranted(family: string) {
    return this.sharingMarks.get(family) ?? (await this.real.sharingGranted(family));
  }
  async setSharingGranted(family: string, granted: boolean) {
    this.sharingMarks.set(family, granted);
  }
  async setWithdrawn(family: string, version: number, withdrawn: boolean) {
    this.intents.push(`registry ${family} v${version} withdrawn=${withdrawn}`);
  }
  async restoreVersion(family: string, version: number, hold: { restoredAt: string; heldUntil: string }) {
    this.intents.push(
      `registry ${family} v${version} stage → active (restored, held until ${hold.heldUntil})`,
    );
  }
  /** Claims live only in this replay: an effect already performed in the account shows up again here. */
  async setMarker(key: string) {
    if (this.claims.has(key)) return false;
    this.claims.add(key);
    return true;
  }
  async clearMarker(key: string) {
    this.claims.delete(key);
  }
  async hasMarker(key: string) {
    return this.claims.has(key);
  }
  /** Leases live only in this replay too; nothing else runs concurrently, so a claim is taken or done. */
  async takeClaim(key: string) {
    if (this.claims.has(key)) return { state: "done" as const };
    this.claims.add(key);
    return { state: "taken" as const, leaseId: `dry-run:${key}` };
  }
  async completeClaim(key: string) {
    this.claims.add(key);
  }
  async completeClaims(keys: readonly string[]) {
    for (const key of keys) this.claims.add(key);
  }
  async releaseLease(key: string) {
    this.claims.delete(key);
  }
  /** Replays never roll back; decisions are kept in memory like everything else written. */
  async getRollbackDecision(requestId: string) {
    return this.rollbacks.get(requestId);
  }
  async recordRollbackDecision(decision: RollbackDecision) {
    const recorded = this.rollbacks.get(decision.requestId) ?? decision;
    this.rollbacks.set(decision.requestId, recorded);
    return recorded;
  }
  async markRollbackApplied(requestId: string, pointers: PointerMove[]) {
    const recorded = this.rollbacks.get(requestId);
    if (recorded) this.rollbacks.set(requestId, { ...recorded, pointers });
  }

  private remember(version: VersionRecord): void {
    this.versions.set(`${version.family}#${version.version}`, version);
    for (const [region, record] of Object.entries(version.regions)) {
      if (record.imageId) {
        this.locations.set(record.imageId, {
          family: version.family,
          version: version.version,
          region,
          role: record.role,
        });
      }
    }
  }
}

/** SNS and EventBridge that only record what would be published. */
export function dryRunOutbox(intents: Intent[]): {
  notifier: Notifier;
  securityNotifier: Notifier;
  sweeps: SweepRequester;
} {
  const notifier: Notifier = {
    async publish(notification: Notification) {
      intents.push(`sns ${notification.eventType} to team ${notification.team}: ${notification.subject}`);
    },
  };
  return {
    notifier,
    // One outbox: a replay reports a public-sharing alert like any other notification it would send.
    securityNotifier: notifier,
    sweeps: {
      async requestFamilySweep(family: string, reason: string) {
        intents.push(`eventbridge request sweep of ${family} (${reason})`);
      },
    },
  };
}

/**
 * Channel pointers that read the real account (when given) and only record the moves: a replay shows
 * `ssm PutParameter …` where the service would move a pointer, and changes none.
 */
export class DryRunPointers implements ImagePointers {
  private readonly written = new Map<string, string>();

  constructor(
    private readonly real: ImagePointers | undefined,
    private readonly intents: Intent[],
  ) {}

  async getPointer(region: string, name: string) {
    return this.written.get(`${region}|${name}`) ?? (await this.real?.getPointer(region, name));
  }
  async putPointer(region: string, name: string, imageId: string) {
    this.written.set(`${region}|${name}`, imageId);
    this.intents.push(`ssm PutParameter ${region} ${name} = ${imageId} (aws:ec2:image)`);
  }
}
