import type { ImageRecord } from "@ami-lifecycle/core";
import { describe, expect, it } from "vitest";
import { daysAgo, now, scenario } from "./builders";
import { decisionOf, plan, rulesOf } from "./plan-helpers";

// EC2 keeps an image protected from deregistration for 24 h after a protection with cooldown is lifted
// (aws-facts §5), and refuses nothing else: the plan holds only that image's deregistration.

const regions = ["eu-west-1", "us-east-1"];
const keptNewer = [7, 8, 9].map((version) => ({ version, ageDays: 30 - version, regions }));
/** When the cooldown of the examples ends: 12 h after the planning instant. */
const cooldownEnd = new Date(now.getTime() + 12 * 3_600_000).toISOString();
/** An image whose pointer moved on: protection lifted, its cooldown still running. */
const coolingDown: Partial<ImageRecord> = {
  deregistrationProtection: true,
  deregistrationProtectionSetting: "cooling-down",
  deregistrationProtectionUntil: cooldownEnd,
};

/** v1 at `stage` (entered 30 days ago, its grace over) beside three newer kept versions. */
function candidateAt(
  stage: "active" | "deprecated" | "disabled",
  image: Partial<ImageRecord> | ((region: string) => Partial<ImageRecord>),
) {
  return scenario([{ version: 1, ageDays: 90, regions, stage, stageDaysAgo: 30, image }, ...keptNewer]);
}

describe("protection cooldown", () => {
  it("deprecates a candidate whose image is in its cooldown: only deregistration is refused", () => {
    // Prepare
    const inventory = candidateAt("active", coolingDown);

    // Act
    const result = plan(inventory);

    // Assess
    for (const region of regions) expect(decisionOf(result, 1, region).action).toBe("deprecate");
    expect(rulesOf(decisionOf(result, 1))).not.toContain("protected");
    expect(result.stageAdvances).toEqual([{ version: 1, from: "active", to: "deprecated" }]);
  });

  it("disables a deprecated candidate whose image is in its cooldown", () => {
    // Prepare
    const inventory = candidateAt("deprecated", { ...coolingDown, deprecationTime: daysAgo(30) });

    // Act
    const result = plan(inventory);

    // Assess
    for (const region of regions) expect(decisionOf(result, 1, region).action).toBe("disable");
  });

  it("holds the deregistration of the cooling image until the cooldown ends, saying until when", () => {
    // Prepare
    const inventory = candidateAt("disabled", (region) => ({
      state: "disabled",
      ...(region === "eu-west-1" ? coolingDown : {}),
    }));

    // Act
    const result = plan(inventory);

    // Assess
    const held = decisionOf(result, 1, "eu-west-1");
    expect(held.action).toBe("wait");
    expect(held.reasons.map((reason) => reason.message).join("; ")).toContain(
      `cooldown until ${cooldownEnd}`,
    );
    expect(held.next).toEqual({ action: "deregister", at: cooldownEnd });
    expect(held.snapshotIds).toEqual([]);
    expect(decisionOf(result, 1, "us-east-1").action).toBe("deregister");
    // The version is not gone until the held region is: its stage stays.
    expect(result.stageAdvances).toEqual([]);
  });

  it("deregisters the image once the cooldown is over", () => {
    // Prepare
    const inventory = candidateAt("disabled", {
      state: "disabled",
      ...coolingDown,
      deregistrationProtectionUntil: daysAgo(0.01),
    });

    // Act
    const result = plan(inventory);

    // Assess
    for (const region of regions) expect(decisionOf(result, 1, region).action).toBe("deregister");
    expect(result.stageAdvances).toEqual([{ version: 1, from: "disabled", to: "deregistered" }]);
  });

  it("still keeps the whole version while a protection is set (not only cooling down)", () => {
    // Prepare
    const inventory = candidateAt("active", {
      deregistrationProtection: true,
      deregistrationProtectionSetting: "enabled-with-cooldown",
    });

    // Act
    const result = plan(inventory);

    // Assess
    for (const region of regions) expect(decisionOf(result, 1, region).action).toBe("keep");
    expect(rulesOf(decisionOf(result, 1))).toContain("protected");
  });
});
