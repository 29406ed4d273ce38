import type { Tag, TagSpecification } from "@aws-sdk/client-ec2";
import { resolveKey } from "../kms";
import type { CallContext, SimWorld } from "../world";
import {
  delegatingKeyPolicy,
  type IamContext,
  type IamRequest,
  requestTagContext,
  resourceTagContext,
} from "./request";

// biome-ignore lint/suspicious/noExplicitAny: inputs of many commands, read by field name.
type AnyInput = any;

/** The service principal EC2 uses when DescribeImageReferences reads resources for the caller (aws-facts §5). */
export const imageReferencesService = "ec2-images.amazonaws.com";

/** ARN of an image in a region (images have no account in their ARN). */
export const imageArn = (region: string, imageId: string) => `arn:aws:ec2:${region}::image/${imageId}`;
/** ARN of a snapshot in a region. */
export const snapshotArn = (region: string, snapshotId: string) =>
  `arn:aws:ec2:${region}::snapshot/${snapshotId}`;

/** Operations whose only resource is the image named by `ImageId`. */
const imageOperations = new Set([
  "DescribeImageAttribute",
  "EnableImageDeprecation",
  "DisableImageDeprecation",
  "DisableImage",
  "EnableImage",
  "DeregisterImage",
  "EnableImageDeregistrationProtection",
  "DisableImageDeregistrationProtection",
  "ModifyImageAttribute",
  "ResetImageAttribute",
  "RestoreImageFromRecycleBin",
  "AttachImageWatermark",
  "DetachImageWatermark",
]);

/** Operations whose only resource is the snapshot named by `SnapshotId`. */
const snapshotOperations = new Set([
  "DeleteSnapshot",
  "DescribeSnapshotAttribute",
  "ModifySnapshotAttribute",
  "ResetSnapshotAttribute",
  "RestoreSnapshotFromRecycleBin",
]);

/** Operations that support no resource-level permissions (resource `*`). */
const wildcardOperations = new Set([
  "DescribeImages",
  "DescribeSnapshots",
  "DescribeInstances",
  "DescribeLaunchTemplates",
  "DescribeLaunchTemplateVersions",
  "DescribeFleets",
  "DescribeSpotFleetRequests",
  "GetImageBlockPublicAccessState",
  "EnableImageBlockPublicAccess",
  "DisableImageBlockPublicAccess",
  "DescribeRegions",
  "DescribeImageUsageReports",
  "DescribeImageUsageReportEntries",
  "ListImagesInRecycleBin",
  "ListSnapshotsInRecycleBin",
]);

/**
 * The authorisations EC2 makes for one call, as the Service Authorization Reference lists them: the
 * action on each resource ARN it names, with `aws:ResourceTag/*` from the simulated state,
 * `aws:RequestTag/*` + `aws:TagKeys` from the request, `ec2:CreateAction` for tags on creation, and
 * the calls EC2 makes on the caller's behalf (KMS for an encrypted copy, Describe calls of
 * DescribeImageReferences). Undefined: an operation this model does not know (the caller fails loudly).
 */
export function ec2Requests(
  world: SimWorld,
  call: CallContext,
  operation: string,
  input: AnyInput,
): IamRequest[] | undefined {
  const { region } = call;
  const state = world.regions.get(region);
  const base: IamContext = { "ec2:Region": region };
  const action = `ec2:${operation}`;
  const onImage = (imageId: string, extra: IamContext = {}): IamRequest => ({
    action,
    resource: imageArn(region, imageId),
    context: { ...base, ...resourceTagContext(state?.images.get(imageId)?.tags), ...extra },
  });
  const onSnapshot = (snapshotId: string, extra: IamContext = {}): IamRequest => ({
    action,
    resource: snapshotArn(region, snapshotId),
    context: {
      ...base,
      // A binned snapshot keeps its tags (RestoreSnapshotFromRecycleBin is authorised on them).
      ...resourceTagContext(
        (state?.snapshots.get(snapshotId) ?? state?.binnedSnapshots.get(snapshotId))?.tags,
      ),
      ...extra,
    },
  });
  const usageReportArn = (id: string) => `arn:aws:ec2:${region}:${world.accountId}:image-usage-report/${id}`;
  if (wildcardOperations.has(operation)) return [{ action, resource: "*", context: base }];
  if (imageOperations.has(operation)) return [onImage(String(input.ImageId))];
  if (snapshotOperations.has(operation)) return [onSnapshot(String(input.SnapshotId))];
  switch (operation) {
    case "CreateTags":
    case "DeleteTags": {
      const tags = requestTagContext(input.Tags as Tag[] | undefined);
      return (input.Resources as string[] | undefined)?.map((id) =>
        id.startsWith("snap-") ? onSnapshot(id, tags) : onImage(id, tags),
      );
    }
    case "CopyImage":
      return copyImageRequests(world, call, input);
    case "DescribeImageReferences":
      return imageReferenceRequests(world, call, input);
    case "CreateImageUsageReport":
      return [onImage(String(input.ImageId)), { action, resource: usageReportArn("*"), context: base }];
    case "DeleteImageUsageReport":
      return [{ action, resource: usageReportArn(String(input.ReportId)), context: base }];
    default:
      return undefined;
  }
}

/** The tags one TagSpecification resource type asks for. */
function specifiedTags(specifications: TagSpecification[] | undefined, resourceType: string): Tag[] {
  return (specifications ?? [])
    .filter((specification) => specification.ResourceType === resourceType)
    .flatMap((specification) => specification.Tags ?? []);
}

