import { describe, expect, it } from "vitest";
import { daysAgo, family, now, scenario } from "./builders";
import { actionsByVersion, decisionOf, plan } from "./plan-helpers";

/** Five old versions; with keepLatest 3, v1 is a candidate unless its hold keeps it. */
function withRestoredV1(heldUntil: string) {
  const world = scenario([1, 2, 3, 4, 5].map((version) => ({ version, ageDays: 100 - version })));
  const v1 = world.versions[0];
  if (v1) Object.assign(v1, { restoredAt: daysAgo(2), heldUntil });
  return world;
}

describe("restored-hold", () => {
  it("keeps a restored version until its hold ends, saying when it was restored and until when", () => {
    // Prepare
    const heldUntil = new Date(now.getTime() + 86_400_000).toISOString();

    // Act
    const result = plan({ ...withRestoredV1(heldUntil), family: family({ keepLatest: 3 }) });

    // Assess
    expect(decisionOf(result, 1).action).toBe("keep");
    expect(decisionOf(result, 1).reasons).toContainEqual({
      rule: "restored-hold",
      message: `restored on ${daysAgo(2).slice(0, 10)}, held until ${heldUntil}`,
    });
  });

  it("lets retirement resume once the hold has ended", () => {
    // Act
    const result = plan({ ...withRestoredV1(daysAgo(1)), family: family({ keepLatest: 3 }) });

    // Assess
    expect(actionsByVersion(result)[1]).toBe("deprecate");
  });
});
