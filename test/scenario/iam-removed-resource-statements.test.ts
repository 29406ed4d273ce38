import { describe, expect, inject, it } from "vitest";
import { grantFlows } from "../support/removed-grant-flows";
import {
  resourceStatementFlows,
  resourceStatements,
  uncaughtResourceStatements,
  withoutResourceStatement,
} from "../support/removed-resource-statements";

/**
 * Proof that the key policies decide: each statement of the key policies the stacks deploy, removed
 * in turn, denies a flow one of its actions (KMS asks the key policy first; it must allow, directly
 * or by delegating to IAM). Statements no flow catches are listed with their reason.
 */
describe("the deployed key policies", () => {
  const statements = resourceStatements();
  const named = (statement: { policy: string; sid: string }) => `${statement.policy} ${statement.sid}`;
  const caught = statements.filter((statement) => !(named(statement) in uncaughtResourceStatements));

  it("name a flow or a reason for every statement, and only for statements they have", () => {
    const all = statements.map(named);
    expect(caught.map(named).filter((name) => !(name in resourceStatementFlows))).toEqual([]);
    expect(Object.keys(uncaughtResourceStatements).filter((name) => !all.includes(name))).toEqual([]);
    expect(Object.keys(resourceStatementFlows).filter((name) => !all.includes(name))).toEqual([]);
  });

  it.each(caught)("without $policy's $sid a flow is denied one of its actions", async (statement) => {
    // Prepare
    const flow = grantFlows.find(
      (candidate) => candidate.handler === resourceStatementFlows[named(statement)],
    );
    if (!flow) throw new Error(`no flow for ${named(statement)}`);

    // Act
    const account = await flow.run(
      inject("dynamoEndpoint"),
      undefined,
      withoutResourceStatement(statement.policy, statement.sid),
    );

    // Assess
    const denied = account.iam
      .takeDenials()
      .filter((denial) => denial.principalArn.endsWith(`/${flow.handler}`))
      .map((denial) => denial.action);
    expect(denied.filter((action) => statement.actions.includes(action)).length).toBeGreaterThan(0);
  });
});
