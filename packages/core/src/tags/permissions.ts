import { lifecycleTagKeyPattern } from "../iam-conditions";
import type { CapabilityPermissions } from "../permissions";

/** The IAM the tags capability's writes need: the lifecycle tags, and only those. */
export const tagsPermissions = {
  tagImages: {
    purpose:
      "write the lifecycle tags on a new version's image and snapshots (not managed yet), and only those tags",
    calls: ["ImageService.tagImage"],
    statements: [
      {
        actions: ["ec2:CreateTags"],
        resources: ["imagesInManagedRegions", "snapshotsInManagedRegions"],
        conditions: [
          {
            test: "ForAllValues:StringLike",
            variable: "aws:TagKeys",
            values: { fixed: [lifecycleTagKeyPattern] },
          },
        ],
      },
    ],
  },
} as const satisfies CapabilityPermissions;
