import type {
  CreateImageUsageReportRequest,
  DeleteImageUsageReportRequest,
  DescribeImageUsageReportEntriesRequest,
  DescribeImageUsageReportsRequest,
} from "@aws-sdk/client-ec2";
import { SimApiError } from "../errors";
import type { RegionState, SimUsageReport } from "../state";
import type { CallContext, SimWorld } from "../world";
import { assertMaxResults, matchesFilters, paginate, rejectDryRun, requireImage } from "./common";
import { visibleInstances } from "./references";

const HOUR_MS = 60 * 60 * 1000;
const DAY_MS = 24 * HOUR_MS;

/** How stale a usage report is, and how long one takes (SimulatedOrganizationOptions.usageReports). */
export interface UsageReportTiming {
  /** instances launched this recently may be missing (AWS: the last 24 h) */
  instanceLagMs: number;
  /** launch template versions created this recently may be missing (AWS: "the last few days"; default 3 days) */
  launchTemplateLagMs: number;
  /** pending → available (default 1 h) */
  readyMs: number;
}

/** The timing used when the account is in no organization or the organization sets none. */
export const DEFAULT_USAGE_REPORT_TIMING: UsageReportTiming = {
  instanceLagMs: DAY_MS,
  launchTemplateLagMs: 3 * DAY_MS,
  readyMs: HOUR_MS,
};

/** Reports are deleted 30 days after creation (aws-facts §5). */
const REPORT_LIFETIME_MS = 30 * DAY_MS;
/**
 * What a report can count. EC2 API reference (ImageUsageResourceTypeRequest) and the User Guide name
 * `ec2:Instance | ec2:LaunchTemplate`; the SDK model of 3.1169 adds `imagebuilder:ImageRecipe |
 * imagebuilder:ContainerRecipe`. An Auto Scaling group is none of them: what it launches shows as its
 * instances and its launch template.
 */
const RESOURCE_TYPES = new Set([
  "ec2:Instance",
  "ec2:LaunchTemplate",
  "imagebuilder:ImageRecipe",
  "imagebuilder:ContainerRecipe",
]);
const DEFAULT_VERSION_DEPTH = 20;

function reports(region: RegionState): Map<string, SimUsageReport> {
  region.usageReports ??= new Map();
  return region.usageReports;
}

/** Reports still kept (expired ones are gone, as AWS deletes them). */
function liveReports(world: SimWorld, region: RegionState): SimUsageReport[] {
  const now = world.clock.nowMs();
  const all = reports(region);
  for (const [id, report] of all) if (report.expiresAt <= now) all.delete(id);
  return [...all.values()];
}

function versionDepth(input: CreateImageUsageReportRequest): number {
  const option = input.ResourceTypes?.find(
    (type) => type.ResourceType === "ec2:LaunchTemplate",
  )?.ResourceTypeOptions?.find((o) => o.OptionName === "version-depth");
  const depth = Number(option?.OptionValues?.[0] ?? DEFAULT_VERSION_DEPTH);
  if (!Number.isInteger(depth) || depth < 1 || depth > 10000) {
    throw new SimApiError("InvalidParameterValue", "version-depth must be an integer between 1 and 10000.");
  }
  return depth;
}

/**
 * What the report shows: per account, the instances, launch templates and recipes using the image, as
 * of creation minus the documented lag (recent launches and template versions are missing). A template
 * counts once when any of its `version-depth` newest versions uses the image: "defaults to the 20 most
 * recent versions" and "if an AMI is referenced in multiple versions of a launch template, the count is
 * only 1" (EC2 User Guide, View your AMI usage); not only $Default or $Latest.
 */
function computeEntries(
  owner: SimWorld,
  region: string,
  imageId: string,
  input: CreateImageUsageReportRequest,
): SimUsageReport["entries"] {
  const timing = owner.organization?.usageReportTiming ?? DEFAULT_USAGE_REPORT_TIMING;
  const now = owner.clock.nowMs();
  const types = new Set((input.ResourceTypes ?? []).map((type) => String(type.ResourceType)));
  const depth = versionDepth(input);
  const wanted = input.AccountIds?.length ? new Set(input.AccountIds) : undefined;
  const entries: SimUsageReport["entries"] = [];
  for (const account of owner.organization?.accountWorlds() ?? [owner]) {
    if (wanted && !wanted.has(account.accountId)) continue;
    const state = account.regions.get(region);
    if (!state) continue;
    if (types.has("ec2:Instance")) {
      const count = visibleInstances(account, state).filter(
        (instance) =>
          instance.imageId === imageId &&
          instance.state !== "terminated" &&
          instance.launchTime.getTime() <= now - timing.instanceLagMs,
      ).length;
      if (count > 0)
        entries.push({ accountId: account.accountId, resourceType: "ec2:Instance", usageCount: count });
    }
    if (types.has("ec2:LaunchTemplate")) {
      const count = [...state.launchTemplates.values()].filter((template) =>
        [...template.versions]
          .sort((a, b) => b.versionNumber - a.versionNumber)
          .slice(0, depth)
          .some(
            (version) =>
              version.imageId === imageId && version.createTime.getTime() <= now - timing.launchTemplateLagMs,
          ),
      ).length;
      if (count > 0) {
        entries.push({ accountId: account.accountId, resourceType: "ec2:LaunchTemplate", usageCount: count });
      }
    }
    for (const resourceType of ["imagebuilder:ImageRecipe", "imagebuilder:ContainerRecipe"] as const) {
      if (!types.has(resourceType)) continue;
      // AWS documents no lag for recipes (only for instances and templates): counted as of creation.
      const count = state.recipes.filter(
        (recipe) => recipe.resourceType === resourceType && recipe.imageId === imageId,
      ).length;
      if (count > 0) entries.push({ accountId: account.accountId, resourceType, usageCount: count });
    }
  }
  return entries;
}

