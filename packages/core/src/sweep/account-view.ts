import type { ImageService } from "../ports";
import type { ManagedSnapshot } from "../retention/types";
import { type AccountView, failureOf, regionalKey, type SweepFailure } from "../sweep-results";

// The view's shape lives in ../sweep-results: the capabilities' sweep steps read it too.
export { type AccountView, regionalKey } from "../sweep-results";

/**
 * Lists each region's owned images (one DescribeImages pagination) and managed snapshots. An image listing
 * that fails throws: planning on an incomplete view would take the missing images for gone. A snapshot
 * listing that fails only postpones orphan detection, and is reported.
 */
export async function readAccountView(
  images: Pick<ImageService, "listOwnedImages" | "listManagedSnapshots">,
  regions: readonly string[],
  failures: SweepFailure[],
): Promise<AccountView> {
  const [imageLists, snapshotLists] = await Promise.all([
    Promise.all(regions.map((region) => images.listOwnedImages(region))),
    Promise.all(
      regions.map(async (region): Promise<ManagedSnapshot[] | undefined> => {
        try {
          const listed = await images.listManagedSnapshots(region);
          return listed.map((snapshot) => ({ ...snapshot, region }));
        } catch (error) {
          failures.push(failureOf("list-snapshots", error, { region }));
          return undefined;
        }
      }),
    ),
  ]);
  const all = imageLists.flat();
  const complete = snapshotLists.every((list) => list !== undefined);
  const snapshots = complete ? snapshotLists.flatMap((list) => list ?? []) : undefined;
  return {
    images: all,
    present: new Set(all.map((image) => regionalKey(image.region, image.imageId))),
    snapshots,
    managedSnapshots: snapshots
      ? new Set(snapshots.map((snapshot) => regionalKey(snapshot.region, snapshot.snapshotId)))
      : undefined,
  };
}
