import { describe, expect, it } from "vitest";
import { ConfigError, parseConfig } from "../../../packages/core/src/index";

const base = {
  accounts: ["111122223333"],
  homeRegion: "us-east-1",
  regions: ["us-east-1"],
  families: [{ name: "base", team: "platform", match: { namePattern: "base-*" } }],
};

function issuesOf(document: unknown): { path: string; message: string }[] {
  try {
    parseConfig(document);
  } catch (error) {
    if (error instanceof ConfigError) return [...error.issues];
    throw error;
  }
  throw new Error("expected a ConfigError");
}

describe("organization configuration (issue #16)", () => {
  it("is off when absent", () => {
    // Act
    const config = parseConfig(base);
    // Assess
    expect(config.organization).toBeUndefined();
  });

  it("defaults the usage report lag to 3 days and the launch template version depth to 10000", () => {
    // Act
    const config = parseConfig({
      ...base,
      organization: { consumerRoleName: "ami-lifecycle-consumer-probe" },
    });
    // Assess
    expect(config.organization).toEqual({
      consumerRoleName: "ami-lifecycle-consumer-probe",
      usageReportLagDays: 3,
      versionDepth: 10000,
    });
  });

  it("names each bad field: the role name, the management role ARN, the lag and the depth", () => {
    // Act
    const issues = issuesOf({
      ...base,
      organization: {
        consumerRoleName: "no spaces",
        managementRoleArn: "arn:aws:iam::123:role/x",
        usageReportLagDays: 0,
        versionDepth: 10001,
      },
    });
    // Assess
    expect(issues.map((issue) => issue.path)).toEqual([
      "organization.consumerRoleName",
      "organization.managementRoleArn",
      "organization.usageReportLagDays",
      "organization.versionDepth",
    ]);
  });
});
