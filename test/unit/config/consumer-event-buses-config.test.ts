import { describe, expect, it } from "vitest";
import { ConfigError, parseConfig } from "../../../packages/core/src/index";

const base = {
  accounts: ["111122223333"],
  homeRegion: "us-east-1",
  regions: ["us-east-1"],
  families: [{ name: "base", team: "platform", match: { namePattern: "base-*" } }],
};
const consumer = "222200000002";
const busOf = (account: string) => `arn:aws:events:us-east-1:${account}:event-bus/ami-notices`;

function issuesOf(consumerEventBuses: unknown): { path: string; message: string }[] {
  try {
    parseConfig({ ...base, organization: { consumerRoleName: "probe", consumerEventBuses } });
  } catch (error) {
    if (error instanceof ConfigError) return [...error.issues];
    throw error;
  }
  throw new Error("expected a ConfigError");
}

describe("organization.consumerEventBuses (issue #16: an event on a bus the consumer names)", () => {
  it("keeps each consumer account's bus ARN", () => {
    // Act
    const config = parseConfig({
      ...base,
      organization: { consumerRoleName: "probe", consumerEventBuses: { [consumer]: busOf(consumer) } },
    });
    // Assess
    expect(config.organization?.consumerEventBuses).toEqual({ [consumer]: busOf(consumer) });
  });

  it("refuses a bus of another account than its key, naming the key", () => {
    // Act
    const issues = issuesOf({ [consumer]: busOf("222200000009") });
    // Assess
    expect(issues).toEqual([
      {
        path: `organization.consumerEventBuses.${consumer}`,
        message: "must be a bus of account 222200000002, not of 222200000009",
      },
    ]);
  });

  it("refuses a key that is not an account id and a value that is not a bus ARN", () => {
    // Act
    const issues = issuesOf({
      "not-an-account": busOf(consumer),
      [consumer]: `arn:aws:sns:us-east-1:${consumer}:topic`,
    });
    // Assess
    expect(issues.map((issue) => issue.path)).toEqual([
      "organization.consumerEventBuses.not-an-account",
      `organization.consumerEventBuses.${consumer}`,
    ]);
    expect(issues[1]?.message).toMatch(/must be an EventBridge event bus ARN/);
  });
});
