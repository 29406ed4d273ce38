import { type ImageReference, type ImageReferenceType, mapWithConcurrency } from "@ami-lifecycle/core";
import { AutoScalingClient, type AutoScalingClientConfig } from "@aws-sdk/client-auto-scaling";
import {
  type EC2Client,
  type ImageReferenceResourceType,
  paginateDescribeImageReferences,
  paginateDescribeInstances,
} from "@aws-sdk/client-ec2";
import {
  GetParameterCommand,
  paginateDescribeParameters,
  paginateGetParametersByPath,
  type SSMClient,
} from "@aws-sdk/client-ssm";
import { autoScalingReferences } from "../autoscaling/launch-references";
import { hasAwsErrorCode, translateAwsError } from "../errors";
import { fleetReferences } from "./fleet-references";
import { RegionLaunchSources } from "./launch-sources";
import { describeTemplateVersions, type LaunchTemplateCatalog } from "./launch-template-catalog";

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
  autoScaling(region: string): AutoScalingClient;
}

/** What `Ec2ImageService` asks about image references (`ImageReferenceFinder` is one). */
export interface ImageReferenceLookup {
  /** Every reference to any of the images in the region. */
  find(region: string, imageIds: readonly string[]): Promise<ImageReference[]>;
  /** True once the region answered that DescribeImageReferences does not exist there. */
  usesFallback(region: string): boolean;
  /**
   * A lookup for one sweep invocation: what does not depend on the images asked (Auto Scaling groups,
   * launch configurations, fleets, launch templates) is read once per region and shared by its lookups.
   */
  reading?(): ImageReferenceLookup;
}

/** Batches of one region asked at once: enough to use the non-mutating bucket's 20 per second at ~300 ms a call. */
const referenceBatchesInFlight = 8;

/**
 * Finds what uses images: DescribeImageReferences where the region has it, otherwise (remembered per
 * region) a fallback over DescribeInstances, every version of every launch template and SSM parameters
 * whose value is the image id. Either way it adds what DescribeImageReferences does not cover: Auto
 * Scaling launch configurations, the launch template version each group (or mixed instances
 * override) resolves to, and what EC2 Fleets and Spot Fleet requests that can still launch name. Launch template references name the versions that use the image. The fallback
 * still sees less (Image Builder recipes): `usesFallback` tells the plan to say so.
 */
export class ImageReferenceFinder implements ImageReferenceLookup {
  private readonly regionsWithoutApi = new Set<string>();

  constructor(
    private readonly clients: ReferenceClients,
    private readonly launchTemplateVersionDepth = defaultLaunchTemplateVersionDepth,
    /** what to read beyond DescribeImageReferences (default: groups' template pins and fleets too) */
    private readonly extras: { autoScalingGroups?: boolean; fleets?: boolean } = {},
  ) {}

  /** Every reference to any of the images in the region, from launch sources read for this lookup alone. */
  async find(region: string, imageIds: readonly string[]): Promise<ImageReference[]> {
    return this.findWith(this.launchSources(region), region, imageIds);
  }

  /**
   * A lookup for one sweep invocation: each region's launch sources are read on its first lookup and
   * shared by the later ones (one family's lookup after another's), never by another reading, so the
   * next invocation sees what was created since.
   */
  reading(): ImageReferenceLookup {
    const sources = new Map<string, RegionLaunchSources>();
    return {
      find: (region, imageIds) => {
        let regional = sources.get(region);
        if (!regional) {
          regional = this.launchSources(region);
          sources.set(region, regional);
        }
        return this.findWith(regional, region, imageIds);
      },
      usesFallback: (region) => this.usesFallback(region),
    };
  }

  private launchSources(region: string): RegionLaunchSources {
    return new RegionLaunchSources(this.clients.ec2(region), this.clients.autoScaling(region));
  }

  private async findWith(
    sources: RegionLaunchSources,
    region: string,
    imageIds: readonly string[],
  ): Promise<ImageReference[]> {
    const ids = [...new Set(imageIds)];
    if (ids.length === 0) return [];
    const wanted = new Set(ids);
    // One catalogue per set of sources: group pins and template references resolve against the same reading.
    const templates = sources.templates;
    const uses = await this.imageUses(region, ids, templates);
    const launches = await autoScalingReferences(
      sources,
      region,
      wanted,
      // Without the API (fallback) a group's pin is what shows which template versions matter.
      this.extras.autoScalingGroups !== false || this.usesFallback(region),
    );
    const fleets = this.extras.fleets === false ? [] : await fleetReferences(sources, region, wanted);
    return [...uses, ...launches, ...fleets];
  }

