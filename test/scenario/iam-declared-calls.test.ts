import {
  type CallPermission,
  type CapabilityName,
  capabilityPermissions,
  type HandlerName,
  handlerCapabilities,
} from "@ami-lifecycle/core";
import type { SimulatedAccount } from "@ami-lifecycle/simulated-account";
import { handlerPrincipalArn } from "@ami-lifecycle/simulated-account";
import { beforeAll, describe, expect, inject, it } from "vitest";
import { grantFlows } from "../support/removed-grant-flows";

const handlers = Object.keys(handlerCapabilities) as HandlerName[];

/** Flows whose own handler calls nothing yet, with why (the removed-grant run lists the same gap). */
const silentFlows: Partial<Record<HandlerName, string>> = {};

/** The capabilities (of those `handler` runs) whose declarations allow the IAM action `action`. */
function declaringCapabilities(handler: HandlerName, action: string): CapabilityName[] {
  return handlerCapabilities[handler].filter((capability) =>
    (Object.values(capabilityPermissions[capability]) as CallPermission[]).some((declaration) =>
      declaration.statements.some((statement) => statement.actions.includes(action)),
    ),
  );
}

/** Each request a handler's principal made that no capability its trigger runs declares. */
function undeclaredRequests(account: SimulatedAccount): string[] {
  return handlers.flatMap((handler) =>
    account.iam
      .requestsOf(handlerPrincipalArn(account.accountId, handler))
      .filter((request) => declaringCapabilities(handler, request.action).length === 0)
      .map((request) => `${handler}: ${request.action} on ${request.resource}`),
  );
}

/**
 * Proof that every call a handler can make is declared beside a capability its trigger runs: each
 * scenario flow runs as deployed, and every IAM request the simulated account received from every
 * handler's principal (allowed or denied, even one the flow's code caught) must map to a declaration.
 */
describe.each(grantFlows)("calls of the $handler flow ($scenario)", (flow) => {
  let account: SimulatedAccount;
  beforeAll(async () => {
    account = await flow.run(inject("dynamoEndpoint"));
  }, 300_000);

  it("the flow's handler made calls (unless its flow is a known silent one)", () => {
    const calls = account.iam.requestsOf(handlerPrincipalArn(account.accountId, flow.handler));
    expect(calls.length > 0).toBe(!(flow.handler in silentFlows));
  });

  it("every request of every handler maps to a declaration of a capability it runs", () => {
    expect(undeclaredRequests(account)).toEqual([]);
  });
});

describe("capability declarations", () => {
  it("each declaration name belongs to one capability (a rendered Sid has one owner)", () => {
    const names = Object.values(capabilityPermissions).flatMap((declarations) => Object.keys(declarations));
    expect(names.filter((name, index) => names.indexOf(name) !== index)).toEqual([]);
  });

  it("each declaration names the port methods or adapter calls that need it", () => {
    const withoutCalls = Object.entries(capabilityPermissions).flatMap(([capability, declarations]) =>
      (Object.entries(declarations) as [string, CallPermission][])
        .filter(([, declaration]) => declaration.calls.length === 0)
        .map(([name]) => `${capability}.${name}`),
    );
    expect(withoutCalls).toEqual([]);
  });
});
