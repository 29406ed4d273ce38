import { managedTagCondition } from "../iam-conditions";
import type { CapabilityPermissions } from "../permissions";

/** The IAM the public-sharing guard's calls need. */
export const guardPermissions = {
  guardPublicImages: {
    purpose:
      "read any image's launch permissions and the account's image block public access; make a managed image private again",
    calls: [
      "ImageSharingService.getLaunchPermissions",
      "ImageSharingService.getImageBlockPublicAccessState",
      "ImageSharingService.modifyLaunchPermissions",
    ],
    statements: [
      { actions: ["ec2:DescribeImageAttribute"], resources: ["imagesInManagedRegions"] },
      // No resource-level permissions for the account-wide setting.
      { actions: ["ec2:GetImageBlockPublicAccessState"], resources: ["any"] },
      {
        actions: ["ec2:ModifyImageAttribute"],
        resources: ["imagesInManagedRegions"],
        conditions: [managedTagCondition],
      },
    ],
  },
} as const satisfies CapabilityPermissions;
