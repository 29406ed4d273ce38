import { runSweep, SweepIncompleteError, throwIfIncomplete } from "@ami-lifecycle/core";
import { describe, expect, it } from "vitest";
import { family, imageIdOf, now, scenario } from "../retention/builders";
import { configWith, FakeImages, FakeRegistry, sweepDeps } from "./fakes";

/** 6 versions 30..5 days old in one region: keepLatest 3 keeps v4–v6; v1–v3 are due for deprecation. */
function sixVersions() {
  return scenario(
    [30, 25, 20, 15, 10, 5].map((ageDays, index) => ({
      version: index + 1,
      ageDays,
      regions: ["eu-west-1"],
    })),
  );
}
const web = family({ keepLatest: 3, minAgeDays: 1, deprecateAfterDays: 0 });

describe("runSweep", () => {
  it("in dry-run makes no mutating EC2 call and publishes one summary to the family's team", async () => {
    // Prepare
    const { versions, images } = sixVersions();
    const ec2 = new FakeImages(images);
    const { deps, published } = sweepDeps(configWith([web], "dry-run"), ec2, new FakeRegistry(versions));

    // Act
    const report = await runSweep(deps, { now });

    // Assess
    expect(new Set(ec2.methods())).toEqual(
      new Set(["listOwnedImages", "listManagedSnapshots", "findReferences"]),
    );
    expect(published).toHaveLength(1);
    expect(published[0]).toMatchObject({ eventType: "retention-summary", team: "platform", family: "web" });
    expect(report.families[0]?.plan?.summary.counts.deprecate).toBe(3);
  });

  it("looks up references only for the images of versions with a retirement step, once per region", async () => {
    // Prepare
    const { versions, images } = sixVersions();
    const ec2 = new FakeImages(images);
    const { deps } = sweepDeps(configWith([web], "dry-run"), ec2, new FakeRegistry(versions));

    // Act
    const report = await runSweep(deps, { now });

    // Assess
    const lookups = ec2.calls.filter((call) => call.method === "findReferences").map((call) => call.args);
    expect(lookups).toEqual([["eu-west-1", [1, 2, 3].map((version) => imageIdOf(version, "eu-west-1"))]]);
    expect(report.referenceCandidates).toBe(3);
    expect(ec2.methods().filter((method) => method === "listOwnedImages")).toHaveLength(2);
  });

  it("keeps a candidate found in use: re-planned with its references, it is not deprecated", async () => {
    // Prepare
    const { versions, images } = sixVersions();
    const inUse = imageIdOf(2, "eu-west-1");
    const reference = {
      imageId: inUse,
      region: "eu-west-1",
      resourceType: "ec2:Instance" as const,
      arn: "arn:i",
    };
    const ec2 = new FakeImages(images, [reference]);
    const { deps } = sweepDeps(configWith([web], "enforce"), ec2, new FakeRegistry(versions));

    // Act
    await runSweep(deps, { now });

    // Assess
    const deprecated = ec2.calls
      .filter((call) => call.method === "deprecateImage")
      .map((call) => call.args[1]);
    expect(deprecated).toEqual([imageIdOf(1, "eu-west-1"), imageIdOf(3, "eu-west-1")]);
  });

  it("acts on nothing whose references could not be looked up, and asks for a retry", async () => {
    // Prepare
    const { versions, images } = sixVersions();
    const ec2 = new FakeImages(images);
    ec2.referencesFail = true;
    const registry = new FakeRegistry(versions);
    const { deps, published } = sweepDeps(configWith([web], "enforce"), ec2, registry);

    // Act
    const report = await runSweep(deps, { now });

    // Assess
    expect(ec2.methods()).not.toContain("deprecateImage");
    expect(registry.stageWrites).toEqual([]);
    expect(published).toHaveLength(1);
    expect(() => throwIfIncomplete(report)).toThrow(SweepIncompleteError);
  });

  it("plans nothing when a region's images cannot be listed (they would look gone)", async () => {
    // Prepare
    const { versions, images } = sixVersions();
    const ec2 = new FakeImages(images);
    ec2.listingFails = true;
    const registry = new FakeRegistry(versions);
    const { deps } = sweepDeps(configWith([web], "enforce"), ec2, registry);

    // Act
    const report = await runSweep(deps, { now });

    // Assess
    expect(report.families).toEqual([]);
    expect(registry.regionWrites).toEqual([]);
    expect(report.failures.map((failure) => [failure.step, failure.transient])).toEqual([
      ["list-images", true],
    ]);
  });

  it("in enforce records the deprecation stage once every region's step succeeded", async () => {
    // Prepare
    const { versions, images } = sixVersions();
    const registry = new FakeRegistry(versions);
    const { deps } = sweepDeps(configWith([web], "enforce"), new FakeImages(images), registry);

    // Act
    const report = await runSweep(deps, { now });

    // Assess
    expect(registry.stageWrites.map((write) => [write.version, write.stage])).toEqual([
      [1, "deprecated"],
      [2, "deprecated"],
      [3, "deprecated"],
    ]);
    expect(report.families[0]?.applied.map((step) => step.action)).toEqual([
      "deprecate",
      "deprecate",
      "deprecate",
    ]);
  });

  it("reports a requested family that is not configured without failing the others", async () => {
    // Prepare
    const { versions, images } = sixVersions();
    const { deps, published } = sweepDeps(
      configWith([web], "dry-run"),
      new FakeImages(images),
      new FakeRegistry(versions),
    );

    // Act
    const report = await runSweep(deps, { now, families: ["web", "nope"] });

    // Assess
    expect(report.failures).toMatchObject([{ family: "nope", step: "select-family", transient: false }]);
    expect(published.map((notification) => notification.family)).toEqual(["web"]);
  });
});
