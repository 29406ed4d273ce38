import type { VersionRecord } from "../model";
import type { ImagePointers } from "../ports";
import { latestPointerName } from "./names";

/** What moving one pointer did. */
export interface PointerMove {
  region: string;
  name: string;
  version: number;
  imageId: string;
  /** the image id the pointer held before, when it held one */
  previousImageId?: string;
}

/**
 * Newer build first: creation time, then version number. `latest` follows build time, not number, since
 * adoption numbers images built long before the service after its own builds.
 */
export function builtAfter(a: VersionRecord, b: VersionRecord): boolean {
  const aMs = Date.parse(a.createdAt);
  const bMs = Date.parse(b.createdAt);
  if (aMs !== bMs && !Number.isNaN(aMs) && !Number.isNaN(bMs)) return aMs > bMs;
  return a.version > b.version;
}

/** The newest build that is available in the region and not withdrawn: what `latest` points at there. */
export function latestVersionIn(
  versions: readonly VersionRecord[],
  region: string,
): VersionRecord | undefined {
  let newest: VersionRecord | undefined;
  for (const version of versions) {
    if (version.withdrawn || !availableIn(version, region)) continue;
    if (!newest || builtAfter(version, newest)) newest = version;
  }
  return newest;
}

/** True when the version's image in the region is available and has an id. */
export function availableIn(version: VersionRecord, region: string): boolean {
  const record = version.regions[region];
  return record?.state === "available" && record.imageId !== undefined;
}

/** Every region any version of the family has an image in. */
export function regionsOf(versions: readonly VersionRecord[]): string[] {
  return [...new Set(versions.flatMap((version) => Object.keys(version.regions)))].sort();
}

/**
 * Points the family's `latest` pointer of one region at the newest available, non-withdrawn version of
 * `versions`. Idempotent (no write when it already holds that image). Never moves it back to an older
 * version when it holds a newer, non-withdrawn one this (possibly stale) view has not seen available
 * yet: a late or duplicate event of an old version, racing the new one's, then changes nothing.
 * `held`: what the pointer held when the caller read it just before `versions` (no second read then).
 */
export async function assertLatestPointer(
  pointers: ImagePointers,
  namePattern: string,
  family: string,
  versions: readonly VersionRecord[],
  region: string,
  held?: { imageId: string | undefined },
): Promise<PointerMove | undefined> {
  const target = latestVersionIn(versions, region);
  const imageId = target?.regions[region]?.imageId;
  if (!target || !imageId) return undefined;
  const name = latestPointerName(namePattern, family);
  const current = held ? held.imageId : await pointers.getPointer(region, name);
  if (current === imageId) return undefined;
  if (current && holdsNewerLiveVersion(versions, region, current, target)) return undefined;
  await pointers.putPointer(region, name, imageId);
  return {
    region,
    name,
    version: target.version,
    imageId,
    ...(current ? { previousImageId: current } : {}),
  };
}

function holdsNewerLiveVersion(
  versions: readonly VersionRecord[],
  region: string,
  imageId: string,
  than: VersionRecord,
): boolean {
  const held = versions.find((version) => version.regions[region]?.imageId === imageId);
  if (!held || held.withdrawn || !builtAfter(held, than)) return false;
  const state = held.regions[region]?.state;
  return state === "pending" || state === "available";
}
