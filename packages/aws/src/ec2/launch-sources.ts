import {
  type AutoScalingClient,
  type AutoScalingGroup,
  type LaunchConfiguration,
  paginateDescribeAutoScalingGroups,
  paginateDescribeLaunchConfigurations,
} from "@aws-sdk/client-auto-scaling";
import {
  type EC2Client,
  type FleetData,
  paginateDescribeFleets,
  paginateDescribeSpotFleetRequests,
  type SpotFleetRequestConfig,
} from "@aws-sdk/client-ec2";
import { translateAwsError } from "../errors";
import { LaunchTemplateCatalog } from "./launch-template-catalog";

/** DescribeAutoScalingGroups / DescribeLaunchConfigurations take at most 100 records a page. */
const autoScalingPageSize = 100;

/**
 * What can launch images in one region, read on first use and then shared by every reference lookup
 * that holds these sources: Auto Scaling groups, launch configurations, EC2 Fleets, Spot Fleet requests
 * and the launch template catalogue. None of these reads depends on the images asked about, so the
 * lookups of one sweep invocation (one per family) share them; a failed read is forgotten, so the next
 * lookup asks again instead of failing for the rest of the invocation.
 */
export class RegionLaunchSources {
  /** launch templates and their versions, read as groups, fleets and the fallback name them */
  readonly templates: LaunchTemplateCatalog;
  private readonly reads = new Map<string, Promise<unknown>>();

  constructor(
    private readonly ec2: EC2Client,
    private readonly autoScaling: AutoScalingClient,
  ) {
    this.templates = new LaunchTemplateCatalog(ec2);
  }

  /** Every Auto Scaling group of the region. */
  autoScalingGroups(): Promise<AutoScalingGroup[]> {
    return this.once("AutoScaling.DescribeAutoScalingGroups", async () => {
      const groups: AutoScalingGroup[] = [];
      const pages = paginateDescribeAutoScalingGroups(
        { client: this.autoScaling, pageSize: autoScalingPageSize },
        {},
      );
      for await (const page of pages) groups.push(...(page.AutoScalingGroups ?? []));
      return groups;
    });
  }

  /** Every launch configuration of the region. */
  launchConfigurations(): Promise<LaunchConfiguration[]> {
    return this.once("AutoScaling.DescribeLaunchConfigurations", async () => {
      const configurations: LaunchConfiguration[] = [];
      const pages = paginateDescribeLaunchConfigurations(
        { client: this.autoScaling, pageSize: autoScalingPageSize },
        {},
      );
      for await (const page of pages) configurations.push(...(page.LaunchConfigurations ?? []));
      return configurations;
    });
  }

  /** Every EC2 Fleet DescribeFleets lists (`maintain` and `request` fleets). */
  fleets(): Promise<FleetData[]> {
    return this.once("EC2.DescribeFleets", async () => {
      const fleets: FleetData[] = [];
      for await (const page of paginateDescribeFleets({ client: this.ec2, pageSize: 1000 }, {}))
        fleets.push(...(page.Fleets ?? []));
      return fleets;
    });
  }

  /** Every Spot Fleet request of the region. */
  spotFleetRequests(): Promise<SpotFleetRequestConfig[]> {
    return this.once("EC2.DescribeSpotFleetRequests", async () => {
      const requests: SpotFleetRequestConfig[] = [];
      const pages = paginateDescribeSpotFleetRequests({ client: this.ec2, pageSize: 1000 }, {});
      for await (const page of pages) requests.push(...(page.SpotFleetRequestConfigs ?? []));
      return requests;
    });
  }

  /** The read's answer, shared while it is pending or succeeded; errors translated under `operation`. */
  private once<T>(operation: string, read: () => Promise<T>): Promise<T> {
    const known = this.reads.get(operation) as Promise<T> | undefined;
    if (known) return known;
    const pending = read().catch((error: unknown) => {
      this.reads.delete(operation);
      throw translateAwsError(operation, error);
    });
    this.reads.set(operation, pending);
    return pending;
  }
}
