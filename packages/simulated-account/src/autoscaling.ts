import type {
  AutoScalingGroup,
  CreateAutoScalingGroupCommandInput,
  CreateLaunchConfigurationCommandInput,
  DeleteAutoScalingGroupCommandInput,
  DeleteLaunchConfigurationCommandInput,
  DescribeAutoScalingGroupsCommandInput,
  DescribeLaunchConfigurationsCommandInput,
  LaunchConfiguration,
  LaunchTemplateSpecification,
  MixedInstancesPolicy,
  UpdateAutoScalingGroupCommandInput,
} from "@aws-sdk/client-auto-scaling";
import { nextCapacity } from "./autoscaling-capacity";
import { requireImage } from "./ec2/common";
import { requireLaunchTemplate } from "./ec2/references";
import { SimApiError } from "./errors";
import type { RegionState, SimAutoScalingGroup, SimLaunchConfiguration, SimLaunchTemplateRef } from "./state";
import type { CallContext, SimWorld } from "./world";

/** DescribeAutoScalingGroups / DescribeLaunchConfigurations: MaxRecords default 50, at most 100. */
const defaultMaxRecords = 50;
const maxMaxRecords = 100;

/** Auto Scaling answers every invalid request with this code (Query protocol, HTTP 400). */
// Errors carry the names the SDK gives them (it maps the wire codes `AlreadyExists` and `ResourceInUse` to
// its modelled `…Fault` exceptions; `ValidationError` is not modelled and keeps its code), as the
// conformance suite checks against moto through the real deserializer.
const validation = (message: string) => new SimApiError("ValidationError", message);

function assertMaxRecords(maxRecords: number | undefined): number {
  if (maxRecords === undefined) return defaultMaxRecords;
  if (!Number.isInteger(maxRecords) || maxRecords < 1 || maxRecords > maxMaxRecords) {
    throw validation(`MaxRecords must be between 1 and ${maxMaxRecords}.`);
  }
  return maxRecords;
}

/** One page; the token is an opaque offset (Auto Scaling answers `InvalidNextToken` for a bad one). */
function page<T>(items: readonly T[], maxRecords: number | undefined, nextToken: string | undefined) {
  const size = assertMaxRecords(maxRecords);
  let start = 0;
  if (nextToken !== undefined) {
    const decoded = /^asg:(\d+)$/.exec(Buffer.from(nextToken, "base64").toString("utf8"));
    if (!decoded) throw new SimApiError("InvalidNextToken", "The token is invalid.");
    start = Number(decoded[1]);
  }
  const end = start + size;
  return {
    items: items.slice(start, end),
    ...(end < items.length ? { NextToken: Buffer.from(`asg:${end}`).toString("base64") } : {}),
  };
}

/**
 * What both Auto Scaling describe calls do: the named resources (all when no names are given; a name that
 * does not exist is left out, not an error) in creation order, rendered, one page of them.
 */
function describeByName<T extends { name: string; sequence: number }, R>(
  resources: ReadonlyMap<string, T>,
  names: readonly string[] | undefined,
  paging: { MaxRecords?: number; NextToken?: string },
  render: (resource: T) => R,
) {
  const selected = [...resources.values()]
    .filter((resource) => names === undefined || names.includes(resource.name))
    .sort((a, b) => a.sequence - b.sequence)
    .map(render);
  return page(selected, paging.MaxRecords, paging.NextToken);
}

/**
 * Checks a launch template specification as CreateAutoScalingGroup does: exactly one of id or name, an
 * existing template, and a version that is `$Default`, `$Latest` or an existing version number. Omitting
 * the version means the default version; the group then shows `$Default` (inferred: the API reference
 * says only that the default version is used).
 */
function checkTemplateRef(region: RegionState, spec: LaunchTemplateSpecification): SimLaunchTemplateRef {
  if ((spec.LaunchTemplateId === undefined) === (spec.LaunchTemplateName === undefined)) {
    throw validation("Valid requests must contain either launchTemplateId or launchTemplateName.");
  }
  let template: ReturnType<typeof requireLaunchTemplate>;
  try {
    template = requireLaunchTemplate(region, spec.LaunchTemplateId, spec.LaunchTemplateName);
  } catch (error) {
    if (!(error instanceof SimApiError)) throw error;
    throw validation(`You must use a valid fully-formed launch template. ${error.message}`);
  }
  const version = spec.Version ?? "$Default";
  if (version !== "$Default" && version !== "$Latest") {
    const number = Number(version);
    if (!Number.isInteger(number) || !template.versions.some((v) => v.versionNumber === number)) {
      throw validation(
        `You must use a valid fully-formed launch template. The specified launch template version ${version} of ${template.launchTemplateId} does not exist.`,
      );
    }
  }
  return { launchTemplateId: template.launchTemplateId, version };
}

