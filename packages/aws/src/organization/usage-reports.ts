import {
  type ImageUsageEntry,
  mapWithConcurrency,
  type UsageReportPort,
  type UsageReportStatus,
} from "@ami-lifecycle/core";
import {
  CreateImageUsageReportCommand,
  DeleteImageUsageReportCommand,
  DescribeImageUsageReportsCommand,
  type EC2Client,
  type ImageUsageReport,
  paginateDescribeImageUsageReportEntries,
} from "@aws-sdk/client-ec2";
import { hasAwsErrorCode, withAwsErrors } from "../errors";

/** Images whose reports one DescribeImageUsageReports asks for (a modest request, well within any limit). */
const describeBatch = 100;
/** Report creations in flight at once in one region. */
const createsInFlight = 4;
/** AWS deletes a usage report 30 days after creating it (aws-facts §5). */
const reportLifetimeMs = 30 * 24 * 3600_000;

/** The resource types the service asks about: everything a usage report can count that launches. */
const reportedTypes = ["ec2:Instance", "ec2:LaunchTemplate"] as const;

function toStatus(region: string, report: ImageUsageReport): UsageReportStatus {
  const state = report.State === "available" || report.State === "error" ? report.State : "pending";
  return {
    reportId: String(report.ReportId),
    imageId: String(report.ImageId),
    region,
    state,
    createdAt: new Date(report.CreationTime ?? 0),
    expiresAt: new Date(report.ExpirationTime ?? 0),
  };
}

/** True when a report covers every account, both resource types, and at least the version depth asked. */
function coversWhatWeAsk(report: ImageUsageReport, versionDepth: number): boolean {
  if (report.State === "error" || (report.AccountIds?.length ?? 0) > 0) return false;
  return reportedTypes.every((type) => {
    const requested = report.ResourceTypes?.find((entry) => entry.ResourceType === type);
    if (!requested) return false;
    if (type !== "ec2:LaunchTemplate") return true;
    const depth = requested.ResourceTypeOptions?.find((o) => o.OptionName === "version-depth")
      ?.OptionValues?.[0];
    return Number(depth ?? 20) >= versionDepth;
  });
}

/**
 * AMI usage reports in the owner account: one live report per image, reused until AWS expires it.
 * The ClientToken is the image and the instant, so a retried creation never makes a second report, and
 * a new one can be made once the old one is gone (expired, or replaced by the sweep).
 */
export class Ec2UsageReports implements UsageReportPort {
  constructor(
    private readonly ec2: (region: string) => EC2Client,
    private readonly options: { versionDepth: number; now: () => Date },
  ) {}

  /** The newest live report of the image that covers what the service asks, else a new one. */
  async ensureReport(region: string, imageId: string): Promise<UsageReportStatus> {
    const found = (await this.ensureReports(region, [imageId])).get(imageId);
    if (found instanceof Error) throw found;
    if (!found) throw new Error(`no usage report for ${imageId} in ${region}`);
    return found;
  }

  /**
   * The live report of each image of one region: their reports described together (one call per
   * `describeBatch` images, not one per image), a report created for each image without one. A failed
   * creation is that image's answer; a failed description fails them all.
   */
  async ensureReports(
    region: string,
    imageIds: readonly string[],
  ): Promise<Map<string, UsageReportStatus | Error>> {
    const now = this.options.now();
    const ids = [...new Set(imageIds)];
    const found = await this.findReports(region, ids);
    const answers = new Map<string, UsageReportStatus | Error>(found);
    const missing = ids.filter((imageId) => !found.has(imageId));
    await mapWithConcurrency(missing, createsInFlight, async (imageId) => {
      try {
        answers.set(imageId, await this.create(region, imageId, now));
      } catch (error) {
        answers.set(imageId, error instanceof Error ? error : new Error(String(error)));
      }
    });
    return answers;
  }

