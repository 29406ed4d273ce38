import { managedTagCondition } from "../iam-conditions";
import type { CapabilityPermissions } from "../permissions";
import { retiredTag } from "./ports";

/** The IAM the recovery capability's Recycle Bin reads need. */
export const recoveryPermissions = {
  checkRecycleBin: {
    purpose:
      "before deregistering, read the region's Recycle Bin rules (the stacks create them; the service never does) and, after the recovery date, whether an image is still binned",
    calls: ["RecycleBinService.readiness", "RecycleBinService.imagesInBin"],
    statements: [
      // ListRules and the bin listings support no resource-level permissions.
      { actions: ["rbin:ListRules", "ec2:ListImagesInRecycleBin"], resources: ["any"] },
      { actions: ["rbin:GetRule"], resources: ["recycleBinRulesInManagedRegions"] },
    ],
  },
} as const satisfies CapabilityPermissions;

/** The IAM the restore use case needs (the `restore` Lambda and `restore --apply`). */
export const restorePermissions = {
  restoreImages: {
    purpose:
      "restore a retired managed version: list and restore its image and snapshots from the Recycle Bin, EnableImage, cancel its deprecation, and remove only the retired tag",
    calls: [
      "RestoreService.binContents",
      "RestoreService.snapshotStates",
      "RestoreService.restoreSnapshot",
      "RestoreService.restoreImage",
      "RestoreService.enableImage",
      "RestoreService.cancelDeprecation",
      "RestoreService.removeTag",
    ],
    statements: [
      // The bin listings support no resource-level permissions.
      { actions: ["ec2:ListImagesInRecycleBin", "ec2:ListSnapshotsInRecycleBin"], resources: ["any"] },
      {
        actions: ["ec2:RestoreImageFromRecycleBin", "ec2:EnableImage", "ec2:DisableImageDeprecation"],
        resources: ["imagesInManagedRegions"],
        conditions: [managedTagCondition],
      },
      {
        // A binned snapshot keeps its tags: the managed tag still narrows the grant.
        actions: ["ec2:RestoreSnapshotFromRecycleBin"],
        resources: ["snapshotsInManagedRegions"],
        conditions: [managedTagCondition],
      },
      {
        actions: ["ec2:DeleteTags"],
        resources: ["imagesInManagedRegions", "snapshotsInManagedRegions"],
        conditions: [
          managedTagCondition,
          { test: "ForAllValues:StringEquals", variable: "aws:TagKeys", values: { fixed: [retiredTag.key] } },
        ],
      },
    ],
  },
} as const satisfies CapabilityPermissions;
