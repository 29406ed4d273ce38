import type { ImageRecord } from "../../model";
import { type Inventory, usedOnlyBy } from "../inventory";

/**
 * snapshots: deregistering an image deletes only the snapshots no other image uses — any image in the
 * view, of any family, managed or not. A snapshot shared with another image stays; once that image is
 * gone too it is an orphan for the snapshot sweep.
 */
export function exclusiveSnapshots(
  image: ImageRecord,
  inventory: Inventory,
): { snapshotIds: string[]; freedGiB: number } {
  const sizes = new Map<string, number>();
  for (const { snapshotId, sizeGiB } of image.snapshots) {
    if (usedOnlyBy(inventory, snapshotId, image.imageId)) sizes.set(snapshotId, sizeGiB);
  }
  const snapshotIds = [...sizes.keys()].sort();
  let freedGiB = 0;
  for (const size of sizes.values()) freedGiB += size;
  return { snapshotIds, freedGiB };
}
