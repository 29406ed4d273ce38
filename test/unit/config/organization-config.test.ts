import { describe, expect, it } from "vitest";
import { parseConfig } from "../../../packages/core/src/index";
import { baseDocument as base, issuesOf } from "../../support/config-documents";

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

  it("trusts operator roles only of the service's own accounts, naming each other one", () => {
    // Prepare
    const own = `arn:aws:iam::${base.accounts[0]}:role/ami-lifecycle-operator`;
    const foreign = "arn:aws:iam::999988887777:role/ami-lifecycle-operator";
    const organization = { consumerRoleName: "ami-lifecycle-consumer-probe" };

    // Act
    const accepted = parseConfig({ ...base, organization: { ...organization, operatorRoleArns: [own] } });
    const issues = issuesOf({ ...base, organization: { ...organization, operatorRoleArns: [own, foreign] } });

    // Assess
    expect(accepted.organization?.operatorRoleArns).toEqual([own]);
    expect(issues).toEqual([
      {
        path: "organization.operatorRoleArns[1]",
        message: `must be a role of one of accounts (${base.accounts.join(", ")}), not of 999988887777`,
      },
    ]);
  });
});
