import { runSweep } from "@ami-lifecycle/core";
import { describe, expect, it } from "vitest";
import { family, now, scenario, snapshotIdOf } from "../retention/builders";
import { configWith, FakeImages, FakeRegistry, sweepDeps } from "./fakes";

describe("sweep reconciliation of recorded snapshot ids", () => {
  it("records the snapshot ids EC2 lists for a settled image the registry holds without them", async () => {
    // Prepare: an older record, written before snapshot ids were recorded; EC2 lists the image available.
    const { versions, images } = scenario([{ version: 1, ageDays: 1 }]);
    const record = versions[0]?.regions["eu-west-1"];
    if (record) record.snapshotIds = [];
    const registry = new FakeRegistry(versions);
    const { deps } = sweepDeps(configWith([family()], "dry-run"), new FakeImages(images), registry);

    // Act
    await runSweep(deps, { now });

    // Assess
    expect(registry.regionWrites.map((write) => write.record.snapshotIds)).toEqual([
      [snapshotIdOf(1, "eu-west-1")],
    ]);
  });
});
