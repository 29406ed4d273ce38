import { LifecycleTag } from "../tags/lifecycle-tags";
import type { PlanContext } from "./context";
import { unusedSnapshot } from "./inventory";
import type { ManagedSnapshot, OrphanSnapshot, UnrecordedSnapshot } from "./types";
import type { RegionView, VersionView } from "./version-view";

/** What the snapshot view holds for the family: what may be deleted, and what is only reported. */
export interface SnapshotFindings {
  orphans: OrphanSnapshot[];
  unrecorded: UnrecordedSnapshot[];
}

/**
 * Snapshots tagged for the family that no image in the view uses. Tags only make the service look: a
 * snapshot is an orphan (deletable) only when the registry recorded its id for a version's image in that
 * region (from EC2's block device mappings) and that image is gone from EC2, so never the snapshot of a
 * copy still being made. Anyone can write the tags, so every other such snapshot is reported, never
 * deleted. Needs the snapshot view.
 */
export function findOrphanSnapshots(views: readonly VersionView[], context: PlanContext): SnapshotFindings {
  const findings: SnapshotFindings = { orphans: [], unrecorded: [] };
  const snapshots = context.inventory.snapshotsByFamilyTag.get(context.familyName) ?? [];
  if (snapshots.length === 0) return findings;
  const recorders = recordedSnapshots(views);
  const byVersion = new Map(views.map((view) => [String(view.version), view]));
  const seen = new Set<string>();
  for (const snapshot of snapshots) {
    const key = `${snapshot.region}/${snapshot.snapshotId}`;
    if (seen.has(key)) continue;
    seen.add(key);
    if (!unusedSnapshot(context.inventory, snapshot.snapshotId)) continue;
    const recorder = recorders.get(key);
    if (recorder) {
      if (!imageGone(recorder.view, recorder.region)) continue;
      findings.orphans.push(orphanOf(snapshot, recorder.view.version));
      continue;
    }
    const claimed = byVersion.get(snapshot.tags[LifecycleTag.version] ?? "");
    // A copy just started has tagged snapshots the registry records once the copy settles: not news yet.
    if (claimed && !imageGone(claimed, regionOf(claimed, snapshot.region))) continue;
    findings.unrecorded.push(unrecordedOf(snapshot, context.familyName));
  }
  findings.orphans.sort(byRegionSnapshot);
  findings.unrecorded.sort(byRegionSnapshot);
  return findings;
}

/** `region/snapshotId` → the version and region whose registry record lists the snapshot. */
function recordedSnapshots(views: readonly VersionView[]) {
  const recorders = new Map<string, { view: VersionView; region: RegionView | undefined }>();
  for (const view of views) {
    for (const [regionName, record] of Object.entries(view.record.regions)) {
      const region = regionOf(view, regionName);
      for (const snapshotId of record.snapshotIds)
        recorders.set(`${regionName}/${snapshotId}`, { view, region });
    }
  }
  return recorders;
}

function regionOf(view: VersionView, region: string): RegionView | undefined {
  return view.regions.find((candidate) => candidate.region === region);
}

/** The version's image in the region is gone from EC2 (a region without an image id: the whole version is). */
function imageGone(view: VersionView, region: RegionView | undefined): boolean {
  return region ? region.image === undefined && region.level === 3 : view.record.stage === "deregistered";
}

function orphanOf(snapshot: ManagedSnapshot, version: number): OrphanSnapshot {
  return { region: snapshot.region, snapshotId: snapshot.snapshotId, sizeGiB: snapshot.sizeGiB, version };
}

function unrecordedOf(snapshot: ManagedSnapshot, family: string): UnrecordedSnapshot {
  const tag = snapshot.tags[LifecycleTag.version];
  const number = Number(tag);
  const claimedVersion = tag !== undefined && Number.isSafeInteger(number) ? number : null;
  const claim =
    claimedVersion === null ? `tagged for ${family}` : `tagged as v${claimedVersion} of ${family}`;
  const where =
    claimedVersion === null ? `in ${snapshot.region}` : `for v${claimedVersion} in ${snapshot.region}`;
  return {
    region: snapshot.region,
    snapshotId: snapshot.snapshotId,
    sizeGiB: snapshot.sizeGiB,
    claimedVersion,
    reason: {
      rule: "not-managed",
      message: `${claim}, but the registry recorded no such snapshot ${where}: never deleted`,
    },
  };
}

function byRegionSnapshot(
  a: { region: string; snapshotId: string },
  b: { region: string; snapshotId: string },
): number {
  return compare(a.region, b.region) || compare(a.snapshotId, b.snapshotId);
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