/**
 * CopyImage, in the destination region: the source image, the new image and its new snapshots (new
 * resources have no id yet: `image/*`, `snapshot/*`) with the request's tags; CreateTags on the new
 * resources with `ec2:CreateAction = CopyImage` when tagged on creation; and, for an encrypted copy,
 * the KMS calls EC2 makes with the caller's credentials (`kms:ViaService`, `aws:CalledVia`).
 */
function copyImageRequests(world: SimWorld, call: CallContext, input: AnyInput): IamRequest[] {
  const { region } = call;
  const base: IamContext = { "ec2:Region": region };
  const specifications = input.TagSpecifications as TagSpecification[] | undefined;
  const imageTags = requestTagContext(specifiedTags(specifications, "image"));
  const snapshotTags = requestTagContext(specifiedTags(specifications, "snapshot"));
  const requests: IamRequest[] = [
    {
      action: "ec2:CopyImage",
      resource: imageArn(String(input.SourceRegion), String(input.SourceImageId)),
      context: { ...base, ...imageTags },
    },
    { action: "ec2:CopyImage", resource: imageArn(region, "*"), context: { ...base, ...imageTags } },
    { action: "ec2:CopyImage", resource: snapshotArn(region, "*"), context: { ...base, ...snapshotTags } },
  ];
  const onCreate = { "ec2:CreateAction": "CopyImage" };
  if (imageTags["aws:TagKeys"]) {
    requests.push({
      action: "ec2:CreateTags",
      resource: imageArn(region, "*"),
      context: { ...base, ...imageTags, ...onCreate },
    });
  }
  if (snapshotTags["aws:TagKeys"]) {
    requests.push({
      action: "ec2:CreateTags",
      resource: snapshotArn(region, "*"),
      context: { ...base, ...snapshotTags, ...onCreate },
    });
  }
  const key =
    input.Encrypted && input.KmsKeyId ? resolveKey(world, region, String(input.KmsKeyId)) : undefined;
  // A key that does not exist is no authorisation question: the copy fails later (ec2/copy.ts).
  if (key) {
    const viaEc2: IamContext = {
      "kms:ViaService": `ec2.${region}.amazonaws.com`,
      "kms:CallerAccount": world.accountId,
      "aws:CalledVia": ["ec2.amazonaws.com"],
      "aws:CalledViaFirst": "ec2.amazonaws.com",
      "aws:CalledViaLast": "ec2.amazonaws.com",
    };
    // The key's own policy decides with IAM (a key without one has the default, delegating to IAM).
    const keyPolicy = key.policy ?? delegatingKeyPolicy(world.accountId);
    for (const kmsAction of ["kms:DescribeKey", "kms:GenerateDataKeyWithoutPlaintext"]) {
      requests.push({ action: kmsAction, resource: key.arn, context: viaEc2, resourcePolicy: keyPolicy });
    }
    requests.push({
      action: "kms:CreateGrant",
      resource: key.arn,
      context: { ...viaEc2, "kms:GrantIsForAWSResource": "true" },
      resourcePolicy: keyPolicy,
    });
  }
  return requests;
}

/** The Describe calls EC2 makes for each requested resource type, on the caller's behalf. */
const referenceReads: Record<string, readonly string[]> = {
  "ec2:Instance": ["ec2:DescribeInstances"],
  "ec2:LaunchTemplate": ["ec2:DescribeLaunchTemplates", "ec2:DescribeLaunchTemplateVersions"],
  "ssm:Parameter": ["ssm:DescribeParameters", "ssm:GetParameters"],
  "imagebuilder:ImageRecipe": ["imagebuilder:ListImageRecipes"],
  "imagebuilder:ContainerRecipe": ["imagebuilder:ListContainerRecipes", "imagebuilder:GetContainerRecipe"],
};

/**
 * DescribeImageReferences: the call itself (no resource-level permissions), then EC2 reads each
 * requested resource type with the caller's permissions, `aws:CalledVia ec2-images.amazonaws.com`
 * (AWS managed policy AmazonEC2ImageReferencesAccessPolicy).
 */
function imageReferenceRequests(world: SimWorld, call: CallContext, input: AnyInput): IamRequest[] {
  const { region } = call;
  const requested: string[] = input.IncludeAllResourceTypes
    ? Object.keys(referenceReads)
    : ((input.ResourceTypes as { ResourceType?: string }[] | undefined) ?? []).flatMap((type) =>
        type.ResourceType ? [type.ResourceType] : [],
      );
  const via: IamContext = {
    "aws:CalledVia": [imageReferencesService],
    "aws:CalledViaFirst": imageReferencesService,
    "aws:CalledViaLast": imageReferencesService,
  };
  const requests: IamRequest[] = [
    { action: "ec2:DescribeImageReferences", resource: "*", context: { "ec2:Region": region } },
  ];
  const parameterArn = (name: string) =>
    `arn:aws:ssm:${region}:${world.accountId}:parameter/${name.replace(/^\//, "")}`;
  for (const type of requested) {
    for (const action of referenceReads[type] ?? []) {
      if (action === "ssm:GetParameters") {
        for (const name of world.regions.get(region)?.parameters.keys() ?? []) {
          requests.push({ action, resource: parameterArn(name), context: via });
        }
      } else if (action === "imagebuilder:GetContainerRecipe") {
        for (const recipe of world.regions.get(region)?.recipes ?? []) {
          if (recipe.resourceType === "imagebuilder:ContainerRecipe") {
            requests.push({ action, resource: recipe.arn, context: via });
          }
        }
      } else {
        requests.push({ action, resource: "*", context: via });
      }
    }
  }
  return requests;
}
