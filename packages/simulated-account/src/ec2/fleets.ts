import type {
  BatchState,
  DescribeFleetsCommandInput,
  DescribeSpotFleetRequestsCommandInput,
  FleetData,
  FleetLaunchTemplateConfig,
  FleetLaunchTemplateSpecification,
  FleetStateCode,
  LaunchTemplateConfig,
  SpotFleetLaunchSpecification,
  SpotFleetRequestConfig,
} from "@aws-sdk/client-ec2";
import { SimApiError } from "../errors";
import type { RegionState, SimFleet, SimSpotFleetRequest } from "../state";
import type { CallContext, SimWorld } from "../world";
import { assertMaxResults, matchesFilters, paginate, rejectDryRun, requireImage } from "./common";
import { requireLaunchTemplate } from "./references";

/** What a test gives to create an EC2 Fleet (the parts of CreateFleet that name images). */
export interface FleetSeed {
  /** CreateFleet's default is `maintain` */
  type?: SimFleet["type"];
  launchTemplateConfigs: FleetLaunchTemplateConfig[];
}

/** What a test gives to request a Spot Fleet: launch specifications or launch template configs. */
export interface SpotFleetSeed {
  /** RequestSpotFleet's default is `maintain` */
  type?: SimSpotFleetRequest["type"];
  launchSpecifications?: SpotFleetLaunchSpecification[];
  launchTemplateConfigs?: LaunchTemplateConfig[];
}

const invalid = (message: string) => new SimApiError("InvalidParameterValue", message);

/**
 * Checks a fleet's launch template as CreateFleet / RequestSpotFleet do: exactly one of id or name, an
 * existing template and a version that is `$Default`, `$Latest` or an existing number. Both APIs say a
 * version must be given; the request fails without one.
 */
function checkTemplate(region: RegionState, spec: FleetLaunchTemplateSpecification | undefined): void {
  if (!spec) throw invalid("Each launch template config needs a LaunchTemplateSpecification.");
  if ((spec.LaunchTemplateId === undefined) === (spec.LaunchTemplateName === undefined)) {
    throw invalid("Specify either LaunchTemplateId or LaunchTemplateName, not both.");
  }
  const template = requireLaunchTemplate(region, spec.LaunchTemplateId, spec.LaunchTemplateName);
  const version = spec.Version;
  if (version === "$Default" || version === "$Latest") return;
  const number = Number(version);
  if (version === undefined || !Number.isInteger(number)) {
    throw invalid("LaunchTemplateSpecification.Version must be a version number, $Latest or $Default.");
  }
  if (!template.versions.some((candidate) => candidate.versionNumber === number)) {
    throw new SimApiError(
      "InvalidLaunchTemplateVersion.NotFound",
      `The specified launch template version ${version} of ${template.launchTemplateId} does not exist.`,
    );
  }
}

/** Creates an EC2 Fleet as CreateFleet would (no instances are launched); returns its id. */
export function createFleet(world: SimWorld, region: string, seed: FleetSeed): string {
  const state = world.region(region);
  if (seed.launchTemplateConfigs.length === 0) throw invalid("LaunchTemplateConfigs must not be empty.");
  for (const config of seed.launchTemplateConfigs) {
    checkTemplate(state, config.LaunchTemplateSpecification);
    for (const override of config.Overrides ?? [])
      if (override.ImageId) requireImage(state, override.ImageId);
  }
  const fleetId = `fleet-${world.ids.uuid()}`;
  state.fleets.set(fleetId, {
    fleetId,
    type: seed.type ?? "maintain",
    state: "active",
    launchTemplateConfigs: structuredClone(seed.launchTemplateConfigs),
    createTime: world.clock.now(),
    sequence: world.nextSequence(),
  });
  return fleetId;
}

/** Requests a Spot Fleet as RequestSpotFleet would (no instances are launched); returns its id. */
export function requestSpotFleet(world: SimWorld, region: string, seed: SpotFleetSeed): string {
  const state = world.region(region);
  const specifications = seed.launchSpecifications ?? [];
  const configs = seed.launchTemplateConfigs ?? [];
  // SpotFleetRequestConfigData: LaunchSpecifications or LaunchTemplateConfigs, not both, and one of them.
  if (specifications.length > 0 === configs.length > 0) {
    throw invalid("Specify either LaunchSpecifications or LaunchTemplateConfigs.");
  }
  for (const specification of specifications) {
    if (!specification.ImageId) throw invalid("Each launch specification needs an ImageId.");
    requireImage(state, specification.ImageId);
  }
  for (const config of configs) checkTemplate(state, config.LaunchTemplateSpecification);
  const spotFleetRequestId = `sfr-${world.ids.uuid()}`;
  state.spotFleetRequests.set(spotFleetRequestId, {
    spotFleetRequestId,
    type: seed.type ?? "maintain",
    state: "active",
    ...(specifications.length > 0 ? { launchSpecifications: structuredClone(specifications) } : {}),
    ...(configs.length > 0 ? { launchTemplateConfigs: structuredClone(configs) } : {}),
    createTime: world.clock.now(),
    sequence: world.nextSequence(),
  });
  return spotFleetRequestId;
}