  /** DescribeImageReferences (launch template references given their versions), or the fallback. */
  private async imageUses(
    region: string,
    ids: string[],
    templates: LaunchTemplateCatalog,
  ): Promise<ImageReference[]> {
    const references = await this.describeAll(region, ids);
    // Outside describeAll's error handling: a failed template read is not a missing API.
    if (references) return withTemplateVersions(references, templates);
    return this.fallback(region, ids, templates);
  }

  /** DescribeImageReferences in batches; undefined (and remembered) where the region does not have it. */
  private async describeAll(region: string, ids: string[]): Promise<ImageReference[] | undefined> {
    if (this.regionsWithoutApi.has(region)) return undefined;
    try {
      const batches: string[][] = [];
      for (let start = 0; start < ids.length; start += imageReferenceBatchSize) {
        batches.push(ids.slice(start, start + imageReferenceBatchSize));
      }
      const answers = await mapWithConcurrency(batches, referenceBatchesInFlight, (batch) =>
        this.describeReferences(region, batch),
      );
      return answers.flat();
    } catch (error) {
      if (!hasAwsErrorCode(error, ...apiUnavailableCodes))
        throw translateAwsError("EC2.DescribeImageReferences", error);
      this.regionsWithoutApi.add(region);
      return undefined;
    }
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

  private async fallback(
    region: string,
    imageIds: string[],
    catalog: LaunchTemplateCatalog,
  ): Promise<ImageReference[]> {
    const wanted = new Set(imageIds);
    const [instances, templates, parameters] = await Promise.all([
      this.instanceReferences(region, imageIds),
      launchTemplateReferences(catalog, region, wanted),
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

/**
 * Every version of every launch template, not just $Default and $Latest: an Auto Scaling group, a fleet
 * or a RunInstances call can launch any version by number.
 */
async function launchTemplateReferences(
  catalog: LaunchTemplateCatalog,
  region: string,
  wanted: ReadonlySet<string>,
): Promise<ImageReference[]> {
  const references: ImageReference[] = [];
  for (const template of await catalog.all()) {
    const versionsByImage = new Map<string, number[]>();
    for (const [version, imageId] of template.images) {
      if (!imageId || !wanted.has(imageId)) continue;
      versionsByImage.set(imageId, [...(versionsByImage.get(imageId) ?? []), version]);
    }
    for (const [imageId, versions] of versionsByImage) {
      references.push({
        imageId,
        region,
        resourceType: "ec2:LaunchTemplate",
        // DescribeLaunchTemplateVersions does not return the owner; the ARN keeps the account empty.
        arn: `arn:${partitionOf(region)}:ec2:${region}::launch-template/${template.templateId}`,
        detail: describeTemplateVersions(template, versions),
      });
    }
  }
  return references;
}

/** Names, on each launch template reference DescribeImageReferences gave, the versions that use the image. */
async function withTemplateVersions(
  references: ImageReference[],
  catalog: LaunchTemplateCatalog,
): Promise<ImageReference[]> {
  return Promise.all(
    references.map(async (reference) => {
      const templateId = /:launch-template\/(lt-[0-9a-f]+)$/.exec(reference.arn)?.[1];
      if (reference.resourceType !== "ec2:LaunchTemplate" || !templateId) return reference;
      const template = await catalog.get({ launchTemplateId: templateId });
      const versions = [...(template?.images ?? [])]
        .filter(([, imageId]) => imageId === reference.imageId)
        .map(([version]) => version);
      if (!template || versions.length === 0) return reference;
      return { ...reference, detail: describeTemplateVersions(template, versions) };
    }),
  );
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

/**
 * Image reference lookups for `createRuntime({ imageReferences })`: the Auto Scaling client and the finder
 * over the runtime's clients. Only runtimes that plan retirements (the sweep) need them.
 */
export const ec2ImageReferences = {
  newAutoScalingClient: (config: AutoScalingClientConfig) => new AutoScalingClient(config),
  finder: (clients: ReferenceClients) => new ImageReferenceFinder(clients),
};
