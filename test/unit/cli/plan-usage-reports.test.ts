import type { ImageUsageEntry, UsageReportStatus } from "@ami-lifecycle/core";
import { describe, expect, it } from "vitest";
import {
  NoUsageReportYetError,
  PlanUsageReports,
  type UsageReportReads,
} from "../../../packages/cli/src/targets/plan-usage-reports";

const region = "us-east-1";
const createdAt = new Date("2026-11-20T03:00:00.000Z");

function report(imageId: string, reportId: string): UsageReportStatus {
  return {
    reportId,
    imageId,
    region,
    state: "available",
    createdAt,
    expiresAt: new Date(createdAt.getTime() + 30 * 24 * 3600_000),
  };
}

/** The owner's reports as EC2 holds them; records every read, so a test sees nothing else is asked. */
function reads(reports: UsageReportStatus[]): UsageReportReads & { calls: string[] } {
  const calls: string[] = [];
  return {
    calls,
    async findReports(_region, imageIds) {
      calls.push(`find ${imageIds.join(",")}`);
      return new Map(reports.filter((r) => imageIds.includes(r.imageId)).map((r) => [r.imageId, r]));
    },
    async readReport(_region, reportId) {
      calls.push(`read ${reportId}`);
      return reports.find((r) => r.reportId === reportId);
    },
    async entries(_region, reportId): Promise<ImageUsageEntry[]> {
      calls.push(`entries ${reportId}`);
      return [{ accountId: "222200000002", resourceType: "ec2:Instance", usageCount: 1 }];
    },
  };
}

describe("PlanUsageReports (plan's usage reports: read only)", () => {
  it("reuses a live report and answers why for an image without one, creating none", async () => {
    // Prepare
    const owner = reads([report("ami-1", "amiur-1")]);
    const port = new PlanUsageReports(owner);

    // Act
    const answers = await port.ensureReports(region, ["ami-1", "ami-2"]);

    // Assess
    expect(answers.get("ami-1")).toEqual(report("ami-1", "amiur-1"));
    const missing = answers.get("ami-2");
    expect(missing).toBeInstanceOf(NoUsageReportYetError);
    expect((missing as Error).message).toBe(
      "ami-2 has no usage report in us-east-1 yet; the next sweep creates it (plan creates none)",
    );
    await expect(port.ensureReport(region, "ami-2")).rejects.toBeInstanceOf(NoUsageReportYetError);
    expect(owner.calls).toEqual(["find ami-1,ami-2", "find ami-2"]);
  });

  it("deletes nothing where a sweep would replace a stale report, and says so when asked for it again", async () => {
    // Prepare
    const owner = reads([report("ami-1", "amiur-1")]);
    const port = new PlanUsageReports(owner);

    // Act
    await port.deleteReport(region, "amiur-1");
    const again = await port.ensureReport(region, "ami-1").catch((error) => error);

    // Assess
    expect(again).toBeInstanceOf(NoUsageReportYetError);
    expect(again.message).toContain("a sweep would replace its usage report with a new one");
    expect(again.message).toContain("plan replaces none");
    expect(owner.calls).toEqual(["find ami-1"]);
  });

  it("reads a report's entries through the owner's reads", async () => {
    // Prepare
    const owner = reads([report("ami-1", "amiur-1")]);

    // Act
    const entries = await new PlanUsageReports(owner).entries(region, "amiur-1");

    // Assess
    expect(entries).toEqual([{ accountId: "222200000002", resourceType: "ec2:Instance", usageCount: 1 }]);
    expect(owner.calls).toEqual(["entries amiur-1"]);
  });
});
