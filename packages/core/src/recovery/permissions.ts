import type { CapabilityPermissions } from "../permissions";

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
