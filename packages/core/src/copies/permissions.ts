import { ec2ViaService, managedRequestTagCondition, managedTagCondition } from "../iam-conditions";
import type { CapabilityPermissions } from "../permissions";

/**
 * The IAM the copies capability's calls need to start copies: CopyImage tagged managed on creation, and
 * the destination keys through EC2. The failed-copy discard is its own step (failedCopyPermissions).
 */
export const copiesPermissions = {
  copyImage: {
    purpose: "copy a version into a destination region, tagged managed on creation",
    calls: ["ImageService.copyImage"],
    statements: [
      {
        actions: ["ec2:CopyImage"],
        resources: ["imagesInManagedRegions", "snapshotsInManagedRegions"],
        conditions: [managedRequestTagCondition],
      },
      {
        actions: ["ec2:CreateTags"],
        resources: ["imagesInManagedRegions", "snapshotsInManagedRegions"],
        conditions: [
          { test: "StringEquals", variable: "ec2:CreateAction", values: { fixed: ["CopyImage"] } },
          managedRequestTagCondition,
        ],
      },
    ],
  },
  useCopyKeys: {
    purpose:
      "let EC2 encrypt copies with the destination region's key, only on the service's behalf through EC2",
    calls: ["ImageService.copyImage"],
    statements: [
      {
        actions: [
          "kms:DescribeKey",
          "kms:Encrypt",
          "kms:Decrypt",
          "kms:ReEncryptFrom",
          "kms:ReEncryptTo",
          "kms:GenerateDataKeyWithoutPlaintext",
        ],
        resources: ["copyKeys"],
        conditions: [ec2ViaService],
      },
      {
        actions: ["kms:CreateGrant"],
        resources: ["copyKeys"],
        conditions: [
          ec2ViaService,
          { test: "Bool", variable: "kms:GrantIsForAWSResource", values: { fixed: ["true"] } },
        ],
      },
    ],
  },
} as const satisfies CapabilityPermissions;

/**
 * The IAM of discarding a failed copy: it keeps its name, which blocks the retry's CopyImage, so the copy
 * reaction deregisters it first (managed-tag conditioned, like every destructive grant); retention retires
 * through the same two calls, so the sweep's role gets them from here too. Apart from starting copies,
 * so the operator's `adopt --copy` (which discards nothing) is granted no deregistration.
 */
export const failedCopyPermissions = {
  deregisterImage: {
    purpose: "deregister a managed image together with its managed snapshots",
    calls: ["ImageService.deregisterImage"],
    statements: [
      {
        actions: ["ec2:DeregisterImage"],
        resources: ["imagesInManagedRegions", "snapshotsInManagedRegions"],
        conditions: [managedTagCondition],
      },
    ],
  },
  deleteSnapshot: {
    purpose: "delete a managed snapshot left behind by deregistration",
    // DeleteAssociatedSnapshots deletes the snapshots with the caller's own ec2:DeleteSnapshot; without it
    // EC2 answers `missing-permissions` and leaves them behind.
    calls: ["ImageService.deregisterImage", "ImageService.deleteSnapshot"],
    statements: [
      {
        actions: ["ec2:DeleteSnapshot"],
        resources: ["snapshotsInManagedRegions"],
        conditions: [managedTagCondition],
      },
    ],
  },
} as const satisfies CapabilityPermissions;
