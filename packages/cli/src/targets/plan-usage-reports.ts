import type { ImageUsageEntry, UsageReportPort, UsageReportStatus } from "@ami-lifecycle/core";

/** The owner's usage reports as `plan` may touch them: read only (Ec2UsageReports' reads). */
export interface UsageReportReads {
  /** The live report of each image that has one (absent: none); never creates one. */
  findReports(region: string, imageIds: readonly string[]): Promise<Map<string, UsageReportStatus>>;
  readReport(region: string, reportId: string): Promise<UsageReportStatus | undefined>;
  entries(region: string, reportId: string): Promise<ImageUsageEntry[]>;
}

/** Why a candidate without a live usage report is kept by the plan (the sweep would create the report). */
export class NoUsageReportYetError extends Error {
  override readonly name = "NoUsageReportYetError";
}

/**
 * The usage reports of a plan, a dry run: the sweep's reports are reused and read, none is created,
 * deleted or replaced. Where the sweep would create a report (a candidate without one) or replace a
 * stale one, the plan answers why it has no evidence instead, so the image is kept (fail safe) with that
 * reason: a report the sweep creates is pending, never evidence in the sweep that made it, so the sweep
 * keeps the image too.
 */
export class PlanUsageReports implements UsageReportPort {
  /** reports a sweep would replace (`region|reportId`): the plan deletes none */
  private readonly replaced = new Set<string>();

  constructor(private readonly reports: UsageReportReads) {}

  /** The image's live report, else a NoUsageReportYetError: the plan creates none. */
  async ensureReport(region: string, imageId: string): Promise<UsageReportStatus> {
    const found = (await this.ensureReports(region, [imageId])).get(imageId);
    if (found instanceof Error) throw found;
    if (!found) throw new NoUsageReportYetError(`no usage report for ${imageId} in ${region}`);
    return found;
  }

  /** Each image's live report; an image without one (or whose report a sweep would replace) gets the reason. */
  async ensureReports(
    region: string,
    imageIds: readonly string[],
  ): Promise<Map<string, UsageReportStatus | Error>> {
    const found = await this.reports.findReports(region, imageIds);
    const answers = new Map<string, UsageReportStatus | Error>();
    for (const imageId of new Set(imageIds)) {
      const report = found.get(imageId);
      if (report && this.replaced.has(`${region}|${report.reportId}`)) {
        answers.set(
          imageId,
          new NoUsageReportYetError(
            `a sweep would replace its usage report with a new one (every account it counts was probed and uses ${imageId} no more); plan replaces none`,
          ),
        );
      } else if (report) {
        answers.set(imageId, report);
      } else {
        answers.set(
          imageId,
          new NoUsageReportYetError(
            `${imageId} has no usage report in ${region} yet; the next sweep creates it (plan creates none)`,
          ),
        );
      }
    }
    return answers;
  }

  /** The report as EC2 describes it now. */
  readReport(region: string, reportId: string): Promise<UsageReportStatus | undefined> {
    return this.reports.readReport(region, reportId);
  }

  /** Every entry of an available report. */
  entries(region: string, reportId: string): Promise<ImageUsageEntry[]> {
    return this.reports.entries(region, reportId);
  }

  /** Deletes nothing: remembers that a sweep would replace the image's report (asked for again next). */
  async deleteReport(region: string, reportId: string): Promise<void> {
    this.replaced.add(`${region}|${reportId}`);
  }
}
