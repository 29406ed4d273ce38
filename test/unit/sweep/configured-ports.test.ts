import { MissingPortError, parseConfig, runSweep } from "@ami-lifecycle/core";
import { describe, expect, it } from "vitest";
import { family, now, scenario } from "../retention/builders";
import { configWith, FakeImages, FakeRegistry, sweepDeps } from "./fakes";

/** 5 versions 30..10 days old; with zero grace periods v1 and v2 are due for every stage in one sweep. */
function fiveVersions() {
  return scenario([30, 25, 20, 15, 10].map((ageDays, index) => ({ version: index + 1, ageDays })));
}
const zeroGrace = {
  keepLatest: 3,
  minAgeDays: 1,
  deprecateAfterDays: 0,
  disableAfterDays: 0,
  deregisterAfterDays: 0,
};
const mutatingEc2 = ["deprecateImage", "disableImage", "deregisterImage", "deleteSnapshot", "tagImage"];

describe("a sweep whose config turns a feature on refuses without the feature's port", () => {
  it("refuses a family recoverable for 7 days without the Recycle Bin port, and deregisters nothing", async () => {
    // Prepare: the config says deregistered versions stay restorable; the wiring passes no bin
    const { versions, images } = fiveVersions();
    const ec2 = new FakeImages(images);
    const registry = new FakeRegistry(versions);
    const recoverable = family({ ...zeroGrace, recoverableForDays: 7 });
    const { deps } = sweepDeps(configWith([recoverable], "enforce"), ec2, registry);

    // Act
    const sweep = runSweep(deps, { now });

    // Assess: a structured error naming the feature and the config path, and no change anywhere
    await expect(sweep).rejects.toBeInstanceOf(MissingPortError);
    await expect(sweep).rejects.toMatchObject({
      feature: "recycleBin",
      issues: [{ path: "families[0].retention.recoverableForDays" }],
    });
    expect(ec2.methods().filter((method) => mutatingEc2.includes(method))).toEqual([]);
    expect(registry.stageWrites).toEqual([]);
  });

  it("deregisters for good when the config says deregistration is final (recoverableForDays 0), no bin needed", async () => {
    // Prepare
    const { versions, images } = fiveVersions();
    const ec2 = new FakeImages(images);
    const registry = new FakeRegistry(versions);
    const final = family({ ...zeroGrace, recoverableForDays: 0 });
    const { deps } = sweepDeps(configWith([final], "enforce"), ec2, registry);

    // Act
    const report = await runSweep(deps, { now });

    // Assess
    const deregistered = report.families[0]?.applied.filter((step) => step.action === "deregister");
    expect(deregistered?.map((step) => step.version)).toEqual([1, 2]);
  });

  it("refuses the `organization` slice without the cross-account ports", async () => {
    // Prepare: the config asks for evidence from consumer accounts; the wiring passes none
    const { versions, images } = fiveVersions();
    const ec2 = new FakeImages(images);
    const registry = new FakeRegistry(versions);
    const base = configWith([family({ ...zeroGrace, recoverableForDays: 0 })], "enforce");
    const config = parseConfig({
      ...base,
      families: base.families.map((entry) => ({ ...entry, copyTo: [] })),
      organization: { consumerRoleName: "ami-lifecycle-consumer-probe" },
    });
    const { deps } = sweepDeps(config, ec2, registry);

    // Act
    const sweep = runSweep(deps, { now });

    // Assess
    await expect(sweep).rejects.toMatchObject({
      feature: "organization",
      issues: [{ path: "organization" }],
    });
    expect(ec2.methods().filter((method) => mutatingEc2.includes(method))).toEqual([]);
  });
});
