import type { ImageReference } from "@ami-lifecycle/core";
import type { AutoScalingGroup, LaunchTemplateSpecification } from "@aws-sdk/client-auto-scaling";
import type { RegionLaunchSources } from "../ec2/launch-sources";
import { describeTemplateVersions, resolveVersion } from "../ec2/launch-template-catalog";

/** One launch template a group launches from, and why (the group's own, or a mixed instances override's). */
interface GroupLaunch {
  group: string;
  arn: string;
  spec: LaunchTemplateSpecification;
  /** the instance type of the mixed instances override that names its own template */
  override?: string;
}

/**
 * What Auto Scaling launches that DescribeImageReferences does not report: launch configurations (it has
 * no such type), and the launch template version each group resolves to, mixed instances overrides
 * included (it reports the template, not the version nor the group that pins it).
 */
export async function autoScalingReferences(
  sources: Pick<RegionLaunchSources, "templates" | "autoScalingGroups" | "launchConfigurations">,
  region: string,
  wanted: ReadonlySet<string>,
  /** false: launch configurations only (the caller's template references already cover every version) */
  readGroups = true,
): Promise<ImageReference[]> {
  const { templates } = sources;
  const groups = readGroups ? await sources.autoScalingGroups() : [];
  const references: ImageReference[] = [];
  const groupsByConfiguration = new Map<string, string[]>();
  for (const group of groups) {
    if (!group.LaunchConfigurationName || !group.AutoScalingGroupName) continue;
    const users = groupsByConfiguration.get(group.LaunchConfigurationName) ?? [];
    users.push(group.AutoScalingGroupName);
    groupsByConfiguration.set(group.LaunchConfigurationName, users);
  }
  for (const configuration of await sources.launchConfigurations()) {
    const { ImageId: imageId, LaunchConfigurationName: name, LaunchConfigurationARN: arn } = configuration;
    if (!imageId || !name || !arn || !wanted.has(imageId)) continue;
    // An unattached launch configuration is kept too: a group can be pointed at it at any time.
    const users = groupsByConfiguration.get(name) ?? [];
    const usedBy = users.length > 0 ? ` used by Auto Scaling group ${users.sort().join(", ")}` : "";
    references.push({
      imageId,
      region,
      resourceType: "autoscaling:LaunchConfiguration",
      arn,
      detail: `launch configuration ${name}${usedBy}`,
    });
  }
  for (const launch of groups.flatMap(groupLaunches)) {
    const template = await templates.get({
      launchTemplateId: launch.spec.LaunchTemplateId,
      launchTemplateName: launch.spec.LaunchTemplateName,
    });
    if (!template) continue;
    const version = resolveVersion(template, launch.spec.Version);
    const imageId = version === undefined ? undefined : template.images.get(version);
    if (version === undefined || !imageId || !wanted.has(imageId)) continue;
    const alias = launch.spec.Version?.startsWith("$") ? ` (${launch.spec.Version})` : "";
    const override = launch.override ? ` for override ${launch.override}` : "";
    references.push({
      imageId,
      region,
      resourceType: "autoscaling:AutoScalingGroup",
      arn: launch.arn,
      detail: `Auto Scaling group ${launch.group} launches ${describeTemplateVersions(template, [version])}${alias}${override}`,
    });
  }
  return references;
}

/** The group's launch template, or its mixed instances policy's template and each override's own. */
function groupLaunches(group: AutoScalingGroup): GroupLaunch[] {
  const name = group.AutoScalingGroupName;
  const arn = group.AutoScalingGroupARN;
  if (!name || !arn) return [];
  const launches: GroupLaunch[] = [];
  if (group.LaunchTemplate) launches.push({ group: name, arn, spec: group.LaunchTemplate });
  const mixed = group.MixedInstancesPolicy?.LaunchTemplate;
  if (mixed?.LaunchTemplateSpecification)
    launches.push({ group: name, arn, spec: mixed.LaunchTemplateSpecification });
  for (const override of mixed?.Overrides ?? []) {
    if (!override.LaunchTemplateSpecification) continue;
    launches.push({
      group: name,
      arn,
      spec: override.LaunchTemplateSpecification,
      override: override.InstanceType ?? "without instance type",
    });
  }
  return launches;
}
