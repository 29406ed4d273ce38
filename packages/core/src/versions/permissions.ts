import type { CapabilityPermissions } from "../permissions";

/** The IAM the versions capability's EC2 reads need (recognise a build, follow its lineage). */
export const versionsPermissions = {
  describeImages: {
    purpose:
      "read images and snapshots (DescribeImages, DescribeSnapshots support no resource-level permissions)",
    calls: [
      "ImageService.describeImage",
      "ImageService.listManagedImages",
      "ImageService.listOwnedImages",
      "ImageService.listManagedSnapshots",
    ],
    statements: [{ actions: ["ec2:DescribeImages", "ec2:DescribeSnapshots"], resources: ["any"] }],
  },
} as const satisfies CapabilityPermissions;

/**
 * The IAM of the registry every capability records in (its ports VersionCatalog, VersionRecorder,
 * OnceClaims, …, one DynamoDB table). Declared apart from the EC2 reads: handlers that never read images
 * (the tag guard) still read and write the registry.
 */
export const registryPermissions = {
  readRegistry: {
    purpose: "read versions and families from the registry table",
    calls: [
      "VersionCatalog.getVersion",
      "VersionCatalog.listVersions",
      "VersionCatalog.newestVersions",
      "VersionCatalog.listFamilies",
      "VersionCatalog.findByImageId",
      "SweepProgressStore.get",
    ],
    statements: [
      {
        actions: ["dynamodb:GetItem", "dynamodb:BatchGetItem", "dynamodb:Query", "dynamodb:Scan"],
        resources: ["registryTable"],
      },
    ],
  },
  writeRegistry: {
    purpose: "conditional writes and transactions on the registry table",
    calls: [
      "VersionRecorder.registerVersion",
      "VersionRecorder.registerVersions",
      "VersionRecorder.putRegionImage",
      "RetentionRecords.advanceStage",
      "RetentionRecords.writeBatch",
      "WaitingCopyMarkers.setMarker",
      "OnceClaims.takeClaim",
      "RollbackDecisions.recordRollbackDecision",
      "SweepProgressStore.put",
    ],
    statements: [
      {
        actions: [
          "dynamodb:PutItem",
          "dynamodb:UpdateItem",
          "dynamodb:DeleteItem",
          "dynamodb:ConditionCheckItem",
        ],
        resources: ["registryTable"],
      },
    ],
  },
} as const satisfies CapabilityPermissions;