  /**
   * The live report of each image of one region that has one (newest first; covering what the service
   * asks), described together; never creates one. Images without a live report are absent from the map.
   */
  async findReports(region: string, imageIds: readonly string[]): Promise<Map<string, UsageReportStatus>> {
    const now = this.options.now();
    const ids = [...new Set(imageIds)];
    const described: ImageUsageReport[] = [];
    for (let start = 0; start < ids.length; start += describeBatch) {
      described.push(...(await this.describe(region, { ImageIds: ids.slice(start, start + describeBatch) })));
    }
    const newest = new Map<string, ImageUsageReport>();
    for (const report of described) {
      if (!coversWhatWeAsk(report, this.options.versionDepth)) continue;
      if (new Date(report.ExpirationTime ?? 0) <= now) continue;
      const imageId = String(report.ImageId);
      const current = newest.get(imageId);
      if (!current || Number(report.CreationTime ?? 0) > Number(current.CreationTime ?? 0))
        newest.set(imageId, report);
    }
    return new Map([...newest].map(([imageId, report]) => [imageId, toStatus(region, report)]));
  }

  /**
   * Creates the image's report. Its status is what was asked, not described again: a new report is
   * pending (never evidence in the sweep that made it), and the next sweep describes it anyway.
   */
  private async create(region: string, imageId: string, now: Date): Promise<UsageReportStatus> {
    const { ReportId } = await withAwsErrors("EC2.CreateImageUsageReport", () =>
      this.ec2(region).send(
        new CreateImageUsageReportCommand({
          ImageId: imageId,
          ResourceTypes: [
            { ResourceType: "ec2:Instance" },
            {
              ResourceType: "ec2:LaunchTemplate",
              ResourceTypeOptions: [
                { OptionName: "version-depth", OptionValues: [String(this.options.versionDepth)] },
              ],
            },
          ],
          // The sweep's instant: a retried call makes no second report, and a report the sweep replaced
          // (deleted) earlier that day does not come back under the same token.
          ClientToken: `ami-lifecycle-${imageId}-${now.getTime()}`,
        }),
      ),
    );
    return {
      reportId: String(ReportId),
      imageId,
      region,
      state: "pending",
      createdAt: now,
      expiresAt: new Date(now.getTime() + reportLifetimeMs),
    };
  }

  /** The report now, or undefined once AWS no longer has it. */
  async readReport(region: string, reportId: string): Promise<UsageReportStatus | undefined> {
    const [report] = await this.describe(region, { ReportIds: [reportId] });
    return report ? toStatus(region, report) : undefined;
  }

  /** Every entry of the report, across pages. */
  async entries(region: string, reportId: string): Promise<ImageUsageEntry[]> {
    return withAwsErrors("EC2.DescribeImageUsageReportEntries", async () => {
      const entries: ImageUsageEntry[] = [];
      const pages = paginateDescribeImageUsageReportEntries(
        { client: this.ec2(region), pageSize: 1000 },
        { ReportIds: [reportId] },
      );
      for await (const page of pages) {
        for (const entry of page.ImageUsageReportEntries ?? []) {
          entries.push({
            accountId: String(entry.AccountId),
            resourceType: String(entry.ResourceType),
            usageCount: entry.UsageCount ?? 0,
          });
        }
      }
      return entries;
    });
  }

  /** Deletes the report; one already gone (expired, deleted by an earlier attempt) is fine. */
  async deleteReport(region: string, reportId: string): Promise<void> {
    try {
      await this.ec2(region).send(new DeleteImageUsageReportCommand({ ReportId: reportId }));
    } catch (error) {
      if (hasAwsErrorCode(error, "InvalidImageUsageReportId.NotFound")) return;
      await withAwsErrors("EC2.DeleteImageUsageReport", () => Promise.reject(error));
    }
  }

  private async describe(
    region: string,
    filter: { ImageIds?: string[]; ReportIds?: string[] },
  ): Promise<ImageUsageReport[]> {
    return withAwsErrors("EC2.DescribeImageUsageReports", async () => {
      const reports: ImageUsageReport[] = [];
      let nextToken: string | undefined;
      do {
        const page = await this.ec2(region).send(
          new DescribeImageUsageReportsCommand({ ...filter, ...(nextToken ? { NextToken: nextToken } : {}) }),
        );
        reports.push(...(page.ImageUsageReports ?? []));
        nextToken = page.NextToken;
      } while (nextToken);
      return reports;
    });
  }
}
