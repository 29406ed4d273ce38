import { runSweep } from "@ami-lifecycle/core";
import { describe, expect, it } from "vitest";
import { family, now, scenario } from "../retention/builders";
import { configWith, FakeImages, FakeRegistry, sweepDeps } from "./fakes";

/** EC2 whose clock moves on with every call (a long, paced invocation) and that refuses a DeprecateAt in the past. */
class SlowImages extends FakeImages {
  nowMs = now.getTime();

  override async deprecateImage(region: string, imageId: string, at: Date) {
    if (at.getTime() < this.nowMs)
      throw new Error("InvalidParameterValue: DeprecateAt can't be a date in the past");
    await super.deprecateImage(region, imageId, at);
    // A long, paced invocation: the next call reaches EC2 two minutes after this one.
    this.nowMs += 2 * 60_000;
  }
}

describe("a sweep's deprecation time", () => {
  it("is the time the step is applied, not the plan's instant, so steps late in a long invocation are not refused", async () => {
    // Prepare: five versions, keepLatest 1: four deprecations, the later ones minutes after the plan.
    const { versions, images } = scenario(
      [30, 25, 20, 15, 10].map((ageDays, index) => ({ version: index + 1, ageDays })),
    );
    const ec2 = new SlowImages(images);
    const registry = new FakeRegistry(versions);
    const policy = family({ keepLatest: 1, minAgeDays: 1, deprecateAfterDays: 0, disableAfterDays: 7 });
    const { deps } = sweepDeps(configWith([policy], "enforce"), ec2, registry);
    deps.clock = { now: () => new Date(ec2.nowMs) };
    // Act
    const report = await runSweep(deps, { now });
    // Assess
    expect(report.families[0]?.failures).toEqual([]);
    expect(report.families[0]?.applied.map((step) => [step.version, step.action])).toEqual([
      [1, "deprecate"],
      [2, "deprecate"],
      [3, "deprecate"],
      [4, "deprecate"],
    ]);
  });
});
