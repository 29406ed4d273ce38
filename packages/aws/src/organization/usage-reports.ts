import type { ImageUsageEntry, UsageReportPort, UsageReportStatus } from "@ami-lifecycle/core";
import {
  CreateImageUsageReportCommand,
  DeleteImageUsageReportCommand,
  DescribeImageUsageReportsCommand,
  type EC2Client,
  type ImageUsageReport,
  paginateDescribeImageUsageReportEntries,
} from "@aws-sdk/client-ec2";
import { hasAwsErrorCode, withAwsErrors } from "../errors";

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
    const now = this.options.now();
    const existing = (await this.describe(region, { ImageIds: [imageId] }))
      .filter((report) => coversWhatWeAsk(report, this.options.versionDepth))
      .filter((report) => new Date(report.ExpirationTime ?? 0) > now)
      .sort((a, b) => Number(b.CreationTime ?? 0) - Number(a.CreationTime ?? 0))[0];
    if (existing) return toStatus(region, existing);
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
    const created = await this.readReport(region, String(ReportId));
    return (
      created ?? {
        reportId: String(ReportId),
        imageId,
        region,
        state: "pending",
        createdAt: now,
        expiresAt: now,
      }
    );
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
