import { type ImageReference, type ReferenceReading, runSweep } from "@ami-lifecycle/core";
import { describe, expect, it } from "vitest";
import { family, imageIdOf, now, scenario } from "../retention/builders";
import { configWith, FakeImages, FakeRegistry, sweepDeps } from "./fakes";

/** EC2 whose reference lookups can be opened as readings; records which reading answered each lookup. */
class ReadingImages extends FakeImages {
  readonly readings: { region: string; imageIds: string[] }[][] = [];
  /** regions where the readings (not the service itself) say their lookups answered from the fallback */
  readingFallbackRegions = new Set<string>();

  override referenceReading(): ReferenceReading {
    const lookups: { region: string; imageIds: string[] }[] = [];
    this.readings.push(lookups);
    return {
      findReferences: async (region: string, imageIds: readonly string[]): Promise<ImageReference[]> => {
        lookups.push({ region, imageIds: [...imageIds] });
        return this.findReferences(region, imageIds);
      },
      usesReferenceFallback: (region: string) => this.readingFallbackRegions.has(region),
    };
  }
}

/** Two families of 5 versions in one region: keepLatest 2 retires v1–v3 of each. */
function twoFamilies() {
  const specs = [30, 25, 20, 15, 10].map((ageDays, index) => ({
    version: index + 1,
    ageDays,
    regions: ["eu-west-1"],
  }));
  const web = scenario(specs, "web");
  const api = scenario(specs, "api");
  return {
    families: [
      family({ keepLatest: 2, deprecateAfterDays: 0 }, "web"),
      family({ keepLatest: 2, deprecateAfterDays: 0 }, "api"),
    ],
    versions: [...web.versions, ...api.versions],
    images: [...web.images, ...api.images],
  };
}

describe("runSweep's reference reading", () => {
  it("looks up every family's references through one reading of the invocation", async () => {
    // Prepare
    const { families, versions, images } = twoFamilies();
    const ec2 = new ReadingImages(images);
    const { deps } = sweepDeps(configWith(families, "dry-run"), ec2, new FakeRegistry(versions));

    // Act
    await runSweep(deps, { now });

    // Assess
    const retired = (name: string) => [1, 2, 3].map((version) => imageIdOf(version, "eu-west-1", name));
    expect(ec2.readings).toHaveLength(1);
    expect(ec2.readings[0]?.flatMap((lookup) => lookup.imageIds).sort()).toEqual(
      [...retired("web"), ...retired("api")].sort(),
    );
  });

  it("opens a new reading for each invocation: nothing is carried from one sweep to the next", async () => {
    // Prepare
    const { families, versions, images } = twoFamilies();
    const ec2 = new ReadingImages(images);
    const { deps } = sweepDeps(configWith(families, "dry-run"), ec2, new FakeRegistry(versions));

    // Act
    await runSweep(deps, { now });
    await runSweep(deps, { now });

    // Assess
    expect(ec2.readings).toHaveLength(2);
    expect(ec2.readings.map((lookups) => lookups.flatMap((lookup) => lookup.imageIds).length)).toEqual([
      6, 6,
    ]);
  });

  it("without adoption to overlap, looks every family's candidates of a region up together (full batches of 10)", async () => {
    // Prepare
    const { families, versions, images } = twoFamilies();
    const ec2 = new ReadingImages(images);
    const { deps } = sweepDeps(configWith(families, "dry-run"), ec2, new FakeRegistry(versions));

    // Act
    await runSweep(deps, { now });

    // Assess: one lookup of 6 ids, not one of 3 per family (⌈6/10⌉ DescribeImageReferences, not 2 × ⌈3/10⌉)
    expect(ec2.readings[0]?.map((lookup) => lookup.imageIds.length)).toEqual([6]);
  });

  it("marks the decisions of a region whose reading answered from the fallback, as the reading says", async () => {
    // Prepare: the service itself says DescribeImageReferences answered; the invocation's reading says not
    const { families, versions, images } = twoFamilies();
    const ec2 = new ReadingImages(images);
    ec2.readingFallbackRegions.add("eu-west-1");
    const { deps } = sweepDeps(configWith(families, "dry-run"), ec2, new FakeRegistry(versions));

    // Act
    const report = await runSweep(deps, { now });

    // Assess: every looked-up decision carries the fallback's reason
    const marked = report.families.flatMap((result) =>
      (result.plan?.decisions ?? [])
        .filter((decision) => decision.reasons.some((reason) => reason.rule === "reference-fallback"))
        .map((decision) => `${result.family}/${decision.version}`),
    );
    expect(marked.sort()).toEqual(["api/1", "api/2", "api/3", "web/1", "web/2", "web/3"]);
  });
});
