import { describe, expect, inject, it } from "vitest";
import { grantFlows, grantsOf, withoutGrant } from "../support/removed-grant-flows";

describe.each(grantFlows)("$handler's role ($scenario)", (flow) => {
  it("allows the whole flow as rendered", async () => {
    const account = await flow.run(inject("dynamoEndpoint"));
    expect(account.iam.denials()).toEqual([]);
  });

  it.each(grantsOf(flow.handler))("without $sid the flow is denied one of its actions", async (grant) => {
    // Act
    const account = await flow.run(inject("dynamoEndpoint"), withoutGrant(flow.handler, grant.sid));

    // Assess
    const denied = account.iam
      .takeDenials()
      .filter((denial) => denial.principalArn.endsWith(`/${flow.handler}`))
      .map((denial) => denial.action);
    expect(denied.filter((action) => grant.actions.includes(action)).length).toBeGreaterThan(0);
  });
});
