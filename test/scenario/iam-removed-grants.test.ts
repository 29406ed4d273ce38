import { describe, expect, inject, it } from "vitest";
import { grantFlows, grantsOf, uncaughtGrants, withoutGrant } from "../support/removed-grant-flows";

/**
 * Proof that IAM evaluation bites: each handler's flow, run once per grant of its role with that one
 * statement removed, is denied one of the statement's actions. Grants no flow catches are listed with
 * their reason in `uncaughtGrants` (docs/permissions.md).
 */
describe.each(grantFlows)("$handler's role ($scenario)", (flow) => {
  const uncaught = uncaughtGrants[flow.handler];
  const caught = grantsOf(flow.handler).filter((grant) => !(grant.sid in uncaught));

  it("allows the whole flow as rendered", async () => {
    const account = await flow.run(inject("dynamoEndpoint"));
    expect(account.iam.denials()).toEqual([]);
  });

  it("lists as uncaught only statements its role has", () => {
    const sids = grantsOf(flow.handler).map((grant) => grant.sid);
    expect(Object.keys(uncaught).filter((sid) => !sids.includes(sid))).toEqual([]);
  });

  it.each(caught)("without $sid the flow is denied one of its actions", async (grant) => {
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
