import type { RegionImageRecord, SnapshotPrices, VersionRecord } from "@ami-lifecycle/core";
import { snapshotPricePerGiBMonth } from "@ami-lifecycle/core";
import type { PlanDocument } from "../planning/plan-document";
import type { RegistryFamily } from "../planning/registry-view";

/** How long one version's image held snapshot storage in one region. */
export interface StorageInterval {
  family: string;
  version: number;
  region: string;
  gib: number;
  from: string;
  /** when the image was deregistered; absent while it still exists */
  until?: string;
}

/** A family's snapshot storage in one region from `at` until the next point. */
export interface StoragePoint {
  family: string;
  region: string;
  at: string;
  gib: number;
}

/** Storage, cost and savings of one family in one region. */
export interface RegionStorage {
  family: string;
  region: string;
  /** GiB held now */
  gib: number;
  monthlyCost: number;
  /** GiB the retirements of the period freed */
  freedGiB: number;
  /** GiB the latest plan would free next */
  planFreesGiB: number;
}

/** Everything the report's storage section draws. */
export interface StorageReport {
  now: string;
  periodDays: number;
  currency: string;
  pricesAsOf: string;
  regions: RegionStorage[];
  history: StoragePoint[];
}

const dayMs = 86_400_000;

/**
 * Storage over time, derived from the registry alone: each version's image holds its snapshots from the
 * time it became available until it was deregistered. Sizes are what EC2 reports for the snapshots
 * (volume sizes): an upper bound of what is billed, since snapshots store only written blocks.
 */
export function storageReport(
  families: readonly RegistryFamily[],
  plan: PlanDocument,
  prices: SnapshotPrices,
  periodDays = 30,
): StorageReport {
  const now = plan.plannedAt;
  const periodStart = new Date(Date.parse(now) - periodDays * dayMs).toISOString();
  const intervals = families.flatMap((family) => family.versions.flatMap(storageIntervals));
  const regions = new Map<string, RegionStorage>();
  const entry = (family: string, region: string): RegionStorage => {
    const key = `${family}\u0000${region}`;
    let found = regions.get(key);
    if (!found) {
      found = { family, region, gib: 0, monthlyCost: 0, freedGiB: 0, planFreesGiB: 0 };
      regions.set(key, found);
    }
    return found;
  };
  for (const interval of intervals) {
    const storage = entry(interval.family, interval.region);
    if (interval.until === undefined || interval.until > now) storage.gib += interval.gib;
    else if (interval.until >= periodStart) storage.freedGiB += interval.gib;
  }
  for (const family of plan.families) {
    for (const region of family.regions) {
      const freed = region.decisions.reduce((sum, decision) => sum + decision.freedGiB, 0);
      if (freed > 0) entry(family.family, region.region).planFreesGiB += freed;
    }
  }
  for (const storage of regions.values()) {
    storage.monthlyCost = roundCents(storage.gib * snapshotPricePerGiBMonth(prices, storage.region));
  }
  return {
    now,
    periodDays,
    currency: prices.currency,
    pricesAsOf: prices.asOf,
    regions: [...regions.values()].sort(
      (a, b) => a.family.localeCompare(b.family) || a.region.localeCompare(b.region),
    ),
    history: storageHistory(intervals, now),
  };
}

/** The intervals one version's images held storage, per region (none for an image never available). */
export function storageIntervals(version: VersionRecord): StorageInterval[] {
  return Object.values(version.regions).flatMap((record) => {
    const from = record.availableAt ?? (record.state === "available" ? version.createdAt : undefined);
    if (!from || !record.sizeGiB) return [];
    const until = retiredAt(version, record);
    return [
      {
        family: version.family,
        version: version.version,
        region: record.region,
        gib: record.sizeGiB,
        from,
        ...(until ? { until } : {}),
      },
    ];
  });
}

/** When the region's image stopped holding storage: its deregistration, or when EC2 lost it. */
function retiredAt(version: VersionRecord, record: RegionImageRecord): string | undefined {
  if (record.state !== "deregistered" && record.state !== "missing") return undefined;
  return version.stageDates?.deregistered ?? record.updatedAt;
}

/**
 * A step series per family and region, with a point for every region at every change of the family (and
 * at `now`): aligned points let a chart stack the regions.
 */
export function storageHistory(intervals: readonly StorageInterval[], now: string): StoragePoint[] {
  const families = new Map<string, StorageInterval[]>();
  for (const interval of intervals)
    families.set(interval.family, [...(families.get(interval.family) ?? []), interval]);
  const points: StoragePoint[] = [];
  for (const [family, group] of families) {
    const times = [...new Set([...group.flatMap((interval) => [interval.from, interval.until ?? now]), now])]
      .filter((at) => at <= now)
      .sort();
    const regions = [...new Set(group.map((interval) => interval.region))].sort();
    for (const region of regions) {
      for (const at of times) {
        const gib = group
          .filter(
            (interval) => interval.region === region && interval.from <= at && (interval.until ?? "~") > at,
          )
          .reduce((sum, interval) => sum + interval.gib, 0);
        points.push({ family, region, at, gib });
      }
    }
  }
  return points;
}

function roundCents(value: number): number {
  return Math.round(value * 100) / 100;
}