function checkMixedInstancesPolicy(region: RegionState, policy: MixedInstancesPolicy) {
  const base = policy.LaunchTemplate?.LaunchTemplateSpecification;
  if (!base) throw validation("A MixedInstancesPolicy needs LaunchTemplate.LaunchTemplateSpecification.");
  return {
    launchTemplate: checkTemplateRef(region, base),
    overrides: (policy.LaunchTemplate?.Overrides ?? []).map((override) => ({
      ...(override.InstanceType ? { instanceType: override.InstanceType } : {}),
      ...(override.LaunchTemplateSpecification
        ? { launchTemplate: checkTemplateRef(region, override.LaunchTemplateSpecification) }
        : {}),
    })),
  };
}

/** The launch source of a create or update request: exactly one of the three (no InstanceId in the simulation). */
function launchSource(
  region: RegionState,
  input: Pick<
    CreateAutoScalingGroupCommandInput,
    "LaunchConfigurationName" | "LaunchTemplate" | "MixedInstancesPolicy"
  >,
): Pick<SimAutoScalingGroup, "launchConfigurationName" | "launchTemplate" | "mixedInstancesPolicy"> {
  const given = [input.LaunchConfigurationName, input.LaunchTemplate, input.MixedInstancesPolicy].filter(
    (value) => value !== undefined,
  );
  if (given.length !== 1) {
    throw validation(
      "Valid requests must contain either LaunchTemplate, LaunchConfigurationName, InstanceId or MixedInstancesPolicy parameter.",
    );
  }
  if (input.LaunchConfigurationName !== undefined) {
    if (!region.launchConfigurations.has(input.LaunchConfigurationName)) {
      throw validation(`Launch configuration name not found - ${input.LaunchConfigurationName}`);
    }
    return { launchConfigurationName: input.LaunchConfigurationName };
  }
  if (input.LaunchTemplate) return { launchTemplate: checkTemplateRef(region, input.LaunchTemplate) };
  return { mixedInstancesPolicy: checkMixedInstancesPolicy(region, input.MixedInstancesPolicy ?? {}) };
}

function requireGroup(region: RegionState, name: string | undefined): SimAutoScalingGroup {
  const group = name === undefined ? undefined : region.autoScalingGroups.get(name);
  if (!group) throw validation(`AutoScalingGroup name not found - ${name ?? ""}`);
  return group;
}

function renderTemplateRef(region: RegionState, ref: SimLaunchTemplateRef): LaunchTemplateSpecification {
  const template = region.launchTemplates.get(ref.launchTemplateId);
  return {
    LaunchTemplateId: ref.launchTemplateId,
    ...(template ? { LaunchTemplateName: template.name } : {}),
    Version: ref.version,
  };
}

function renderGroup(region: RegionState, group: SimAutoScalingGroup): AutoScalingGroup {
  const mixed = group.mixedInstancesPolicy;
  return {
    AutoScalingGroupName: group.name,
    AutoScalingGroupARN: group.arn,
    ...(group.launchConfigurationName ? { LaunchConfigurationName: group.launchConfigurationName } : {}),
    ...(group.launchTemplate ? { LaunchTemplate: renderTemplateRef(region, group.launchTemplate) } : {}),
    ...(mixed
      ? {
          MixedInstancesPolicy: {
            LaunchTemplate: {
              LaunchTemplateSpecification: renderTemplateRef(region, mixed.launchTemplate),
              Overrides: mixed.overrides.map((override) => ({
                ...(override.instanceType ? { InstanceType: override.instanceType } : {}),
                ...(override.launchTemplate
                  ? { LaunchTemplateSpecification: renderTemplateRef(region, override.launchTemplate) }
                  : {}),
              })),
            },
          },
        }
      : {}),
    MinSize: group.minSize,
    MaxSize: group.maxSize,
    DesiredCapacity: group.desiredCapacity,
    DefaultCooldown: 300,
    AvailabilityZones: [`${region.region}a`],
    HealthCheckType: "EC2",
    CreatedTime: new Date(group.createdTime),
    Instances: [],
    Tags: [],
  };
}

/** A launch configuration as DescribeLaunchConfigurations returns it. */
function renderLaunchConfiguration(configuration: SimLaunchConfiguration): LaunchConfiguration {
  return {
    LaunchConfigurationName: configuration.name,
    LaunchConfigurationARN: configuration.arn,
    ImageId: configuration.imageId,
    InstanceType: configuration.instanceType,
    CreatedTime: new Date(configuration.createdTime),
    SecurityGroups: [],
    BlockDeviceMappings: [],
  };
}

