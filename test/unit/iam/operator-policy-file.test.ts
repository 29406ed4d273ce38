import { readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { loadConfigFile, operatorPolicy, operatorRoleActions, parseConfig } from "@ami-lifecycle/core";
import { describe, expect, it } from "vitest";
import {
  operatorPolicyConfigFileName,
  operatorPolicyFileName,
  renderOperatorPolicyFile,
} from "../../../packages/cli/src/policy/operator-policy-file";
import { reviewPermissionContext } from "../../../packages/cli/src/policy/review-context";

const repositoryRoot = fileURLToPath(new URL("../../../", import.meta.url));
const shippedConfig = () => loadConfigFile(join(repositoryRoot, operatorPolicyConfigFileName));

describe("committed operator policy (docs/operator-policy.json)", () => {
  it("is up to date with operatorPolicy() for the shipped config (regenerate: npx tsx scripts/generate-operator-policy.ts)", () => {
    // Prepare
    const committed = readFileSync(join(repositoryRoot, operatorPolicyFileName), "utf8");

    // Act
    const generated = renderOperatorPolicyFile(shippedConfig());

    // Assess
    expect(committed).toBe(generated);
  });

  it("is the operator's declared actions and nothing else, with deploy-time names as placeholders", () => {
    // Prepare
    const config = shippedConfig();

    // Act
    const document = JSON.parse(readFileSync(join(repositoryRoot, operatorPolicyFileName), "utf8"));

    // Assess
    expect(document).toEqual(operatorPolicy(reviewPermissionContext(config)).document);
    const sids = (document.Statement as { Sid: string }[]).map((statement) => statement.Sid);
    const deployed = operatorRoleActions(reviewPermissionContext(config));
    for (const action of deployed) expect(sids).toContain(action.charAt(0).toUpperCase() + action.slice(1));
    // The shipped config has no `organization` slice: no cross-account grant.
    expect(sids).not.toContain("AssumeConsumerRoles");
    expect(JSON.stringify(document)).toContain(
      "arn:aws:dynamodb:us-east-1:<account-id>:table/<RegistryTable>",
    );
  });

  it("grants plan the consumers' evidence reads with the `organization` slice, and no usage report write or consumer bus", () => {
    // Prepare
    const shipped = shippedConfig();
    const config = parseConfig({
      ...JSON.parse(readFileSync(join(repositoryRoot, operatorPolicyConfigFileName), "utf8")),
      organization: {
        consumerRoleName: "ami-lifecycle-consumer",
        externalId: "a-long-random-string",
        managementRoleArn: "arn:aws:iam::111122223333:role/ami-lifecycle-organization-reader",
        consumerEventBuses: { "444455556666": "arn:aws:events:us-east-1:444455556666:event-bus/notices" },
      },
    });

    // Act
    const statements = operatorPolicy(reviewPermissionContext(config)).statements;

    // Assess
    const bySid = Object.fromEntries(statements.map((statement) => [statement.sid, statement]));
    expect(bySid.AssumeConsumerRoles).toMatchObject({
      actions: ["sts:AssumeRole"],
      resources: ["arn:aws:iam::*:role/ami-lifecycle-consumer"],
    });
    expect(bySid.AssumeOrganizationReader).toMatchObject({
      actions: ["sts:AssumeRole"],
      resources: ["arn:aws:iam::111122223333:role/ami-lifecycle-organization-reader"],
    });
    expect(bySid.ReadUsageReports?.actions).toEqual([
      "ec2:DescribeImageUsageReports",
      "ec2:DescribeImageUsageReportEntries",
    ]);
    const granted = statements.flatMap((statement) => statement.actions);
    expect(granted).not.toContain("ec2:CreateImageUsageReport");
    expect(granted).not.toContain("ec2:DeleteImageUsageReport");
    // `sweep --enforce` puts sweep requests on the stage's own bus; no statement reaches a consumer's.
    expect(JSON.stringify(statements)).not.toContain("444455556666");
    expect(statements.length).toBe(operatorPolicy(reviewPermissionContext(shipped)).statements.length + 3);
  });
});
