import { describe, expect, it } from "vitest";
import { daysAgo, family, scenario } from "./builders";
import { actionsByVersion, decisionOf, plan } from "./plan-helpers";

/**
 * Adoption appends version numbers for images built long before the service: numbers then say nothing
 * about age. v1..v3 are the service's own recent builds; v4 and v5 are adopted images built a year ago.
 */
const adoptedOlderImages = () =>
  scenario([
    { version: 1, ageDays: 30 },
    { version: 2, ageDays: 20 },
    { version: 3, ageDays: 10 },
    { version: 4, ageDays: 400 },
    { version: 5, ageDays: 365 },
  ]);

describe("retention orders versions by build time", () => {
  it("keeps the most recently built versions, not the highest numbers", () => {
    const result = plan(adoptedOlderImages());
    expect(actionsByVersion(result)).toEqual({
      1: "keep",
      2: "keep",
      3: "keep",
      4: "deprecate",
      5: "deprecate",
    });
    expect(decisionOf(result, 4).reasons[0]).toEqual({
      rule: "keep-latest",
      message: "not among the newest 3 available versions (v3, v2, v1)",
    });
  });

  it("keeps the most recently built available version as newest-available, not the highest number", () => {
    // Both withdrawn: keep-latest counts neither, so only newest-available keeps one.
    const inventory = scenario([
      { version: 1, ageDays: 10, withdrawn: true },
      { version: 2, ageDays: 400, withdrawn: true },
    ]);
    const result = plan(inventory);
    expect(decisionOf(result, 1).reasons.map((reason) => reason.rule)).toContain("newest-available");
    expect(decisionOf(result, 2).action).toBe("deprecate");
  });

  it("counts the grace from the build that pushed a version out, in build order", () => {
    // v4 (built 400 days ago) fell out of keep-latest when its third newer build, v2, arrived 20 days ago.
    const waiting = plan({ ...adoptedOlderImages(), family: family({ deprecateAfterDays: 25 }) });
    expect(decisionOf(waiting, 4).action).toBe("wait");
    expect(decisionOf(waiting, 4).reasons[1]?.message).toContain(`deprecate due at ${daysAgo(-5)}`);
  });

  it("deregisters the oldest-built versions first under the deletion cap", () => {
    const disabled = { stage: "disabled" as const, stageDaysAgo: 30, image: { state: "disabled" as const } };
    const inventory = scenario([
      { version: 1, ageDays: 50, ...disabled },
      { version: 2, ageDays: 40 },
      { version: 3, ageDays: 30 },
      { version: 4, ageDays: 20 },
      { version: 5, ageDays: 400, ...disabled },
    ]);
    const result = plan({ ...inventory, family: family({ maxDeletionsPerRun: 1 }) });
    expect(decisionOf(result, 5).action).toBe("deregister");
    expect(decisionOf(result, 1).action).toBe("keep");
    expect(decisionOf(result, 1).reasons.map((reason) => reason.rule)).toContain("deletion-cap");
  });
});
