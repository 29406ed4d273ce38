import { familySweepRequestPattern } from "../events/patterns";
import { managedTagCondition } from "../iam-conditions";
import type { CapabilityPermissions } from "../permissions";

/**
 * The IAM of the launch permissions retention reads before a retirement revokes them (recovery records
 * them). Its own step: the operator's `plan` reads them too, and is granted no retirement.
 */
export const launchPermissionReadPermissions = {
  readImageAttributes: {
    // Not lastLaunchedTime, as this once said: that comes with DescribeImages (describeImages).
    purpose: "read an image's launch permissions (recovery records them before a retirement revokes them)",
    calls: ["ImageSharingService.getLaunchPermissions"],
    statements: [{ actions: ["ec2:DescribeImageAttribute"], resources: ["imagesInManagedRegions"] }],
  },
} as const satisfies CapabilityPermissions;

/**
 * The IAM the retention sweep's retirement steps before deregistration need (deregistering and deleting
 * snapshots are declared by the failed-copy discard, which calls them too).
 */
export const retentionPermissions = {
  deprecateImage: {
    purpose: "schedule deprecation of a managed image",
    calls: ["ImageService.deprecateImage"],
    statements: [
      {
        actions: ["ec2:EnableImageDeprecation"],
        resources: ["imagesInManagedRegions"],
        conditions: [managedTagCondition],
      },
    ],
  },
  disableImage: {
    purpose: "disable a managed image",
    calls: ["ImageService.disableImage"],
    statements: [
      {
        actions: ["ec2:DisableImage"],
        resources: ["imagesInManagedRegions"],
        conditions: [managedTagCondition],
      },
    ],
  },
} as const satisfies CapabilityPermissions;

/** The IAM of finding what uses an image: the sweep's reference reads, which the operator's `plan` makes too. */
export const referencePermissions = {
  findReferences: {
    purpose:
      "find what uses an image with DescribeImageReferences (EC2 reads the referencing resources for us)",
    calls: ["ImageService.findReferences"],
    statements: [
      { actions: ["ec2:DescribeImageReferences"], resources: ["any"] },
      {
        actions: [
          "ec2:DescribeInstances",
          "ec2:DescribeLaunchTemplates",
          "ec2:DescribeLaunchTemplateVersions",
          "ssm:DescribeParameters",
          "ssm:GetParameters",
          "imagebuilder:ListImageRecipes",
          "imagebuilder:ListContainerRecipes",
          "imagebuilder:GetContainerRecipe",
        ],
        resources: ["any"],
        conditions: [
          {
            test: "ForAnyValue:StringEquals",
            variable: "aws:CalledVia",
            values: { fixed: ["ec2-images.amazonaws.com"] },
          },
        ],
      },
    ],
  },
  findReferencesFallback: {
    purpose:
      "find instances, launch templates and SSM parameters using an image where DescribeImageReferences is unavailable",
    calls: ["ImageService.findReferences"],
    statements: [
      {
        actions: [
          "ec2:DescribeInstances",
          "ec2:DescribeLaunchTemplates",
          "ec2:DescribeLaunchTemplateVersions",
          // DescribeParameters supports no resource-level permissions.
          "ssm:DescribeParameters",
        ],
        resources: ["any"],
      },
      {
        // SSM cannot search by value: GetParametersByPath on "/" and GetParameter on names without a slash.
        actions: ["ssm:GetParametersByPath", "ssm:GetParameter"],
        resources: ["parametersInManagedRegions"],
      },
    ],
  },
  findLaunchSources: {
    purpose:
      "read what DescribeImageReferences does not report: launch configurations, the launch template version each Auto Scaling group or mixed instances override launches, EC2 Fleets and Spot Fleet requests",
    calls: ["ImageService.findReferences"],
    statements: [
      {
        // None of these supports resource-level permissions.
        actions: [
          "autoscaling:DescribeAutoScalingGroups",
          "autoscaling:DescribeLaunchConfigurations",
          "ec2:DescribeLaunchTemplates",
          "ec2:DescribeLaunchTemplateVersions",
          "ec2:DescribeFleets",
          "ec2:DescribeSpotFleetRequests",
        ],
        resources: ["any"],
      },
    ],
  },
} as const satisfies CapabilityPermissions;

/** The IAM of the retention capability's event step: a new version asks for its family's sweep. */
export const sweepRequestPermissions = {
  putSweepRequest: {
    purpose:
      "ask for a family sweep on the home default bus, only with the service's own source and detail-type",
    calls: ["SweepRequester.requestFamilySweep", "ContinuationRequester.requestContinuation"],
    statements: [
      {
        actions: ["events:PutEvents"],
        resources: ["homeDefaultBus"],
        // Both keys are multivalued (ArrayOfString in AWS's catalogue): a plain StringEquals never matches
        // them, so every value must be ours (ForAllValues) and the source must be present (Null false).
        conditions: [
          {
            test: "ForAllValues:StringEquals",
            variable: "events:source",
            values: { fixed: [...familySweepRequestPattern.source] },
          },
          { test: "Null", variable: "events:source", values: { fixed: ["false"] } },
          {
            test: "ForAllValues:StringEquals",
            variable: "events:detail-type",
            values: { fixed: [...familySweepRequestPattern["detail-type"]] },
          },
        ],
      },
    ],
  },
} as const satisfies CapabilityPermissions;
