import type { VersionRecord } from "@ami-lifecycle/core";
import type { LocalDeployment } from "@ami-lifecycle/simulated-account";
import { launchRegion } from "./launch-sources";
import { imageOf } from "./retention-world";

/** What `useFromFleetsOnly` set up, to check the kept and retired versions and their reasons against. */
export interface FleetSources {
  /** v6: only an EC2 Fleet override's own image (its template launches the newest version) */
  fleetOverride: { version: number; fleetId: string; templateId: string; templateName: string };
  /** v7: only a Spot Fleet request's launch specification */
  spotSpecification: { version: number; requestId: string };
  /** v8: only version 1 of a template ($Default/$Latest are the newest version) that a Spot Fleet pins */
  spotTemplate: { version: number; requestId: string; templateId: string; templateName: string };
  /** v9: only fleets that can no longer launch: deleted, failed, cancelled, or instant (launched once) */
  deadFleets: { version: number };
}

/**
 * Makes v6–v9 used only by EC2 Fleets and Spot Fleet requests, which DescribeImageReferences does not
 * report: an override image, a launch specification, a pinned template version, and (v9) fleets that
 * cannot launch any more. The newest version (kept anyway) is every template's $Default/$Latest.
 */
export function useFromFleetsOnly(
  deployment: LocalDeployment,
  versions: readonly VersionRecord[],
): FleetSources {
  const { account } = deployment;
  const image = (number: number) =>
    imageOf(
      versions.find((record) => record.version === number),
      launchRegion,
    );
  const newest = image(Math.max(...versions.map((record) => record.version)));
  const fleetTemplate = account.createLaunchTemplate(launchRegion, "web-fleet-lt", newest);
  const fleetOverride = account.createFleet(launchRegion, {
    launchTemplateConfigs: [
      {
        LaunchTemplateSpecification: { LaunchTemplateId: fleetTemplate, Version: "$Default" },
        Overrides: [{ InstanceType: "c7i.large" }, { InstanceType: "m7g.large", ImageId: image(6) }],
      },
    ],
  });
  const spotSpecification = account.requestSpotFleet(launchRegion, {
    launchSpecifications: [{ ImageId: image(7), InstanceType: "c7i.large" }],
  });
  const spotTemplate = account.createLaunchTemplate(launchRegion, "web-spot-lt", image(8));
  account.addLaunchTemplateVersion(launchRegion, spotTemplate, newest, { makeDefault: true });
  const spotTemplateRequest = account.requestSpotFleet(launchRegion, {
    type: "request",
    launchTemplateConfigs: [
      { LaunchTemplateSpecification: { LaunchTemplateName: "web-spot-lt", Version: "1" } },
    ],
  });
  const deadOverride = {
    LaunchTemplateSpecification: { LaunchTemplateId: fleetTemplate, Version: "$Latest" },
    Overrides: [{ InstanceType: "m7g.large" as const, ImageId: image(9) }],
  };
  for (const state of ["deleted_running", "deleted", "failed"] as const) {
    const fleet = account.createFleet(launchRegion, { launchTemplateConfigs: [deadOverride] });
    account.setFleetState(launchRegion, fleet, state);
  }
  account.createFleet(launchRegion, { type: "instant", launchTemplateConfigs: [deadOverride] });
  for (const state of ["cancelled_running", "cancelled_terminating", "cancelled", "failed"] as const) {
    const request = account.requestSpotFleet(launchRegion, { launchSpecifications: [{ ImageId: image(9) }] });
    account.setSpotFleetRequestState(launchRegion, request, state);
  }
  return {
    fleetOverride: {
      version: 6,
      fleetId: fleetOverride,
      templateId: fleetTemplate,
      templateName: "web-fleet-lt",
    },
    spotSpecification: { version: 7, requestId: spotSpecification },
    spotTemplate: {
      version: 8,
      requestId: spotTemplateRequest,
      templateId: spotTemplate,
      templateName: "web-spot-lt",
    },
    deadFleets: { version: 9 },
  };
}