/** Auto Scaling operations: groups (launch configuration, launch template, mixed instances policy) and launch configurations. */
export const autoScalingHandlers = {
  CreateLaunchConfiguration(
    world: SimWorld,
    call: CallContext,
    input: CreateLaunchConfigurationCommandInput,
  ) {
    const region = world.region(call.region);
    const name = input.LaunchConfigurationName ?? "";
    if (region.launchConfigurations.has(name)) {
      throw new SimApiError(
        "AlreadyExistsFault",
        `Launch Configuration by this name already exists - A launch configuration already exists with the name ${name}`,
      );
    }
    if (!input.ImageId) throw validation("ImageId is required when InstanceId is not given.");
    try {
      requireImage(region, input.ImageId);
    } catch (error) {
      if (!(error instanceof SimApiError)) throw error;
      throw validation(`The image id '[${input.ImageId}]' does not exist`);
    }
    region.launchConfigurations.set(name, {
      name,
      arn: `arn:aws:autoscaling:${call.region}:${world.accountId}:launchConfiguration:${world.ids.uuid()}:launchConfigurationName/${name}`,
      imageId: input.ImageId,
      instanceType: input.InstanceType ?? "t3.micro",
      createdTime: world.clock.now(),
      sequence: world.nextSequence(),
    });
    return {};
  },

  DeleteLaunchConfiguration(
    world: SimWorld,
    call: CallContext,
    input: DeleteLaunchConfigurationCommandInput,
  ) {
    const region = world.region(call.region);
    const name = input.LaunchConfigurationName ?? "";
    if (!region.launchConfigurations.has(name))
      throw validation(`Launch configuration name not found - ${name}`);
    if ([...region.autoScalingGroups.values()].some((group) => group.launchConfigurationName === name)) {
      throw new SimApiError(
        "ResourceInUseFault",
        `Cannot delete launch configuration ${name} because it is attached to AutoScalingGroup`,
      );
    }
    region.launchConfigurations.delete(name);
    return {};
  },

  DescribeLaunchConfigurations(
    world: SimWorld,
    call: CallContext,
    input: DescribeLaunchConfigurationsCommandInput,
  ) {
    const region = world.region(call.region);
    const { items, ...next } = describeByName(
      region.launchConfigurations,
      input.LaunchConfigurationNames,
      input,
      renderLaunchConfiguration,
    );
    return { LaunchConfigurations: items, ...next };
  },

  CreateAutoScalingGroup(world: SimWorld, call: CallContext, input: CreateAutoScalingGroupCommandInput) {
    const region = world.region(call.region);
    const name = input.AutoScalingGroupName ?? "";
    if (region.autoScalingGroups.has(name)) {
      throw new SimApiError(
        "AlreadyExistsFault",
        `AutoScalingGroup by this name already exists - A group with the name ${name} already exists`,
      );
    }
    const capacity = nextCapacity(undefined, input);
    const source = launchSource(region, input);
    region.autoScalingGroups.set(name, {
      name,
      arn: `arn:aws:autoscaling:${call.region}:${world.accountId}:autoScalingGroup:${world.ids.uuid()}:autoScalingGroupName/${name}`,
      ...source,
      ...capacity,
      createdTime: world.clock.now(),
      sequence: world.nextSequence(),
    });
    return {};
  },

  UpdateAutoScalingGroup(world: SimWorld, call: CallContext, input: UpdateAutoScalingGroupCommandInput) {
    const region = world.region(call.region);
    const group = requireGroup(region, input.AutoScalingGroupName);
    const changesSource =
      input.LaunchConfigurationName !== undefined ||
      input.LaunchTemplate !== undefined ||
      input.MixedInstancesPolicy !== undefined;
    // Everything is checked before anything changes: a refused update leaves the group as it was.
    const source = changesSource ? launchSource(region, input) : undefined;
    const capacity = nextCapacity(group, input);
    if (source) {
      delete group.launchConfigurationName;
      delete group.launchTemplate;
      delete group.mixedInstancesPolicy;
      Object.assign(group, source);
    }
    Object.assign(group, capacity);
    return {};
  },

  DeleteAutoScalingGroup(world: SimWorld, call: CallContext, input: DeleteAutoScalingGroupCommandInput) {
    const region = world.region(call.region);
    const group = requireGroup(region, input.AutoScalingGroupName);
    region.autoScalingGroups.delete(group.name);
    return {};
  },

  DescribeAutoScalingGroups(
    world: SimWorld,
    call: CallContext,
    input: DescribeAutoScalingGroupsCommandInput,
  ) {
    const region = world.region(call.region);
    const { items, ...next } = describeByName(
      region.autoScalingGroups,
      input.AutoScalingGroupNames,
      input,
      (group) => renderGroup(region, group),
    );
    return { AutoScalingGroups: items, ...next };
  },
};
