import type {
  DescribeImageReferencesCommandInput,
  DescribeInstancesCommandInput,
  DescribeLaunchTemplatesCommandInput,
  DescribeLaunchTemplateVersionsCommandInput,
  ImageReference,
  ImageReferenceResourceType,
} from "@aws-sdk/client-ec2";
import { SimApiError } from "../errors";
import type { RegionState, SimInstance, SimLaunchTemplate } from "../state";
import { type CallContext, type SimWorld, TERMINATED_VISIBLE_MS } from "../world";
import { assertMaxResults, matchesFilters, paginate, rejectDryRun, requireImage } from "./common";

const ALL_REFERENCE_TYPES: ImageReferenceResourceType[] = [
  "ec2:Instance",
  "ec2:LaunchTemplate",
  "ssm:Parameter",
  "imagebuilder:ImageRecipe",
  "imagebuilder:ContainerRecipe",
];
/** Launch template versions checked by default, newest first (DescribeImageReferences, version-depth). */
const DEFAULT_VERSION_DEPTH = 10;

/** Instances EC2 still shows: terminated ones disappear about an hour after termination. */
export function visibleInstances(world: SimWorld, region: RegionState): SimInstance[] {
  const now = world.clock.nowMs();
  return [...region.instances.values()]
    .filter(
      (instance) =>
        instance.terminatedAt === undefined || instance.terminatedAt + TERMINATED_VISIBLE_MS > now,
    )
    .sort((a, b) => a.sequence - b.sequence);
}

/** Finds a launch template by id or name with EC2's not-found errors. */
export function requireLaunchTemplate(region: RegionState, id?: string, name?: string): SimLaunchTemplate {
  const templates = [...region.launchTemplates.values()];
  if (id !== undefined) {
    const found = region.launchTemplates.get(id);
    if (!found)
      throw new SimApiError(
        "InvalidLaunchTemplateId.NotFound",
        `The specified launch template, with template ID ${id}, does not exist.`,
      );
    return found;
  }
  const found = templates.find((template) => template.name === name);
  if (!found) {
    throw new SimApiError(
      "InvalidLaunchTemplateName.NotFoundException",
      `The specified launch template, with template name ${name}, does not exist.`,
    );
  }
  return found;
}

function referenceOptions(input: DescribeImageReferencesCommandInput) {
  const requested = new Map<ImageReferenceResourceType, Map<string, string[]>>();
  if (input.IncludeAllResourceTypes) for (const type of ALL_REFERENCE_TYPES) requested.set(type, new Map());
  for (const request of input.ResourceTypes ?? []) {
    if (!request.ResourceType) continue;
    const options = new Map<string, string[]>();
    for (const option of request.ResourceTypeOptions ?? []) {
      if (option.OptionName) options.set(option.OptionName, option.OptionValues ?? []);
    }
    requested.set(request.ResourceType, options);
  }
  if (requested.size === 0) {
    throw new SimApiError(
      "MissingParameter",
      "Either IncludeAllResourceTypes or ResourceTypes must be specified.",
    );
  }
  return requested;
}

