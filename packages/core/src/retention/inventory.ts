import type { ImageRecord, ImageReference } from "../model";
import { LifecycleTag } from "../tags/lifecycle-tags";
import type { ManagedSnapshot } from "./types";

/** Marks a snapshot used by more than one image. */
const shared = Symbol("shared");

/** Everything the inventory knows under one image id. */
export interface ImageEntry {
  /** the image EC2 lists under this id (ids are unique across regions in practice) */
  image: ImageRecord | undefined;
  /** images listed under the same id in other regions: never expected, but never confused either */
  elsewhere: ImageRecord[] | undefined;
  /** what uses the image, matched by id alone so a reference filed under another region still keeps */
  references: ImageReference[] | undefined;
}

/**
 * The EC2 views indexed once, so planning every family of an account stays linear in the number of
 * images instead of scanning all of them per family.
 */
export interface Inventory {
  /** images and references by image id: one lookup per registry image */
  readonly byImageId: ReadonlyMap<string, ImageEntry>;
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
export function imageIn(entry: ImageEntry | undefined, region: string): ImageRecord | undefined {
  if (!entry) return undefined;
  if (entry.image?.region === region) return entry.image;
  return entry.elsewhere?.find((image) => image.region === region);
}

/** Indexes the EC2 views once; pass the result to `planRetention` for every family of the sweep. */
export function indexInventory(
  images: readonly ImageRecord[],
  references: readonly ImageReference[],
  snapshots?: readonly ManagedSnapshot[],
): Inventory {
  const byImageId = new Map<string, ImageEntry>();
  const snapshotUsers = new Map<string, string | typeof shared>();
  const imagesByFamilyTag = new Map<string, ImageRecord[]>();
  for (const image of images) {
    const entry = byImageId.get(image.imageId);
    if (!entry) byImageId.set(image.imageId, { image, elsewhere: undefined, references: undefined });
    else if (!entry.image || entry.image.region === image.region) entry.image = image;
    else {
      entry.elsewhere = (entry.elsewhere ?? []).filter((other) => other.region !== image.region);
      entry.elsewhere.push(image);
    }
    for (const { snapshotId } of image.snapshots) {
      const user = snapshotUsers.get(snapshotId);
      if (user === undefined) snapshotUsers.set(snapshotId, image.imageId);
      else if (user !== image.imageId) snapshotUsers.set(snapshotId, shared);
    }
    const family = image.tags[LifecycleTag.family];
    if (family !== undefined) pushTo(imagesByFamilyTag, family, image);
  }
  for (const reference of references) {
    const entry = byImageId.get(reference.imageId);
    if (!entry)
      byImageId.set(reference.imageId, { image: undefined, elsewhere: undefined, references: [reference] });
    else if (entry.references) entry.references.push(reference);
    else entry.references = [reference];
  }
  const snapshotsByFamilyTag = new Map<string, ManagedSnapshot[]>();
  for (const snapshot of snapshots ?? []) {
    const family = snapshot.tags[LifecycleTag.family];
    if (family !== undefined) pushTo(snapshotsByFamilyTag, family, snapshot);
  }
  return {
    byImageId,
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
