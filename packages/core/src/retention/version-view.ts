import type { ImageRecord, ImageReference, RegionImageRecord, VersionRecord } from "../model";
import { type Inventory, imageIn } from "./inventory";
import { parseTime } from "./time";

/**
 * How far one region's image has progressed towards retirement, read from EC2 (never from the registry,
 * so a sweep killed half-way resumes where EC2 actually is):
 * 0 available, 1 deprecated (deprecation time past), 2 disabled (or failed: nothing to deprecate or
 * disable), 3 gone; "unsettled" while the image is pending and cannot be acted on.
 */
export type RetirementLevel = 0 | 1 | 2 | 3 | "unsettled";

/** One region's image of a version, joined with its EC2 record. */
export interface RegionView {
  region: string;
  imageId: string;
  record: RegionImageRecord;
  /** undefined when EC2 no longer has the image */
  image: ImageRecord | undefined;
  /** what uses the image (whether or not EC2 still lists it) */
  references: readonly ImageReference[];
  level: RetirementLevel;
}

/** A version joined with the EC2 records of its images. */
export interface VersionView {
  record: VersionRecord;
  version: number;
  createdAtMs: number;
  /** regions that have an image id, sorted by region */
  regions: RegionView[];
  /** the EC2 records that still exist */
  images: ImageRecord[];
  /** at least one of its images is launchable (EC2 state "available"; deprecated images still launch) */
  available: boolean;
}

const noReferences: readonly ImageReference[] = [];

/** Joins each version with the EC2 view of its images; sorted by build time (`byBuildTime`). */
export function viewVersions(
  family: string,
  versions: readonly VersionRecord[],
  inventory: Inventory,
  nowMs: number,
): VersionView[] {
  const views: VersionView[] = [];
  for (const record of versions) {
    if (record.family !== family) continue;
    const regions: RegionView[] = [];
    const images: ImageRecord[] = [];
    let available = false;
    for (const region of sortedKeys(record.regions)) {
      const regionRecord = record.regions[region];
      if (!regionRecord?.imageId) continue;
      const entry = inventory.byImageId.get(regionRecord.imageId);
      const image = imageIn(entry, region);
      if (image) images.push(image);
      if (image?.state === "available") available = true;
      regions.push({
        region,
        imageId: regionRecord.imageId,
        record: regionRecord,
        image,
        references: entry?.references ?? noReferences,
        level: retirementLevel(image, regionRecord, nowMs),
      });
    }
    // An unparseable creation time counts as "just created": min-age then keeps it.
    const createdAtMs = parseTime(record.createdAt) ?? nowMs;
    views.push({ record, version: record.version, createdAtMs, regions, images, available });
  }
  return views.sort(byBuildTime);
}

/**
 * Oldest build first: creation time, then version number for builds of the same instant. Retention ranks
 * by build time, not number, because adoption gives new numbers to images built long before.
 */
export function byBuildTime(a: VersionView, b: VersionView): number {
  return a.createdAtMs - b.createdAtMs || a.version - b.version;
}

/** Reads a region's retirement progress from its EC2 record. */
export function retirementLevel(
  image: ImageRecord | undefined,
  record: RegionImageRecord,
  nowMs: number,
): RetirementLevel {
  if (!image) {
    // A copy the registry just started may not be listed yet (eventual consistency): wait for it.
    return record.state === "pending" || record.state === "copy-waiting" ? "unsettled" : 3;
  }
  switch (image.state) {
    case "deregistered":
      return 3;
    case "disabled":
    case "failed":
    case "invalid":
    case "error":
      return 2;
    case "pending":
    case "transient":
      return "unsettled";
    case "available": {
      const deprecatedAt = parseTime(image.deprecationTime);
      return deprecatedAt !== undefined && deprecatedAt <= deprecationSetNow(nowMs) ? 1 : 0;
    }
  }
}

/** EC2 keeps a deprecation time to the minute. */
const deprecationPrecisionMs = 60_000;

/**
 * The deprecation time a deprecate step would set at `nowMs`: EC2 rounds "now" up to its minute, so an
 * image deprecated seconds ago reads as deprecated up to a minute ahead. Counting it as not deprecated
 * yet would ask EC2 again (a continuation started within that minute, a further pass), and the stage
 * already recorded would not advance, so the family would stop short of its later stages.
 */
export function deprecationSetNow(nowMs: number): number {
  return Math.ceil(nowMs / deprecationPrecisionMs) * deprecationPrecisionMs;
}

/** The keys of a small record, sorted (most arrive sorted already: skip the sort then). */
function sortedKeys(record: Record<string, unknown>): string[] {
  const keys = Object.keys(record);
  for (let index = 1; index < keys.length; index++) {
    if ((keys[index - 1] as string) > (keys[index] as string)) return keys.sort();
  }
  return keys;
}
