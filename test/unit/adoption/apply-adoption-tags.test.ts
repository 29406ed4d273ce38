import {
  type AdoptionPlan,
  applyAdoption,
  type ImageRecord,
  type NewVersion,
  type VersionRecord,
} from "@ami-lifecycle/core";
import { describe, expect, it } from "vitest";
import { daysAgo, family } from "../retention/builders";
import { configWith, FakeImages, FakeRegistry, sweepDeps } from "../sweep/fakes";

/** EC2 whose CreateTags answer only when released: shows how many a family keeps in flight. */
class HeldTags extends FakeImages {
  inFlight = 0;
  mostInFlight = 0;
  private readonly held: (() => void)[] = [];

  override async tagImage(...args: unknown[]) {
    await super.tagImage(...args);
    this.inFlight++;
    this.mostInFlight = Math.max(this.mostInFlight, this.inFlight);
    await new Promise<void>((resolve) => this.held.push(resolve));
    this.inFlight--;
  }

  /** Answers every CreateTags sent so far. */
  release(): number {
    const released = this.held.splice(0);
    for (const answer of released) answer();
    return released.length;
  }
}

/** A registry that numbers registered versions in order, as DynamoDB's does. */
class NumberingRegistry extends FakeRegistry {
  override async registerVersions(inputs: readonly NewVersion[]) {
    return inputs.map((input, index) => {
      const version: VersionRecord = {
        family: input.family,
        version: index + 1,
        sourceRegion: input.region,
        sourceImageId: input.imageId,
        name: input.name,
        createdAt: input.createdAt,
        stage: "active",
        stageChangedAt: input.createdAt,
        regions: {},
      };
      this.versions.push(version);
      return { version, created: true };
    });
  }
}

function unmanagedImage(index: number): ImageRecord {
  return {
    imageId: `ami-${String(index).padStart(17, "0")}`,
    region: "eu-west-1",
    name: `web-${index}`,
    ownerId: "111111111111",
    state: "available",
    creationDate: daysAgo(100 - index),
    tags: {},
    snapshots: [{ snapshotId: `snap-${String(index).padStart(17, "0")}`, sizeGiB: 8 }],
    encrypted: true,
    deregistrationProtection: false,
  };
}

describe("applyAdoption's tagging", () => {
  it("keeps up to `tagsInFlight` of a family's CreateTags in flight instead of one after another", async () => {
    // Prepare
    const web = family({ keepLatest: 1 }, "web");
    const sources = Array.from({ length: 12 }, (_, index) => unmanagedImage(index + 1));
    const ec2 = new HeldTags([]);
    const { deps } = sweepDeps(configWith([web], "enforce"), ec2, new NumberingRegistry([]));
    const plan: AdoptionPlan = {
      families: [
        {
          family: "web",
          versions: sources.map((source, index) => ({
            family: "web",
            expectedVersion: index + 1,
            source,
            copies: [],
          })),
          joining: [],
          pendingTagging: [],
          skipped: [],
        },
      ],
      conflicts: [],
    };

    // Act
    const applying = applyAdoption(deps, plan, { tagsInFlight: 5 });
    let released = 0;
    while (released < sources.length) {
      await new Promise((resolve) => setImmediate(resolve));
      released += ec2.release();
    }
    const [outcome] = await applying;

    // Assess
    expect(ec2.mostInFlight).toBe(5);
    expect(outcome?.images.map((image) => image.imageId)).toEqual(sources.map((source) => source.imageId));
    expect(outcome?.versions).toEqual(sources.map((_, index) => index + 1));
  });
});
