import { managedTagCondition } from "../iam-conditions";
import type { CapabilityPermissions } from "../permissions";

/** The IAM the sharing capability's calls need: the consumers' launch and volume permissions. */
export const sharingPermissions = {
  shareImages: {
    purpose:
      "grant and revoke the configured consumers' launch permissions and snapshot createVolumePermission (managed images only)",
    calls: [
      "ImageSharingService.getLaunchPermissions",
      "ImageSharingService.getSnapshotVolumePermissions",
      "ImageSharingService.modifyLaunchPermissions",
      "ImageSharingService.modifySnapshotVolumePermissions",
    ],
    statements: [
      { actions: ["ec2:DescribeImageAttribute"], resources: ["imagesInManagedRegions"] },
      { actions: ["ec2:DescribeSnapshotAttribute"], resources: ["snapshotsInManagedRegions"] },
      {
        actions: ["ec2:ModifyImageAttribute"],
        resources: ["imagesInManagedRegions"],
        conditions: [managedTagCondition],
      },
      {
        actions: ["ec2:ModifySnapshotAttribute"],
        resources: ["snapshotsInManagedRegions"],
        conditions: [managedTagCondition],
      },
    ],
  },
} as const satisfies CapabilityPermissions;

/** The IAM of the family watermark on its images (issue #16; only used with the `organization` slice). */
export const watermarksPermissions = {
  watermarkImages: {
    purpose:
      "attach the family's watermark to its managed images: consumers (and their copies) see the family, and EC2 refuses to make them public",
    calls: ["WatermarkPort.attach"],
    statements: [
      {
        actions: ["ec2:AttachImageWatermark"],
        resources: ["imagesInManagedRegions"],
        conditions: [managedTagCondition],
      },
    ],
  },
} as const satisfies CapabilityPermissions;
