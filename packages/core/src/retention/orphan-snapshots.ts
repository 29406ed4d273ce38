import { LifecycleTag } from "../tags";
import type { PlanContext } from "./context";
import { unusedSnapshot } from "./inventory";
import type { OrphanSnapshot } from "./types";
import type { VersionView } from "./version-view";

/**
 * Managed snapshots of the family that no image in the view uses and whose version's image in that
 * region is gone from EC2 (so never the snapshot of a copy still being made). A snapshot without a
 * version tag, or of a version the registry does not know, is left alone. Needs the snapshot view.
 */
export function findOrphanSnapshots(views: readonly VersionView[], context: PlanContext): OrphanSnapshot[] {
  const snapshots = context.inventory.snapshotsByFamilyTag.get(context.familyName) ?? [];
  if (snapshots.length === 0) return [];
  const byVersion = new Map(views.map((view) => [String(view.version), view]));
  const orphans: OrphanSnapshot[] = [];
  const seen = new Set<string>();
  for (const snapshot of snapshots) {
    const key = `${snapshot.region}/${snapshot.snapshotId}`;
    if (seen.has(key)) continue;
    seen.add(key);
    const view = byVersion.get(snapshot.tags[LifecycleTag.version] ?? "");
    if (!view || !unusedSnapshot(context.inventory, snapshot.snapshotId)) continue;
    const region = view.regions.find((candidate) => candidate.region === snapshot.region);
    const imageGone = region
      ? region.image === undefined && region.level === 3
      : view.record.stage === "deregistered";
    if (!imageGone) continue;
    orphans.push({
      region: snapshot.region,
      snapshotId: snapshot.snapshotId,
      sizeGiB: snapshot.sizeGiB,
      version: view.version,
    });
  }
  return orphans.sort((a, b) => compare(a.region, b.region) || compare(a.snapshotId, b.snapshotId));
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
