import type { ImageReference, ImageReferenceType } from "@ami-lifecycle/core";
import {
  type EC2Client,
  type ImageReferenceResourceType,
  paginateDescribeImageReferences,
  paginateDescribeInstances,
  paginateDescribeLaunchTemplateVersions,
} from "@aws-sdk/client-ec2";
import {
  GetParameterCommand,
  paginateDescribeParameters,
  paginateGetParametersByPath,
  type SSMClient,
} from "@aws-sdk/client-ssm";
import { hasAwsErrorCode, translateAwsError } from "../errors";

/** DescribeImageReferences accepts 1 to 10 image ids per call. */
export const imageReferenceBatchSize = 10;

/** Launch template versions DescribeImageReferences checks, newest first (EC2 allows 1–10000, default 10). */
export const defaultLaunchTemplateVersionDepth = 10_000;

/**
 * Codes EC2 answers with when an action does not exist in the region or partition (EC2 common client
 * errors `InvalidAction`, `UnsupportedOperation`; the others are the generic AWS spellings, kept defensively).
 */
const apiUnavailableCodes = [
  "InvalidAction",
  "UnsupportedOperation",
  "UnsupportedOperationException",
  "UnknownOperationException",
  "NotImplemented",
];

/** Instance states that still use an image: every state but terminated. */
const liveInstanceStates = ["pending", "running", "shutting-down", "stopping", "stopped"];

/** The per-region clients reference lookups need. */
export interface ReferenceClients {
  ec2(region: string): EC2Client;
  ssm(region: string): SSMClient;
}

/**
 * Finds what uses images: DescribeImageReferences where the region has it, otherwise (remembered per
 * region) a fallback over DescribeInstances, the $Default and $Latest launch template versions and SSM
 * parameters whose value is the image id. The fallback sees less (older launch template versions,
 * Image Builder recipes): retention should treat its answer as a floor, not a proof of disuse.
 */
export class ImageReferenceFinder {
  private readonly regionsWithoutApi = new Set<string>();

  constructor(
    private readonly clients: ReferenceClients,
    private readonly launchTemplateVersionDepth = defaultLaunchTemplateVersionDepth,
  ) {}

  /** Every reference to any of the images in the region. */
  async find(region: string, imageIds: readonly string[]): Promise<ImageReference[]> {
    const ids = [...new Set(imageIds)];
    if (ids.length === 0) return [];
    if (!this.regionsWithoutApi.has(region)) {
      try {
        const references: ImageReference[] = [];
        for (let start = 0; start < ids.length; start += imageReferenceBatchSize) {
          references.push(
            ...(await this.describeReferences(region, ids.slice(start, start + imageReferenceBatchSize))),
          );
        }
        return references;
      } catch (error) {
        if (!hasAwsErrorCode(error, ...apiUnavailableCodes))
          throw translateAwsError("EC2.DescribeImageReferences", error);
        this.regionsWithoutApi.add(region);
      }
    }
    return this.fallback(region, ids);
  }

  /** True once the region answered that DescribeImageReferences does not exist there. */
  usesFallback(region: string): boolean {
    return this.regionsWithoutApi.has(region);
  }

  /** One batch; an id EC2 no longer knows fails the whole call, so then each id is asked alone. */
  private async describeReferences(region: string, imageIds: string[]): Promise<ImageReference[]> {
    try {
      return await this.describeBatch(region, imageIds);
    } catch (error) {
      if (!hasAwsErrorCode(error, "InvalidAMIID.NotFound", "InvalidAMIID.Unavailable")) throw error;
      // A deregistered image has nothing left to protect: its references no longer matter.
      if (imageIds.length === 1) return [];
      const references: ImageReference[] = [];
      for (const imageId of imageIds) references.push(...(await this.describeReferences(region, [imageId])));
      return references;
    }
  }

  private async describeBatch(region: string, imageIds: string[]): Promise<ImageReference[]> {
    const references: ImageReference[] = [];
    const pages = paginateDescribeImageReferences(
      { client: this.clients.ec2(region) },
      {
        ImageIds: imageIds,
        ResourceTypes: [
          {
            ResourceType: "ec2:Instance",
            ResourceTypeOptions: [{ OptionName: "state-name", OptionValues: liveInstanceStates }],
          },
          {
            ResourceType: "ec2:LaunchTemplate",
            ResourceTypeOptions: [
              { OptionName: "version-depth", OptionValues: [String(this.launchTemplateVersionDepth)] },
            ],
          },
          { ResourceType: "ssm:Parameter" },
          { ResourceType: "imagebuilder:ImageRecipe" },
          { ResourceType: "imagebuilder:ContainerRecipe" },
        ],
      },
    );
    for await (const page of pages) {
      for (const reference of page.ImageReferences ?? []) {
        if (!reference.ImageId || !reference.ResourceType || !reference.Arn) continue;
        references.push({
          imageId: reference.ImageId,
          region,
          resourceType: toReferenceType(reference.ResourceType),
          arn: reference.Arn,
        });
      }
    }
    return references;
  }

