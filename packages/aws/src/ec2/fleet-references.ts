import type { ImageReference } from "@ami-lifecycle/core";
import type { FleetLaunchTemplateSpecification, FleetStateCode } from "@aws-sdk/client-ec2";
import type { RegionLaunchSources } from "./launch-sources";
import {
  describeTemplateVersions,
  type LaunchTemplateCatalog,
  resolveVersion,
} from "./launch-template-catalog";

/**
 * EC2 Fleet states in which it can still launch (EC2 User Guide, "EC2 Fleet request states"):
 * `submitted`, `active`, `modifying`. `deleted_running` / `deleted_terminating` / `deleted` / `failed`
 * launch nothing more; their running instances are seen as instances.
 */
const launchingFleetStates: ReadonlySet<FleetStateCode | undefined> = new Set([
  "submitted",
  "active",
  "modifying",
]);

/** Spot Fleet request states in which it can still launch (EC2 User Guide, "Spot Fleet request states"). */
const launchingSpotFleetStates: ReadonlySet<string | undefined> = new Set([
  "submitted",
  "active",
  "modifying",
]);

/** One image a fleet can launch and the words that say how. */
interface FleetLaunch {
  imageId: string;
  how: string;
}

/**
 * Images that EC2 Fleets and Spot Fleet requests able to launch name, which DescribeImageReferences does
 * not report: their launch template versions (resolved through the catalogue), EC2 Fleet overrides'
 * own images and Spot Fleet launch specifications. Only `maintain` / `request` fleets are listed
 * (DescribeFleets leaves `instant` fleets out: they launched once and are done).
 */
export async function fleetReferences(
  sources: Pick<RegionLaunchSources, "templates" | "fleets" | "spotFleetRequests">,
  region: string,
  wanted: ReadonlySet<string>,
): Promise<ImageReference[]> {
  const { templates } = sources;
  const references: ImageReference[] = [];
  // Neither answer carries the owner; the ARN keeps the account empty, as the fallback's templates do.
  const arn = (resource: string) => `arn:${partitionOf(region)}:ec2:${region}::${resource}`;
  const add = (resource: string, source: string, launches: FleetLaunch[]) => {
    for (const launch of launches) {
      if (!wanted.has(launch.imageId)) continue;
      references.push({
        imageId: launch.imageId,
        region,
        resourceType: resource.startsWith("fleet/") ? "ec2:Fleet" : "ec2:SpotFleetRequest",
        arn: arn(resource),
        detail: `${source} launches ${launch.how}`,
      });
    }
  };
  for (const fleet of await sources.fleets()) {
    if (!fleet.FleetId || !launchingFleetStates.has(fleet.FleetState)) continue;
    const launches: FleetLaunch[] = [];
    for (const config of fleet.LaunchTemplateConfigs ?? []) {
      const template = await templateLaunch(templates, config.LaunchTemplateSpecification);
      if (template?.imageId) launches.push({ imageId: template.imageId, how: template.label });
      for (const [index, override] of (config.Overrides ?? []).entries()) {
        if (!override.ImageId) continue;
        // An override's image replaces the template's for that pool.
        const type = override.InstanceType ? ` (${override.InstanceType})` : "";
        const of = template ? ` of ${template.label}` : "";
        launches.push({ imageId: override.ImageId, how: `it with override ${index + 1}${type}${of}` });
      }
    }
    add(`fleet/${fleet.FleetId}`, `EC2 Fleet ${fleet.FleetId}`, launches);
  }
  for (const request of await sources.spotFleetRequests()) {
    const id = request.SpotFleetRequestId;
    if (!id || !launchingSpotFleetStates.has(request.SpotFleetRequestState)) continue;
    const config = request.SpotFleetRequestConfig;
    const launches: FleetLaunch[] = [];
    for (const [index, specification] of (config?.LaunchSpecifications ?? []).entries()) {
      if (!specification.ImageId) continue;
      const type = specification.InstanceType ? ` (${specification.InstanceType})` : "";
      launches.push({ imageId: specification.ImageId, how: `launch specification ${index + 1}${type}` });
    }
    // Spot Fleet overrides have no image of their own: only the template version launches one.
    for (const templateConfig of config?.LaunchTemplateConfigs ?? []) {
      const template = await templateLaunch(templates, templateConfig.LaunchTemplateSpecification);
      if (template?.imageId) launches.push({ imageId: template.imageId, how: template.label });
    }
    add(`spot-fleet-request/${id}`, `Spot Fleet request ${id}`, launches);
  }
  return references;
}

/** The template version a fleet's specification resolves to, its image and "launch template … version N ($Alias)". */
async function templateLaunch(
  templates: LaunchTemplateCatalog,
  spec: FleetLaunchTemplateSpecification | undefined,
): Promise<{ imageId: string | undefined; label: string } | undefined> {
  if (!spec) return undefined;
  const template = await templates.get({
    launchTemplateId: spec.LaunchTemplateId,
    launchTemplateName: spec.LaunchTemplateName,
  });
  if (!template) return undefined;
  const version = resolveVersion(template, spec.Version);
  if (version === undefined) return undefined;
  const alias = spec.Version?.startsWith("$") ? ` (${spec.Version})` : "";
  return {
    imageId: template.images.get(version),
    label: `${describeTemplateVersions(template, [version])}${alias}`,
  };
}

/** The ARN partition of a region (kept here: image-references.ts imports this module). */
function partitionOf(region: string): string {
  if (region.startsWith("cn-")) return "aws-cn";
  if (region.startsWith("us-gov-")) return "aws-us-gov";
  return "aws";
}