function renderReport(world: SimWorld, report: SimUsageReport) {
  return {
    ImageId: report.imageId,
    ReportId: report.reportId,
    ResourceTypes: report.resourceTypes,
    ...(report.accountIds ? { AccountIds: [...report.accountIds] } : {}),
    State: world.clock.nowMs() >= report.availableAt ? "available" : "pending",
    CreationTime: new Date(report.createdAt),
    ExpirationTime: new Date(report.expiresAt),
  };
}

function selected<T extends { reportId: string; imageId: string }>(
  items: T[],
  input: { ImageIds?: string[]; ReportIds?: string[] },
): T[] {
  return items.filter(
    (item) =>
      (!input.ImageIds?.length || input.ImageIds.includes(item.imageId)) &&
      (!input.ReportIds?.length || input.ReportIds.includes(item.reportId)),
  );
}

/** AMI usage reports of the owner account (aws-facts §5), computed from every account of the organization. */
export const usageReportHandlers = {
  CreateImageUsageReport(world: SimWorld, call: CallContext, input: CreateImageUsageReportRequest) {
    rejectDryRun(input);
    const region = world.region(call.region);
    // Owner only: an image of another account is not found.
    const image = requireImage(region, input.ImageId);
    if (!input.ResourceTypes?.length) {
      throw new SimApiError("MissingParameter", "The request must contain the parameter ResourceTypes.");
    }
    const unknown = input.ResourceTypes.find((t) => !RESOURCE_TYPES.has(String(t.ResourceType)));
    if (unknown) {
      throw new SimApiError(
        "InvalidParameterValue",
        `ResourceType '${String(unknown.ResourceType)}' is not one of ${[...RESOURCE_TYPES].join(", ")}.`,
      );
    }
    if ((input.AccountIds?.length ?? 0) > 200) {
      throw new SimApiError("InvalidParameterValue", "AccountIds takes at most 200 account ids.");
    }
    const fingerprint = JSON.stringify([input.ImageId, input.ResourceTypes, input.AccountIds ?? null]);
    if (input.ClientToken) {
      const earlier = liveReports(world, region).find((report) => report.clientToken === input.ClientToken);
      if (earlier) {
        const earlierPrint = JSON.stringify([
          earlier.imageId,
          earlier.resourceTypes,
          earlier.accountIds ?? null,
        ]);
        if (earlierPrint !== fingerprint) {
          throw new SimApiError(
            "IdempotentParameterMismatch",
            "The ClientToken was used with other parameters.",
          );
        }
        return { ReportId: earlier.reportId };
      }
    }
    const now = world.clock.nowMs();
    const timing = world.organization?.usageReportTiming ?? DEFAULT_USAGE_REPORT_TIMING;
    const report: SimUsageReport = {
      reportId: world.ids.resourceId("amiur"),
      imageId: image.imageId,
      resourceTypes: structuredClone(input.ResourceTypes),
      ...(input.AccountIds?.length ? { accountIds: [...input.AccountIds] } : {}),
      createdAt: now,
      availableAt: now + timing.readyMs,
      expiresAt: now + REPORT_LIFETIME_MS,
      ...(input.ClientToken ? { clientToken: input.ClientToken } : {}),
      entries: computeEntries(world, call.region, image.imageId, input),
    };
    reports(region).set(report.reportId, report);
    return { ReportId: report.reportId };
  },

  DescribeImageUsageReports(world: SimWorld, call: CallContext, input: DescribeImageUsageReportsRequest) {
    rejectDryRun(input);
    assertMaxResults(input.MaxResults, 1, 1000);
    const rendered = selected(liveReports(world, world.region(call.region)), input)
      .map((report) => renderReport(world, report))
      .filter((report) =>
        matchesFilters(input.Filters, (name) => (name === "state" ? [report.State] : undefined)),
      );
    const { page, nextToken } = paginate(rendered, input.MaxResults, input.NextToken);
    return { ImageUsageReports: page, ...(nextToken ? { NextToken: nextToken } : {}) };
  },

  DescribeImageUsageReportEntries(
    world: SimWorld,
    call: CallContext,
    input: DescribeImageUsageReportEntriesRequest,
  ) {
    rejectDryRun(input);
    assertMaxResults(input.MaxResults, 1, 1000);
    const now = world.clock.nowMs();
    // A pending report has no entries yet.
    const rows = selected(liveReports(world, world.region(call.region)), input)
      .filter((report) => report.availableAt <= now)
      .flatMap((report) =>
        report.entries.map((entry) => ({
          ResourceType: entry.resourceType,
          ReportId: report.reportId,
          UsageCount: entry.usageCount,
          AccountId: entry.accountId,
          ImageId: report.imageId,
          ReportCreationTime: new Date(report.createdAt),
        })),
      )
      .filter((row) =>
        matchesFilters(input.Filters, (name) =>
          name === "account-id" ? [row.AccountId] : name === "resource-type" ? [row.ResourceType] : undefined,
        ),
      );
    const { page, nextToken } = paginate(rows, input.MaxResults, input.NextToken);
    return { ImageUsageReportEntries: page, ...(nextToken ? { NextToken: nextToken } : {}) };
  },

  DeleteImageUsageReport(world: SimWorld, call: CallContext, input: DeleteImageUsageReportRequest) {
    rejectDryRun(input);
    const all = reports(world.region(call.region));
    liveReports(world, world.region(call.region));
    if (!all.delete(String(input.ReportId))) {
      throw new SimApiError(
        "InvalidImageUsageReportId.NotFound",
        `The report '${input.ReportId}' does not exist.`,
      );
    }
    return { Return: true };
  },
};
