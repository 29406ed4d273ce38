import type { FamilyConfig } from "../config";
import { ImageNotFoundError } from "../errors";
import type { RecordedSharing, RegionImageRecord, VersionRecord } from "../model";
import { notifyOnce } from "../notifications/once";
import { versionNotification } from "../notifications/version-messages";
import { retiredTag } from "./ports";
import { publicImageRefusal } from "./public-image";
import { RestoreStoppedError, RestoreTargetError, SnapshotRecoveryTimeoutError } from "./restore-errors";
import { planRestore, type RegionRestore, type RestoreDependencies, type RestorePlan } from "./restore-plan";

const dayMs = 24 * 60 * 60 * 1000;

/** How often, and how long at most, a restore polls snapshots recovering from the bin. */
export const snapshotRecoveryPoll = { intervalMs: 15_000, maxWaitMs: 10 * 60_000 } as const;

/** Launch and snapshot permissions a restore had to add again (the bin or EnableImage did not give them back). */
export interface ReappliedSharing {
  accounts: string[];
  organizationArns: string[];
  organizationalUnitArns: string[];
  snapshotAccounts: Record<string, string[]>;
}

/** What a restore did in one region: the plan's steps, and the sharing it had to re-apply. */
export interface RegionRestored extends RegionRestore {
  reapplied?: ReappliedSharing;
}

/** What `restoreVersion` did. */
export interface RestoreResult extends Omit<RestorePlan, "regions"> {
  regions: RegionRestored[];
  restoredAt: string;
  heldUntil: string;
}

const realSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Restores a retired version in every region (or one): checks every region first (planRestore: refused
 * with nothing changed when any cannot be restored), then per region undoes what retirement did, each
 * step checking EC2 first so a restore killed half-way resumes when run again. The version becomes
 * active again with a hold of `retention.restoredHoldDays` the planner honours; `withdrawn` stays as it
 * was (a restored bad build is not promoted). The team is told once per restore (`restored`).
 */
export async function restoreVersion(
  deps: RestoreDependencies,
  familyName: string,
  versionNumber: number,
  options: { region?: string } = {},
): Promise<RestoreResult> {
  const { plan, record, family } = await planRestore(deps, familyName, versionNumber, options);
  const regions: RegionRestored[] = [];
  for (const region of plan.regions) regions.push(await restoreRegion(deps, family, record, region));
  const acted = regions.some((region) => region.actions.length > 0);
  const hold = await holdVersion(deps, family, record, acted);
  const result: RestoreResult = { ...plan, regions, ...hold };
  const notification = versionNotification("restored", family, record, record.sourceRegion, {
    regions: Object.values(record.regions)
      .filter(
        (region) => regions.some((done) => done.region === region.region) || region.state === "available",
      )
      .map((region) => region.region)
      .sort(),
    reason: `restored on ${hold.restoredAt.slice(0, 10)}, held from retirement until ${hold.heldUntil}${record.withdrawn ? "; still withdrawn, so never promoted" : ""}`,
  });
  // Keyed by the restore's own date: a resumed restore finds it recorded and never tells twice.
  await notifyOnce(deps, `restored:${family.name}:${versionNumber}:${hold.restoredAt}`, notification);
  deps.log.info("version restored", { family: family.name, version: versionNumber, ...hold });
  return result;
}

/** Back to `active` with its hold; a restore resumed after this write keeps the first restore's dates. */
async function holdVersion(
  deps: RestoreDependencies,
  family: FamilyConfig,
  record: VersionRecord,
  acted: boolean,
): Promise<{ restoredAt: string; heldUntil: string }> {
  if (record.stage === "active" && record.restoredAt && record.heldUntil && !acted) {
    return { restoredAt: record.restoredAt, heldUntil: record.heldUntil };
  }
  if (record.stage === "active" && !acted) {
    throw new RestoreTargetError(family.name, `v${record.version} is not retired: nothing to restore`);
  }
  const now = deps.clock.now();
  const hold = {
    restoredAt: now.toISOString(),
    heldUntil: new Date(now.getTime() + family.retention.restoredHoldDays * dayMs).toISOString(),
  };
  await deps.registry.restoreVersion(family.name, record.version, hold);
  return hold;
}