  private async fallback(region: string, imageIds: string[]): Promise<ImageReference[]> {
    const wanted = new Set(imageIds);
    const [instances, templates, parameters] = await Promise.all([
      this.instanceReferences(region, imageIds),
      this.launchTemplateReferences(region, wanted),
      this.parameterReferences(region, wanted),
    ]);
    return [...instances, ...templates, ...parameters];
  }

  private async instanceReferences(region: string, imageIds: string[]): Promise<ImageReference[]> {
    const references: ImageReference[] = [];
    try {
      const pages = paginateDescribeInstances(
        { client: this.clients.ec2(region), pageSize: 1000 },
        {
          Filters: [
            { Name: "image-id", Values: imageIds },
            { Name: "instance-state-name", Values: liveInstanceStates },
          ],
        },
      );
      for await (const page of pages) {
        for (const reservation of page.Reservations ?? []) {
          const owner = reservation.OwnerId;
          for (const instance of reservation.Instances ?? []) {
            if (!instance.ImageId || !instance.InstanceId) continue;
            references.push({
              imageId: instance.ImageId,
              region,
              resourceType: "ec2:Instance",
              arn: `arn:${partitionOf(region)}:ec2:${region}:${owner ?? ""}:instance/${instance.InstanceId}`,
            });
          }
        }
      }
    } catch (error) {
      throw translateAwsError("EC2.DescribeInstances", error);
    }
    return references;
  }

  /** $Default and $Latest of every launch template: the versions launches use unless told otherwise. */
  private async launchTemplateReferences(region: string, wanted: Set<string>): Promise<ImageReference[]> {
    const seen = new Set<string>();
    const references: ImageReference[] = [];
    try {
      const pages = paginateDescribeLaunchTemplateVersions(
        { client: this.clients.ec2(region), pageSize: 200 },
        { Versions: ["$Default", "$Latest"] },
      );
      for await (const page of pages) {
        for (const version of page.LaunchTemplateVersions ?? []) {
          const imageId = version.LaunchTemplateData?.ImageId;
          if (!imageId || !wanted.has(imageId) || !version.LaunchTemplateId) continue;
          const key = `${imageId} ${version.LaunchTemplateId}`;
          if (seen.has(key)) continue;
          seen.add(key);
          references.push({
            imageId,
            region,
            resourceType: "ec2:LaunchTemplate",
            // DescribeLaunchTemplateVersions does not return the owner; the ARN keeps the account empty.
            arn: `arn:${partitionOf(region)}:ec2:${region}::launch-template/${version.LaunchTemplateId}`,
          });
        }
      }
    } catch (error) {
      throw translateAwsError("EC2.DescribeLaunchTemplateVersions", error);
    }
    return references;
  }

  /**
   * SSM parameters holding an image id. SSM cannot search by value: read every hierarchical parameter
   * under "/" (GetParametersByPath returns values, 10 a page) and, one by one, the few without a leading slash.
   */
  private async parameterReferences(region: string, wanted: Set<string>): Promise<ImageReference[]> {
    const client = this.clients.ssm(region);
    const references: ImageReference[] = [];
    // Names the path walk already read: moto also returns top-level names under "/" (AWS does not say
    // either way), and a parameter read twice must not count as two references.
    const read = new Set<string>();
    const match = (name: string | undefined, value: string | undefined, arn: string | undefined) => {
      if (name) read.add(name);
      if (!name || !value || !wanted.has(value)) return;
      references.push({ imageId: value, region, resourceType: "ssm:Parameter", arn: arn ?? name });
    };
    try {
      for await (const page of paginateGetParametersByPath({ client }, { Path: "/", Recursive: true })) {
        for (const parameter of page.Parameters ?? []) match(parameter.Name, parameter.Value, parameter.ARN);
      }
      for await (const page of paginateDescribeParameters({ client }, {})) {
        for (const summary of page.Parameters ?? []) {
          if (!summary.Name || summary.Name.startsWith("/") || read.has(summary.Name)) continue;
          const { Parameter } = await client.send(new GetParameterCommand({ Name: summary.Name }));
          match(Parameter?.Name, Parameter?.Value, Parameter?.ARN);
        }
      }
    } catch (error) {
      throw translateAwsError("SSM.GetParametersByPath", error);
    }
    return references;
  }
}

const referenceTypes: readonly ImageReferenceType[] = [
  "ec2:Instance",
  "ec2:LaunchTemplate",
  "ssm:Parameter",
  "imagebuilder:ImageRecipe",
  "imagebuilder:ContainerRecipe",
];

/** Narrows EC2's resource type; a type EC2 adds later is kept as a reference (safe side) under the closest name. */
function toReferenceType(type: ImageReferenceResourceType | string): ImageReferenceType {
  return (referenceTypes as readonly string[]).includes(type) ? (type as ImageReferenceType) : "ec2:Instance";
}

/** The ARN partition of a region. */
export function partitionOf(region: string): string {
  if (region.startsWith("cn-")) return "aws-cn";
  if (region.startsWith("us-gov-")) return "aws-us-gov";
  return "aws";
}
