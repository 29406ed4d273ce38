import { runSweep } from "@ami-lifecycle/core";
import { describe, expect, it } from "vitest";
import { family, now, scenario } from "../retention/builders";
import { configWith, FakeImages, FakeRegistry, sweepDeps } from "./fakes";

/** 5 versions 30..5 days old in one region: keepLatest 3 keeps v3–v5; v1 and v2 are candidates. */
function fiveVersions() {
  return scenario([30, 25, 20, 15, 10].map((ageDays, index) => ({ version: index + 1, ageDays })));
}

describe("a sweep takes a version through every stage due in the same run", () => {
  it("with grace periods of zero, deprecates, disables and deregisters in one sweep, not three", async () => {
    // Prepare
    const { versions, images } = fiveVersions();
    const ec2 = new FakeImages(images);
    const registry = new FakeRegistry(versions);
    const zeroGrace = family({
      keepLatest: 3,
      minAgeDays: 1,
      deprecateAfterDays: 0,
      disableAfterDays: 0,
      deregisterAfterDays: 0,
      recoverableForDays: 0,
    });
    const { deps } = sweepDeps(configWith([zeroGrace], "enforce"), ec2, registry);
    // Act
    const report = await runSweep(deps, { now });
    // Assess
    const steps = report.families[0]?.applied.map((step) => [step.version, step.action]);
    expect(steps).toEqual([
      [1, "deprecate"],
      [2, "deprecate"],
      [1, "disable"],
      [2, "disable"],
      [1, "deregister"],
      [2, "deregister"],
    ]);
    expect(registry.stageWrites.map((write) => [write.version, write.stage])).toEqual([
      [1, "deprecated"],
      [2, "deprecated"],
      [1, "disabled"],
      [2, "disabled"],
      [1, "deregistered"],
      [2, "deregistered"],
    ]);
    // References were looked up once, for the candidates, not again for each stage.
    expect(ec2.methods().filter((method) => method === "findReferences")).toHaveLength(1);
  });

  it("stops at a stage whose grace is still running", async () => {
    // Prepare
    const { versions, images } = fiveVersions();
    const ec2 = new FakeImages(images);
    const registry = new FakeRegistry(versions);
    const weekOfGrace = family({ keepLatest: 3, minAgeDays: 1, deprecateAfterDays: 0, disableAfterDays: 7 });
    const { deps } = sweepDeps(configWith([weekOfGrace], "enforce"), ec2, registry);
    // Act
    const report = await runSweep(deps, { now });
    // Assess
    expect(report.families[0]?.applied.map((step) => step.action)).toEqual(["deprecate", "deprecate"]);
  });

  it("deregisters no more than the family's cap in all its passes together", async () => {
    // Prepare: four disabled versions due for deregistration (a sweep continued at that stage, say).
    const { versions, images } = scenario(
      [30, 25, 20, 15, 10].map((ageDays, index) => ({
        version: index + 1,
        ageDays,
        ...(index < 4
          ? { stage: "disabled" as const, stageDaysAgo: 1, image: { state: "disabled" as const } }
          : {}),
      })),
    );
    const ec2 = new FakeImages(images);
    const registry = new FakeRegistry(versions);
    const capOfTwo = family({
      keepLatest: 1,
      minAgeDays: 1,
      deprecateAfterDays: 0,
      disableAfterDays: 0,
      deregisterAfterDays: 0,
      recoverableForDays: 0,
      maxDeletionsPerRun: 2,
    });
    const { deps } = sweepDeps(configWith([capOfTwo], "enforce"), ec2, registry);
    // Act
    const report = await runSweep(deps, { now });
    // Assess
    const deregistered = report.families[0]?.applied.filter((step) => step.action === "deregister");
    expect(deregistered?.map((step) => step.version)).toEqual([1, 2]);
  });
});