async function restoreRegion(
  deps: RestoreDependencies,
  family: FamilyConfig,
  version: VersionRecord,
  step: RegionRestore,
): Promise<RegionRestored> {
  const { region, imageId } = step;
  const record = version.regions[region] as RegionImageRecord;
  const done: RegionRestored = { ...step };
  for (const action of step.actions) {
    switch (action) {
      case "restore-snapshots": {
        // Only what the bin still holds: a resumed restore skips the snapshots restored before.
        const bin = await deps.restore.binContents(region, imageId, record.snapshotIds);
        for (const snapshotId of record.snapshotIds)
          if (bin.binnedSnapshots.has(snapshotId)) await deps.restore.restoreSnapshot(region, snapshotId);
        break;
      }
      case "wait-for-snapshots":
        await waitForSnapshots(deps, region, record.snapshotIds);
        break;
      case "restore-image": {
        const bin = await deps.restore.binContents(region, imageId, []);
        if (bin.imageBinned) await deps.restore.restoreImage(region, imageId);
        break;
      }
      case "enable-image": {
        const image = await deps.images.describeImage(region, imageId);
        if (image?.state === "disabled") await deps.restore.enableImage(region, imageId);
        break;
      }
      case "cancel-deprecation": {
        const image = await deps.images.describeImage(region, imageId);
        if (!image?.deprecationTime) break;
        // Asked again: the image may have been made public since the plan, and EC2 would refuse the call.
        const refusal = await publicImageRefusal(deps.sharing, region, imageId);
        if (refusal) throw new RestoreStoppedError(family.name, version.version, refusal);
        await deps.restore.cancelDeprecation(region, imageId);
        break;
      }
      case "remove-retired-tag":
        // DeleteTags of a tag that is not there is a no-op: safe to repeat.
        await deps.restore.removeTag(region, [imageId, ...record.snapshotIds], retiredTag);
        break;
      case "confirm-sharing": {
        const reapplied = await reapplySharing(deps, region, imageId, record.recordedSharing);
        if (reapplied) done.reapplied = reapplied;
        break;
      }
      case "mark-active":
        await markActive(deps, family, version, record);
        break;
    }
  }
  return done;
}

/** Polls until every snapshot is `completed` (EC2's "available"), bounded; throws so a re-run resumes. */
async function waitForSnapshots(
  deps: RestoreDependencies,
  region: string,
  snapshotIds: readonly string[],
): Promise<void> {
  const sleep = deps.sleep ?? realSleep;
  let waited = 0;
  for (;;) {
    const states = await deps.restore.snapshotStates(region, snapshotIds);
    const recovering = snapshotIds.filter((id) => states.get(id) !== "completed");
    if (recovering.length === 0) return;
    if (waited >= snapshotRecoveryPoll.maxWaitMs) throw new SnapshotRecoveryTimeoutError(region, recovering);
    await sleep(snapshotRecoveryPoll.intervalMs);
    waited += snapshotRecoveryPoll.intervalMs;
  }
}

/**
 * Adds back the recorded launch and snapshot permissions EC2 does not show now (EnableImage gives none
 * back; the bin should, and this confirms it). Only adds: what consumers were granted since stays.
 */
async function reapplySharing(
  deps: RestoreDependencies,
  region: string,
  imageId: string,
  recorded: RecordedSharing | undefined,
): Promise<ReappliedSharing | undefined> {
  const sharing = deps.sharing;
  if (!recorded) return undefined;
  let current: Awaited<ReturnType<typeof sharing.getLaunchPermissions>>;
  try {
    current = await sharing.getLaunchPermissions(region, imageId);
  } catch (error) {
    if (error instanceof ImageNotFoundError) return undefined;
    throw error;
  }
  const absent = (wanted: readonly string[], present: readonly string[]) =>
    wanted.filter((value) => !present.includes(value));
  const add = {
    accounts: absent(recorded.accounts, current.accounts),
    organizationArns: absent(recorded.organizationArns, current.organizationArns),
    organizationalUnitArns: absent(recorded.organizationalUnitArns, current.organizationalUnitArns),
  };
  const reapplied: ReappliedSharing = { ...add, snapshotAccounts: {} };
  if (add.accounts.length + add.organizationArns.length + add.organizationalUnitArns.length > 0) {
    await sharing.modifyLaunchPermissions(region, imageId, {
      add,
      remove: { accounts: [], organizationArns: [], organizationalUnitArns: [] },
    });
  }
  for (const [snapshotId, accounts] of Object.entries(recorded.snapshotAccounts)) {
    const { accounts: present } = await sharing.getSnapshotVolumePermissions(region, snapshotId);
    const missing = absent(accounts, present);
    if (missing.length === 0) continue;
    await sharing.modifySnapshotVolumePermissions(region, snapshotId, { add: missing, remove: [] });
    reapplied.snapshotAccounts[snapshotId] = missing;
  }
  const any =
    add.accounts.length + add.organizationArns.length + add.organizationalUnitArns.length > 0 ||
    Object.keys(reapplied.snapshotAccounts).length > 0;
  return any ? reapplied : undefined;
}

/**
 * The region record is available again. The recorded sharing was given back, so it is dropped: the next
 * retirement records what is shared then.
 */
async function markActive(
  deps: RestoreDependencies,
  family: FamilyConfig,
  version: VersionRecord,
  record: RegionImageRecord,
): Promise<void> {
  const { recordedSharing: _shared, recoverableUntil: _until, retiredBy: _by, ...rest } = record;
  await deps.registry.putRegionImage(
    family.name,
    version.version,
    { ...rest, state: "available", updatedAt: deps.clock.now().toISOString() },
    { expectImageId: record.imageId as string },
  );
}