/** Moves an EC2 Fleet to a state (DeleteFleets gives `deleted_running`/`deleted_terminating`, then `deleted`). */
export function setFleetState(world: SimWorld, region: string, fleetId: string, state: FleetStateCode): void {
  const fleet = world.region(region).fleets.get(fleetId);
  if (!fleet) throw new SimApiError("InvalidFleetId.NotFound", `The fleet ID '${fleetId}' does not exist`);
  fleet.state = state;
}

/** Moves a Spot Fleet request to a state (CancelSpotFleetRequests gives `cancelled_*`, then `cancelled`). */
export function setSpotFleetRequestState(
  world: SimWorld,
  region: string,
  spotFleetRequestId: string,
  state: BatchState,
): void {
  const request = world.region(region).spotFleetRequests.get(spotFleetRequestId);
  if (!request) {
    throw new SimApiError(
      "InvalidSpotFleetRequestId.NotFound",
      `The spot fleet request ID '${spotFleetRequestId}' does not exist`,
    );
  }
  request.state = state;
}

/** DescribeFleets / DescribeSpotFleetRequests accept MaxResults 1–1000 (inferred from EC2's usual bound). */
const maxPage = 1000;

/** EC2 operations over EC2 Fleets and Spot Fleet requests. */
export const fleetHandlers = {
  DescribeFleets(world: SimWorld, call: CallContext, input: DescribeFleetsCommandInput) {
    rejectDryRun(input);
    const region = world.region(call.region);
    assertMaxResults(input.MaxResults, 1, maxPage);
    const ids = input.FleetIds;
    for (const id of ids ?? []) {
      if (!region.fleets.has(id))
        throw new SimApiError("InvalidFleetId.NotFound", `The fleet ID '${id}' does not exist`);
    }
    const fleets = [...region.fleets.values()]
      // DescribeFleets: an instant fleet appears only when asked for by id.
      .filter((fleet) => (ids ? ids.includes(fleet.fleetId) : fleet.type !== "instant"))
      .filter((fleet) =>
        matchesFilters(input.Filters, (name) => {
          // The filter spells the states with dashes (deleted-running), the field with underscores.
          if (name === "fleet-state") return [fleet.state.replace(/_/g, "-")];
          if (name === "type") return [fleet.type];
          return undefined;
        }),
      )
      .sort((a, b) => a.sequence - b.sequence)
      .map(
        (fleet): FleetData => ({
          FleetId: fleet.fleetId,
          FleetState: fleet.state,
          Type: fleet.type,
          CreateTime: new Date(fleet.createTime),
          LaunchTemplateConfigs: structuredClone(fleet.launchTemplateConfigs),
        }),
      );
    const { page, nextToken } = paginate(fleets, input.MaxResults, input.NextToken);
    return { Fleets: page, ...(nextToken ? { NextToken: nextToken } : {}) };
  },

  DescribeSpotFleetRequests(
    world: SimWorld,
    call: CallContext,
    input: DescribeSpotFleetRequestsCommandInput,
  ) {
    rejectDryRun(input);
    const region = world.region(call.region);
    assertMaxResults(input.MaxResults, 1, maxPage);
    const ids = input.SpotFleetRequestIds;
    for (const id of ids ?? []) {
      if (!region.spotFleetRequests.has(id)) {
        throw new SimApiError(
          "InvalidSpotFleetRequestId.NotFound",
          `The spot fleet request ID '${id}' does not exist`,
        );
      }
    }
    const requests = [...region.spotFleetRequests.values()]
      .filter((request) => !ids || ids.includes(request.spotFleetRequestId))
      .sort((a, b) => a.sequence - b.sequence)
      .map(
        (request): SpotFleetRequestConfig => ({
          SpotFleetRequestId: request.spotFleetRequestId,
          SpotFleetRequestState: request.state,
          CreateTime: new Date(request.createTime),
          SpotFleetRequestConfig: {
            IamFleetRole: `arn:aws:iam::${world.accountId}:role/aws-ec2-spot-fleet-tagging-role`,
            TargetCapacity: 1,
            Type: request.type,
            ...(request.launchSpecifications
              ? { LaunchSpecifications: structuredClone(request.launchSpecifications) }
              : {}),
            ...(request.launchTemplateConfigs
              ? { LaunchTemplateConfigs: structuredClone(request.launchTemplateConfigs) }
              : {}),
          },
        }),
      );
    const { page, nextToken } = paginate(requests, input.MaxResults, input.NextToken);
    return { SpotFleetRequestConfigs: page, ...(nextToken ? { NextToken: nextToken } : {}) };
  },
};
