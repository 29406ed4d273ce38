import type { ImageRecord, ImageReference } from "../model";
import { LifecycleTag } from "../tags";
import type { ManagedSnapshot } from "./types";

/** Marks a snapshot used by more than one image. */
const shared = Symbol("shared");

/**
 * The EC2 views indexed once, so planning every family of an account stays linear in the number of
 * images instead of scanning all of them per family.
 */
export interface Inventory {
  /** image by region, then image id (nested maps: no key strings to build and hash per lookup) */
  readonly imagesByRegion: ReadonlyMap<string, ReadonlyMap<string, ImageRecord>>;
  /** references by image id alone: ids are unique across regions, and a misfiled region must still keep */
  readonly referencesByImageId: ReadonlyMap<string, readonly ImageReference[]>;
  /** snapshot id → the one image using it, or `shared` when several do */
  readonly snapshotUsers: ReadonlyMap<string, string | typeof shared>;
  /** images carrying the family tag, by family name */
  readonly imagesByFamilyTag: ReadonlyMap<string, readonly ImageRecord[]>;
  /** managed snapshots carrying the family tag, by family name (empty when no snapshots were given) */
  readonly snapshotsByFamilyTag: ReadonlyMap<string, readonly ManagedSnapshot[]>;
  /** false when no snapshot view was given: orphans cannot be derived */
  readonly hasSnapshotView: boolean;
}

/** The image with this id in this region, if EC2 has it. */
export function findImage(inventory: Inventory, region: string, imageId: string): ImageRecord | undefined {
  return inventory.imagesByRegion.get(region)?.get(imageId);
}

/** Indexes the EC2 views once; pass the result to `planRetention` for every family of the sweep. */
export function indexInventory(
  images: readonly ImageRecord[],
  references: readonly ImageReference[],
  snapshots?: readonly ManagedSnapshot[],
): Inventory {
  const imagesByRegion = new Map<string, Map<string, ImageRecord>>();
  const snapshotUsers = new Map<string, string | typeof shared>();
  const imagesByFamilyTag = new Map<string, ImageRecord[]>();
  for (const image of images) {
    let regionImages = imagesByRegion.get(image.region);
    if (!regionImages) {
      regionImages = new Map();
      imagesByRegion.set(image.region, regionImages);
    }
    regionImages.set(image.imageId, image);
    for (const { snapshotId } of image.snapshots) {
      const user = snapshotUsers.get(snapshotId);
      if (user === undefined) snapshotUsers.set(snapshotId, image.imageId);
      else if (user !== image.imageId) snapshotUsers.set(snapshotId, shared);
    }
    const family = image.tags[LifecycleTag.family];
    if (family !== undefined) pushTo(imagesByFamilyTag, family, image);
  }
  const referencesByImageId = new Map<string, ImageReference[]>();
  for (const reference of references) pushTo(referencesByImageId, reference.imageId, reference);
  const snapshotsByFamilyTag = new Map<string, ManagedSnapshot[]>();
  for (const snapshot of snapshots ?? []) {
    const family = snapshot.tags[LifecycleTag.family];
    if (family !== undefined) pushTo(snapshotsByFamilyTag, family, snapshot);
  }
  return {
    imagesByRegion,
    referencesByImageId,
    snapshotUsers,
    imagesByFamilyTag,
    snapshotsByFamilyTag,
    hasSnapshotView: snapshots !== undefined,
  };
}

/** True when no image other than `imageId` uses the snapshot. */
export function usedOnlyBy(inventory: Inventory, snapshotId: string, imageId: string): boolean {
  return inventory.snapshotUsers.get(snapshotId) === imageId;
}

/** True when no image at all uses the snapshot. */
export function unusedSnapshot(inventory: Inventory, snapshotId: string): boolean {
  return !inventory.snapshotUsers.has(snapshotId);
}

function pushTo<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}