/** EC2 operations that tell what uses an image (DescribeImageReferences and its fallbacks). */
export const referenceHandlers = {
  DescribeImageReferences(world: SimWorld, call: CallContext, input: DescribeImageReferencesCommandInput) {
    rejectDryRun(input);
    const region = world.region(call.region);
    const ids = input.ImageIds ?? [];
    if (ids.length < 1 || ids.length > 10) {
      throw new SimApiError("InvalidParameterValue", "ImageIds must contain between 1 and 10 image IDs.");
    }
    // An image shared with the account (simulated organization) is referenced like its own (aws-facts §5).
    for (const id of ids)
      if (!world.organization?.usableImage(world, call.region, id)) requireImage(region, id);
    const requested = referenceOptions(input);
    const arn = (service: string, resource: string) =>
      `arn:aws:${service}:${call.region}:${world.accountId}:${resource}`;
    const references: ImageReference[] = [];
    for (const imageId of ids) {
      const instanceOptions = requested.get("ec2:Instance");
      if (instanceOptions) {
        const states = instanceOptions.get("state-name");
        for (const instance of visibleInstances(world, region)) {
          if (instance.imageId !== imageId || (states && !states.includes(instance.state))) continue;
          references.push({
            ImageId: imageId,
            ResourceType: "ec2:Instance",
            Arn: arn("ec2", `instance/${instance.instanceId}`),
          });
        }
      }
      const templateOptions = requested.get("ec2:LaunchTemplate");
      if (templateOptions) {
        const depth = Number(templateOptions.get("version-depth")?.[0] ?? DEFAULT_VERSION_DEPTH);
        if (!Number.isInteger(depth) || depth < 1 || depth > 10000) {
          throw new SimApiError(
            "InvalidParameterValue",
            "version-depth must be an integer between 1 and 10000.",
          );
        }
        for (const template of region.launchTemplates.values()) {
          const newest = [...template.versions]
            .sort((a, b) => b.versionNumber - a.versionNumber)
            .slice(0, depth);
          if (!newest.some((version) => version.imageId === imageId)) continue;
          references.push({
            ImageId: imageId,
            ResourceType: "ec2:LaunchTemplate",
            Arn: arn("ec2", `launch-template/${template.launchTemplateId}`),
          });
        }
      }
      if (requested.has("ssm:Parameter")) {
        for (const parameter of region.parameters.values()) {
          if (parameter.value !== imageId) continue;
          references.push({
            ImageId: imageId,
            ResourceType: "ssm:Parameter",
            Arn: arn("ssm", `parameter/${parameter.name.replace(/^\//, "")}`),
          });
        }
      }
      for (const recipe of region.recipes) {
        if (recipe.imageId === imageId && requested.has(recipe.resourceType)) {
          references.push({ ImageId: imageId, ResourceType: recipe.resourceType, Arn: recipe.arn });
        }
      }
    }
    assertMaxResults(input.MaxResults, 1, 1000);
    const { page, nextToken } = paginate(references, input.MaxResults, input.NextToken);
    return { ImageReferences: page, ...(nextToken ? { NextToken: nextToken } : {}) };
  },

  DescribeInstances(world: SimWorld, call: CallContext, input: DescribeInstancesCommandInput) {
    rejectDryRun(input);
    const region = world.region(call.region);
    if (input.InstanceIds && input.MaxResults !== undefined) {
      throw new SimApiError(
        "InvalidParameterCombination",
        "The parameter instancesSet cannot be used with the parameter maxResults",
      );
    }
    assertMaxResults(input.MaxResults, 5, 1000);
    let instances = visibleInstances(world, region);
    if (input.InstanceIds) {
      const missing = input.InstanceIds.filter(
        (id) => !instances.some((instance) => instance.instanceId === id),
      );
      if (missing.length > 0) {
        throw new SimApiError(
          "InvalidInstanceID.NotFound",
          `The instance IDs '${missing.join(", ")}' do not exist`,
        );
      }
      instances = instances.filter((instance) => input.InstanceIds?.includes(instance.instanceId));
    }
    instances = instances.filter((instance) =>
      matchesFilters(input.Filters, (name) => {
        if (name === "image-id") return [instance.imageId];
        if (name === "instance-state-name") return [instance.state];
        if (name === "instance-id") return [instance.instanceId];
        return undefined;
      }),
    );
    const { page, nextToken } = paginate(instances, input.MaxResults, input.NextToken);
    const codes: Record<SimInstance["state"], number> = {
      pending: 0,
      running: 16,
      "shutting-down": 32,
      terminated: 48,
      stopping: 64,
      stopped: 80,
    };
    return {
      Reservations: page.map((instance) => ({
        ReservationId: `r-${instance.instanceId.slice(2)}`,
        OwnerId: world.accountId,
        Instances: [
          {
            InstanceId: instance.instanceId,
            ImageId: instance.imageId,
            State: { Code: codes[instance.state], Name: instance.state },
            LaunchTime: new Date(instance.launchTime),
          },
        ],
      })),
      ...(nextToken ? { NextToken: nextToken } : {}),
    };
  },

  DescribeLaunchTemplates(world: SimWorld, call: CallContext, input: DescribeLaunchTemplatesCommandInput) {
    rejectDryRun(input);
    const region = world.region(call.region);
    assertMaxResults(input.MaxResults, 1, 200);
    let templates = [...region.launchTemplates.values()].sort((a, b) => a.sequence - b.sequence);
    if (input.LaunchTemplateIds)
      templates = input.LaunchTemplateIds.map((id) => requireLaunchTemplate(region, id));
    if (input.LaunchTemplateNames) {
      templates = input.LaunchTemplateNames.map((name) => requireLaunchTemplate(region, undefined, name));
    }
    templates = templates.filter((template) =>
      matchesFilters(input.Filters, (name) =>
        name === "launch-template-name" ? [template.name] : undefined,
      ),
    );
    const { page, nextToken } = paginate(templates, input.MaxResults, input.NextToken);
    return {
      LaunchTemplates: page.map((template) => ({
        LaunchTemplateId: template.launchTemplateId,
        LaunchTemplateName: template.name,
        CreateTime: new Date(template.createTime),
        DefaultVersionNumber: template.defaultVersion,
        LatestVersionNumber: Math.max(...template.versions.map((version) => version.versionNumber)),
      })),
      ...(nextToken ? { NextToken: nextToken } : {}),
    };
  },

  DescribeLaunchTemplateVersions(
    world: SimWorld,
    call: CallContext,
    input: DescribeLaunchTemplateVersionsCommandInput,
  ) {
    rejectDryRun(input);
    const region = world.region(call.region);
    assertMaxResults(input.MaxResults, 1, 200);
    const byTemplate = input.LaunchTemplateId !== undefined || input.LaunchTemplateName !== undefined;
    const templates = byTemplate
      ? [requireLaunchTemplate(region, input.LaunchTemplateId, input.LaunchTemplateName)]
      : [...region.launchTemplates.values()].sort((a, b) => a.sequence - b.sequence);
    const wanted = input.Versions ?? [];
    if (!byTemplate && (wanted.length === 0 || wanted.some((v) => v !== "$Latest" && v !== "$Default"))) {
      throw new SimApiError(
        "MissingParameter",
        "Without a launch template, Versions must be $Latest and/or $Default.",
      );
    }
    const rows = templates.flatMap((template) => {
      const latest = Math.max(...template.versions.map((version) => version.versionNumber));
      const numbers = new Set(
        wanted.map((v) =>
          v === "$Latest" ? latest : v === "$Default" ? template.defaultVersion : Number(v),
        ),
      );
      return template.versions
        .filter((version) => wanted.length === 0 || numbers.has(version.versionNumber))
        .filter(
          (version) => input.MinVersion === undefined || version.versionNumber >= Number(input.MinVersion),
        )
        .filter(
          (version) => input.MaxVersion === undefined || version.versionNumber <= Number(input.MaxVersion),
        )
        .filter((version) =>
          matchesFilters(input.Filters, (name) => {
            if (name === "image-id") return version.imageId ? [version.imageId] : [];
            if (name === "is-default-version")
              return [String(version.versionNumber === template.defaultVersion)];
            return undefined;
          }),
        )
        .sort((a, b) => b.versionNumber - a.versionNumber)
        .map((version) => ({
          LaunchTemplateId: template.launchTemplateId,
          LaunchTemplateName: template.name,
          VersionNumber: version.versionNumber,
          CreateTime: new Date(version.createTime),
          DefaultVersion: version.versionNumber === template.defaultVersion,
          LaunchTemplateData: version.imageId ? { ImageId: version.imageId } : {},
        }));
    });
    const { page, nextToken } = paginate(rows, input.MaxResults, input.NextToken);
    return { LaunchTemplateVersions: page, ...(nextToken ? { NextToken: nextToken } : {}) };
  },
};
