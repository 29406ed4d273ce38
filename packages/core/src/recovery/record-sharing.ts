import type { RecordedSharing } from "../model";
import type { ImageSharingService } from "../ports";

/**
 * Reads the image's launch permissions and its snapshots' createVolumePermission before the service
 * removes them (DisableImage and the bin both drop sharing; EnableImage does not give it back).
 */
export async function readSharing(
  sharing: ImageSharingService,
  region: string,
  imageId: string,
  snapshotIds: readonly string[],
  now: Date,
): Promise<RecordedSharing> {
  const launch = await sharing.getLaunchPermissions(region, imageId);
  const snapshotAccounts: Record<string, string[]> = {};
  for (const snapshotId of snapshotIds) {
    const { accounts } = await sharing.getSnapshotVolumePermissions(region, snapshotId);
    if (accounts.length > 0) snapshotAccounts[snapshotId] = [...accounts].sort();
  }
  return {
    accounts: [...launch.accounts].sort(),
    organizationArns: [...launch.organizationArns].sort(),
    organizationalUnitArns: [...launch.organizationalUnitArns].sort(),
    snapshotAccounts,
    recordedAt: now.toISOString(),
  };
}
