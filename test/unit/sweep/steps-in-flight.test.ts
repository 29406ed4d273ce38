import { runSweep, stepsInFlight } from "@ami-lifecycle/core";
import { describe, expect, it } from "vitest";
import { family, now, scenario } from "../retention/builders";
import { configWith, FakeImages, FakeRegistry, sweepDeps } from "./fakes";

/** EC2 whose deprecations take a round trip, counting how many are in flight at once. */
class CountingImages extends FakeImages {
  inFlight = 0;
  mostInFlight = 0;

  override async deprecateImage(region: string, imageId: string, at: Date) {
    this.inFlight++;
    this.mostInFlight = Math.max(this.mostInFlight, this.inFlight);
    await new Promise((resolve) => setImmediate(resolve));
    this.inFlight--;
    return super.deprecateImage(region, imageId, at);
  }
}

describe("a sweep pass changes several images of a family at once", () => {
  it(`keeps up to ${stepsInFlight} deprecations in flight and still records every step in plan order`, async () => {
    // Prepare: 61 versions, keepLatest 1: sixty to deprecate (grace of a week before disabling).
    const { versions, images } = scenario(
      Array.from({ length: 61 }, (_, index) => ({ version: index + 1, ageDays: 80 - index })),
    );
    const ec2 = new CountingImages(images);
    const registry = new FakeRegistry(versions);
    const web = family({ keepLatest: 1, minAgeDays: 1, deprecateAfterDays: 0, disableAfterDays: 7 });
    const { deps } = sweepDeps(configWith([web], "enforce"), ec2, registry);

    // Act
    const report = await runSweep(deps, { now });

    // Assess
    expect(ec2.mostInFlight).toBe(stepsInFlight);
    expect(report.families[0]?.applied.map((step) => step.version)).toEqual(
      Array.from({ length: 60 }, (_, index) => index + 1),
    );
    expect(registry.stageWrites.map((write) => write.version)).toEqual(
      Array.from({ length: 60 }, (_, index) => index + 1),
    );
  });
});

describe("a sweep's retention summaries", () => {
  it("are published for as many families at once as the sweep works on", async () => {
    // Prepare: six families with a version to deprecate each (news: a summary each).
    const families = Array.from({ length: 6 }, (_, index) =>
      family({ keepLatest: 1, minAgeDays: 1, deprecateAfterDays: 0, disableAfterDays: 7 }, `fam-${index}`),
    );
    const specs = [
      { version: 1, ageDays: 20 },
      { version: 2, ageDays: 10 },
    ];
    const versions = families.flatMap((each) => scenario(specs, each.name).versions);
    const images = families.flatMap((each) => scenario(specs, each.name).images);
    const { deps } = sweepDeps(
      configWith(families, "enforce"),
      new FakeImages(images),
      new FakeRegistry(versions),
    );
    let inFlight = 0;
    let mostInFlight = 0;
    const published: string[] = [];
    deps.notifier = {
      publish: async (notification) => {
        inFlight++;
        mostInFlight = Math.max(mostInFlight, inFlight);
        await new Promise((resolve) => setImmediate(resolve));
        inFlight--;
        published.push(notification.family);
      },
    };

    // Act
    const report = await runSweep(deps, { now, familiesInFlight: 3 });

    // Assess: three at once; the report keeps the families' order.
    expect(mostInFlight).toBe(3);
    expect([...published].sort()).toEqual(families.map((each) => each.name));
    expect(report.families.map((result) => [result.family, result.summaryPublished])).toEqual(
      families.map((each) => [each.name, true]),
    );
  });
});
