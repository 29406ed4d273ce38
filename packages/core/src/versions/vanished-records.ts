import type { FamilyConfig } from "../config";
import type { RegionImageRecord, VersionRecord } from "../model";
import { failureOf, type RegistryReconciliation } from "../sweep-results";
import type { VersionDependencies } from "./version-dependencies";

/** A copy the registry records as pending but EC2 does not list yet is given this long before it counts as missing. */
export const pendingGraceMs = 6 * 3_600_000;

/** A registered image EC2 does not list, past the grace a just-started copy gets to appear. */
export function hasVanished(record: RegionImageRecord, now: Date): boolean {
  // A recoverable image is not listed either: the bin holds it, and confirmGoneFromBin decides when it is gone.
  if (["deregistered", "recoverable", "missing", "failed"].includes(record.state)) return false;
  if (record.state === "pending" || record.state === "copy-waiting") {
    const updatedAt = Date.parse(record.updatedAt);
    return !Number.isNaN(updatedAt) && now.getTime() - updatedAt >= pendingGraceMs;
  }
  return true;
}

/** Marks a vanished region record `deregistered` when the service retired it, `missing` otherwise. */
export async function markGone(
  deps: VersionDependencies,
  result: RegistryReconciliation,
  family: FamilyConfig,
  version: VersionRecord,
  record: RegionImageRecord,
  now: Date,
): Promise<void> {
  const state = record.retiredBy === "service" ? "deregistered" : "missing";
  try {
    await deps.registry.putRegionImage(
      family.name,
      version.version,
      { ...record, state, updatedAt: now.toISOString() },
      { expectImageId: record.imageId ?? null },
    );
    result.reconciled.push({
      kind: state === "deregistered" ? "marked-deregistered" : "marked-missing",
      region: record.region,
      version: version.version,
      ...(record.imageId ? { imageId: record.imageId } : {}),
    });
  } catch (error) {
    result.failures.push(
      failureOf("mark-gone", error, {
        family: family.name,
        version: version.version,
        region: record.region,
        ...(record.imageId ? { resourceId: record.imageId } : {}),
      }),
    );
  }
}
