import { describe, expect, it } from "vitest";
import {
  account,
  daysAgo,
  family,
  foreignAccount,
  imageIdOf,
  instanceUsing,
  LifecycleTag,
  now,
  scenario,
  snapshotIdOf,
  unmanagedTags,
} from "./builders";
import { actionsByVersion, decisionOf, plan, rulesOf } from "./plan-helpers";

/** Five old, available, active versions: with keepLatest 3, v1 and v2 are candidates. */
const fiveOldVersions = () =>
  scenario(
    [1, 2, 3, 4, 5].map((version) => ({
      version,
      ageDays: 100 - version,
      regions: ["eu-west-1", "us-east-1"],
    })),
  );

describe("not-managed", () => {
  it("keeps a whole version when one region's image lacks the managed tag", () => {
    // Prepare
    const inventory = scenario([
      ...[2, 3, 4].map((version) => ({ version, ageDays: 50 - version })),
      {
        version: 1,
        ageDays: 90,
        regions: ["eu-west-1", "us-east-1"],
        image: (region: string) => (region === "us-east-1" ? { tags: unmanagedTags() } : {}),
      },
    ]);
    // Act
    const result = plan(inventory);
    // Assess
    for (const region of ["eu-west-1", "us-east-1"]) {
      const decision = decisionOf(result, 1, region);
      expect(decision.action).toBe("keep");
      expect(rulesOf(decision)).toEqual(["not-managed"]);
      expect(decision.reasons[0]?.message).toContain(`lacks the ${LifecycleTag.managed} tag`);
    }
  });

  it("keeps an image owned by an account that is not managed", () => {
    const inventory = scenario([
      { version: 1, ageDays: 90, image: { ownerId: foreignAccount } },
      ...[2, 3, 4].map((version) => ({ version, ageDays: 50 - version })),
    ]);
    const result = plan({ ...inventory, accounts: [account] });
    expect(decisionOf(result, 1).action).toBe("keep");
    expect(decisionOf(result, 1).reasons[0]?.message).toContain(`owned by ${foreignAccount}`);
  });

  it("keeps an image whose version tag disagrees with the registry", () => {
    const inventory = scenario([
      { version: 1, ageDays: 90 },
      ...[2, 3, 4].map((version) => ({ version, ageDays: 50 - version })),
    ]);
    const image = inventory.images[0];
    if (image) image.tags[LifecycleTag.version] = "7";
    const result = plan(inventory);
    expect(rulesOf(decisionOf(result, 1))).toEqual(["not-managed"]);
  });

  it("reports an image tagged for the family that the registry does not know, and keeps it", () => {
    const registered = scenario([{ version: 1, ageDays: 90 }]);
    const stray = scenario([{ version: 9, ageDays: 90 }]).images;
    const result = plan({ versions: registered.versions, images: [...registered.images, ...stray] });
    const decision = decisionOf(result, null);
    expect(decision).toMatchObject({ imageId: imageIdOf(9, "eu-west-1"), action: "keep" });
    expect(rulesOf(decision)).toEqual(["not-managed"]);
  });
});

describe("keep-latest", () => {
  it("keeps the newest keepLatest available versions and retires the older ones", () => {
    const result = plan(fiveOldVersions());
    expect(actionsByVersion(result)).toEqual({
      1: "deprecate",
      2: "deprecate",
      3: "keep",
      4: "keep",
      5: "keep",
    });
    expect(decisionOf(result, 2).reasons[0]).toEqual({
      rule: "keep-latest",
      message: "not among the newest 3 available versions (v5, v4, v3)",
    });
  });

  it("does not count a pending or withdrawn newer version", () => {
    const inventory = scenario([
      ...[1, 2, 3].map((version) => ({ version, ageDays: 100 - version })),
      { version: 4, ageDays: 20, withdrawn: true },
      { version: 5, ageDays: 10, image: { state: "pending" as const } },
    ]);
    const result = plan(inventory);
    expect(decisionOf(result, 1).action).toBe("keep");
    expect(rulesOf(decisionOf(result, 1))).toContain("keep-latest");
    expect(decisionOf(result, 4).action).toBe("deprecate");
  });
});

describe("newest-available", () => {
  it("keeps the newest available version when every available version is withdrawn", () => {
    const inventory = scenario(
      [1, 2, 3].map((version) => ({ version, ageDays: 100 - version, withdrawn: true })),
    );
    const result = plan(inventory);
    expect(actionsByVersion(result)).toEqual({ 1: "deprecate", 2: "deprecate", 3: "keep" });
    expect(rulesOf(decisionOf(result, 3))).toEqual(["newest-available"]);
  });

  it("keeps the newest existing version when none is available, so it can be re-enabled", () => {
    const inventory = scenario(
      [1, 2].map((version) => ({
        version,
        ageDays: 100 - version,
        stage: "disabled" as const,
        stageDaysAgo: 30,
        image: { state: "disabled" as const },
      })),
    );
    const result = plan(inventory);
    expect(actionsByVersion(result)).toEqual({ 1: "deregister", 2: "keep" });
    expect(rulesOf(decisionOf(result, 2))).toEqual(["newest-available"]);
  });
});

describe("min-age", () => {
  it("keeps versions younger than minAgeDays, counted from createdAt", () => {
    const inventory = scenario([
      { version: 1, ageDays: 6.9 },
      ...[2, 3, 4].map((version) => ({ version, ageDays: 5 - version })),
    ]);
    const result = plan({ ...inventory, family: family({ minAgeDays: 7 }) });
    expect(decisionOf(result, 1).action).toBe("keep");
    expect(rulesOf(decisionOf(result, 1))).toEqual(["min-age"]);
  });

  it("does not hold a withdrawn version", () => {
    const inventory = scenario([
      { version: 1, ageDays: 1, withdrawn: true },
      ...[2, 3, 4].map((version) => ({ version, ageDays: 1 })),
    ]);
    const result = plan(inventory);
    expect(decisionOf(result, 1).action).toBe("deprecate");
  });
});

describe("in-use", () => {
  it("keeps the whole version in every region when one region's image is referenced, naming the ARNs", () => {
    const inventory = fiveOldVersions();
    const references = [
      instanceUsing(imageIdOf(1, "us-east-1"), "us-east-1", "i-b"),
      instanceUsing(imageIdOf(1, "us-east-1"), "us-east-1", "i-a"),
    ];
    const result = plan({ ...inventory, references });
    for (const region of ["eu-west-1", "us-east-1"]) {
      const decision = decisionOf(result, 1, region);
      expect(decision.action).toBe("keep");
      expect(decision.reasons).toEqual([
        {
          rule: "in-use",
          message: `in use by arn:aws:ec2:us-east-1:${account}:instance/i-a, arn:aws:ec2:us-east-1:${account}:instance/i-b`,
        },
      ]);
    }
    expect(decisionOf(result, 2).action).toBe("deprecate");
  });

  it("keeps a withdrawn version that is still in use", () => {
    const inventory = scenario([
      { version: 1, ageDays: 90, withdrawn: true },
      { version: 2, ageDays: 80 },
    ]);
    const result = plan({ ...inventory, references: [instanceUsing(imageIdOf(1, "eu-west-1"))] });
    expect(decisionOf(result, 1).action).toBe("keep");
  });
});

describe("protected", () => {
  const withImage = (image: object) =>
    scenario([
      { version: 1, ageDays: 90, image },
      ...[2, 3, 4].map((version) => ({ version, ageDays: 50 - version })),
    ]);

  it("keeps a version whose image carries the keep tag key (any value when none is configured)", () => {
    const result = plan(
      withImage({
        tags: { ...scenario([{ version: 1, ageDays: 90 }]).images[0]?.tags, "ami-lifecycle:keep": "" },
      }),
    );
    expect(rulesOf(decisionOf(result, 1))).toEqual(["protected"]);
  });

  it("requires the configured value when one is given", () => {
    const base = scenario([{ version: 1, ageDays: 90 }]).images[0]?.tags;
    const policy = family({ keepTag: { key: "retain", value: "yes" } });
    const wrongValue = plan({ ...withImage({ tags: { ...base, retain: "no" } }), family: policy });
    const rightValue = plan({ ...withImage({ tags: { ...base, retain: "yes" } }), family: policy });
    expect(decisionOf(wrongValue, 1).action).toBe("deprecate");
    expect(decisionOf(rightValue, 1).action).toBe("keep");
  });

  it("keeps a version with deregistration protection", () => {
    const result = plan(withImage({ deregistrationProtection: true }));
    expect(decisionOf(result, 1).reasons[0]?.message).toContain("deregistration protection");
  });
});

describe("recently-launched", () => {
  it("keeps a version launched within unusedForDays and retires one launched before", () => {
    const inventory = scenario([
      { version: 1, ageDays: 90, image: { lastLaunchedTime: daysAgo(29) } },
      { version: 2, ageDays: 89, image: { lastLaunchedTime: daysAgo(31) } },
      ...[3, 4, 5].map((version) => ({ version, ageDays: 50 - version })),
    ]);
    const result = plan({ ...inventory, family: family({ unusedForDays: 30 }) });
    expect(rulesOf(decisionOf(result, 1))).toEqual(["recently-launched"]);
    expect(decisionOf(result, 2).action).toBe("deprecate");
  });

  it("is off when unusedForDays is not set", () => {
    const inventory = scenario([
      { version: 1, ageDays: 90, image: { lastLaunchedTime: daysAgo(1) } },
      ...[2, 3, 4].map((version) => ({ version, ageDays: 50 - version })),
    ]);
    expect(decisionOf(plan(inventory), 1).action).toBe("deprecate");
  });
});

describe("withdrawn", () => {
  it("retires a withdrawn version first, even one newer than those kept", () => {
    const inventory = scenario([
      ...[1, 2, 3].map((version) => ({ version, ageDays: 100 - version })),
      { version: 4, ageDays: 20, withdrawn: true },
      { version: 5, ageDays: 10 },
    ]);
    const result = plan(inventory);
    expect(actionsByVersion(result)).toEqual({
      1: "deprecate",
      2: "keep",
      3: "keep",
      4: "deprecate",
      5: "keep",
    });
    expect(rulesOf(decisionOf(result, 4))).toEqual(["withdrawn", "staged-retirement"]);
  });
});

describe("staged-retirement", () => {
  const regions = ["eu-west-1", "us-east-1"];
  const keptNewer = [7, 8, 9].map((version) => ({ version, ageDays: 30 - version, regions }));

  it("waits for deprecateAfterDays, counted from when a newer version pushed the candidate out", () => {
    // v1 fell out of keep-latest when v9 was created, 21 days ago.
    const inventory = scenario([{ version: 1, ageDays: 90, regions }, ...keptNewer]);
    const waiting = plan({ ...inventory, family: family({ deprecateAfterDays: 30 }) });
    const due = plan({ ...inventory, family: family({ deprecateAfterDays: 21 }) });
    expect(decisionOf(waiting, 1).action).toBe("wait");
    expect(decisionOf(waiting, 1).reasons[1]?.message).toContain(`deprecate due at ${daysAgo(-9)}`);
    expect(decisionOf(due, 1).action).toBe("deprecate");
  });

  it("after a sweep died half-way, only does the regions that remain", () => {
    const inventory = scenario([
      {
        version: 1,
        ageDays: 90,
        regions,
        image: (region) => (region === "eu-west-1" ? { deprecationTime: daysAgo(0.5) } : {}),
      },
      ...keptNewer,
    ]);
    const result = plan(inventory);
    expect(decisionOf(result, 1, "eu-west-1").action).toBe("wait");
    expect(decisionOf(result, 1, "us-east-1").action).toBe("deprecate");
    expect(result.stageAdvances).toEqual([{ version: 1, from: "active", to: "deprecated" }]);
  });

  it("deprecates a region whose deprecation is only scheduled in the future", () => {
    const inventory = scenario([
      { version: 1, ageDays: 90, image: { deprecationTime: daysAgo(-300) } },
      ...keptNewer,
    ]);
    expect(decisionOf(plan(inventory), 1).action).toBe("deprecate");
  });

  it("takes a deprecation EC2 rounded up to the coming minute as done, so the next stage follows at once", () => {
    // The step ran 20 s ago; EC2 keeps minutes, so it reads the deprecation as 40 s ahead.
    const planned = new Date(now.getTime() + 20_000);
    const setMomentsAgo = { deprecationTime: new Date(now.getTime() + 60_000).toISOString() };
    const scheduledLater = { deprecationTime: new Date(now.getTime() + 120_000).toISOString() };
    const zeroGrace = family({ disableAfterDays: 0 });
    const done = scenario([
      { version: 1, ageDays: 90, stage: "deprecated", stageDaysAgo: 0, image: setMomentsAgo },
      ...keptNewer,
    ]);
    const later = scenario([{ version: 1, ageDays: 90, image: scheduledLater }, ...keptNewer]);
    expect(decisionOf(plan({ ...done, now: planned, family: zeroGrace }), 1).action).toBe("disable");
    expect(decisionOf(plan({ ...later, now: planned, family: zeroGrace }), 1).action).toBe("deprecate");
  });

  it("disables only after disableAfterDays since the version became deprecated", () => {
    const deprecated = { deprecationTime: daysAgo(10) };
    const early = scenario([
      { version: 1, ageDays: 90, regions, stage: "deprecated", stageDaysAgo: 6, image: deprecated },
      ...keptNewer,
    ]);
    const late = scenario([
      { version: 1, ageDays: 90, regions, stage: "deprecated", stageDaysAgo: 7, image: deprecated },
      ...keptNewer,
    ]);
    expect(decisionOf(plan(early), 1, "us-east-1").action).toBe("wait");
    expect(decisionOf(plan(late), 1, "us-east-1").action).toBe("disable");
    expect(plan(late).stageAdvances).toEqual([{ version: 1, from: "deprecated", to: "disabled" }]);
  });

  it("does not disable any region while another is not yet deprecated", () => {
    const inventory = scenario([
      {
        version: 1,
        ageDays: 90,
        regions,
        stage: "deprecated",
        stageDaysAgo: 30,
        image: (region) => (region === "eu-west-1" ? { deprecationTime: daysAgo(30) } : {}),
      },
      ...keptNewer,
    ]);
    const result = plan(inventory);
    expect(decisionOf(result, 1, "eu-west-1").action).toBe("wait");
    expect(decisionOf(result, 1, "eu-west-1").reasons[1]?.message).toContain("waiting for us-east-1");
    expect(decisionOf(result, 1, "us-east-1").action).toBe("deprecate");
    expect(result.stageAdvances).toEqual([]);
  });

  it("deregisters after deregisterAfterDays since disabled, in every region, listing the snapshots", () => {
    const inventory = scenario([
      { version: 1, ageDays: 90, regions, stage: "disabled", stageDaysAgo: 14, image: { state: "disabled" } },
      ...keptNewer,
    ]);
    const result = plan(inventory);
    for (const region of regions) {
      expect(decisionOf(result, 1, region)).toMatchObject({
        action: "deregister",
        snapshotIds: [snapshotIdOf(1, region)],
        freedGiB: 8,
      });
    }
    expect(result.stageAdvances).toEqual([{ version: 1, from: "disabled", to: "deregistered" }]);
  });

  it("never deregisters while a region of the version is available again (re-enabled): disables it first", () => {
    const inventory = scenario([
      {
        version: 1,
        ageDays: 90,
        regions,
        stage: "disabled",
        stageDaysAgo: 30,
        image: (region) =>
          region === "eu-west-1" ? { state: "disabled" } : { deprecationTime: daysAgo(40) },
      },
      ...keptNewer,
    ]);
    const result = plan(inventory);
    expect(decisionOf(result, 1, "eu-west-1").action).toBe("wait");
    expect(decisionOf(result, 1, "us-east-1").action).toBe("disable");
  });

  it("waits for a pending image and does nothing to it", () => {
    const inventory = scenario([
      {
        version: 1,
        ageDays: 90,
        regions,
        stage: "deprecated",
        stageDaysAgo: 30,
        image: (region) => (region === "eu-west-1" ? { deprecationTime: daysAgo(30) } : { state: "pending" }),
      },
      ...keptNewer,
    ]);
    const result = plan(inventory);
    expect(decisionOf(result, 1, "us-east-1").action).toBe("wait");
    expect(decisionOf(result, 1, "us-east-1").reasons[1]?.message).toContain("pending");
    expect(decisionOf(result, 1, "eu-west-1").action).toBe("wait");
  });

  it("answers wait for a region whose image is already gone", () => {
    const inventory = scenario([
      {
        version: 1,
        ageDays: 90,
        regions,
        stage: "disabled",
        stageDaysAgo: 30,
        image: (region) => (region === "eu-west-1" ? null : { state: "disabled" }),
      },
      ...keptNewer,
    ]);
    const result = plan(inventory);
    expect(decisionOf(result, 1, "eu-west-1").action).toBe("wait");
    expect(decisionOf(result, 1, "us-east-1").action).toBe("deregister");
  });
});

describe("deletion-cap", () => {
  it("deregisters at most maxDeletionsPerRun versions, withdrawn first then oldest, keeping the rest", () => {
    const disabled = { stage: "disabled" as const, stageDaysAgo: 30, image: { state: "disabled" as const } };
    const inventory = scenario([
      { version: 1, ageDays: 99, ...disabled },
      { version: 2, ageDays: 98, ...disabled },
      { version: 3, ageDays: 97, ...disabled, withdrawn: true },
      ...[7, 8, 9].map((version) => ({ version, ageDays: 30 - version })),
    ]);
    const result = plan({ ...inventory, family: family({ maxDeletionsPerRun: 2 }) });
    expect(actionsByVersion(result)).toMatchObject({ 1: "deregister", 2: "keep", 3: "deregister" });
    expect(rulesOf(decisionOf(result, 2))).toEqual(["keep-latest", "staged-retirement", "deletion-cap"]);
    expect(decisionOf(result, 2).snapshotIds).toEqual([]);
    expect(result.deletionsCapped).toBe(1);
    expect(result.stageAdvances.map((advance) => advance.version)).toEqual([1, 3]);
  });
});

describe("snapshots", () => {
  it("lists only snapshots no other image uses, whatever that image is", () => {
    const inventory = scenario([
      {
        version: 1,
        ageDays: 90,
        stage: "disabled",
        stageDaysAgo: 30,
        image: {
          state: "disabled",
          snapshots: [
            { snapshotId: "snap-own", sizeGiB: 8 },
            { snapshotId: "snap-shared", sizeGiB: 30 },
          ],
        },
      },
      ...[7, 8, 9].map((version) => ({ version, ageDays: 30 - version })),
    ]);
    const handMade = {
      ...inventory.images[1],
      imageId: "ami-hand-made",
      tags: unmanagedTags(),
      snapshots: [{ snapshotId: "snap-shared", sizeGiB: 30 }],
    };
    const result = plan({
      versions: inventory.versions,
      images: [...inventory.images, handMade as (typeof inventory.images)[number]],
    });
    expect(decisionOf(result, 1)).toMatchObject({
      action: "deregister",
      snapshotIds: ["snap-own"],
      freedGiB: 8,
    });
  });

  it("names orphan snapshots only when given the snapshot view, and only of gone images", () => {
    const inventory = scenario([
      { version: 1, ageDays: 90, stage: "deregistered", image: null },
      ...[7, 8, 9].map((version) => ({ version, ageDays: 30 - version })),
    ]);
    const snapshotTags = (version: number) => ({
      [LifecycleTag.family]: "web",
      [LifecycleTag.version]: String(version),
      [LifecycleTag.managed]: "true",
    });
    const snapshots = [
      { region: "eu-west-1", snapshotId: snapshotIdOf(1, "eu-west-1"), sizeGiB: 8, tags: snapshotTags(1) },
      { region: "eu-west-1", snapshotId: snapshotIdOf(7, "eu-west-1"), sizeGiB: 8, tags: snapshotTags(7) },
      { region: "eu-west-1", snapshotId: "snap-untagged", sizeGiB: 8, tags: {} },
    ];
    expect(plan(inventory).orphanSnapshots).toEqual([]);
    expect(plan({ ...inventory, snapshots }).orphanSnapshots).toEqual([
      { region: "eu-west-1", snapshotId: snapshotIdOf(1, "eu-west-1"), sizeGiB: 8, version: 1 },
    ]);
  });
});

describe("summary", () => {
  it("counts decisions per action", () => {
    const result = plan(fiveOldVersions());
    expect(result.summary.counts).toEqual({ keep: 6, wait: 0, deprecate: 4, disable: 0, deregister: 0 });
    expect(result.summary.text).toBe(
      "web: 6 keep, 0 wait, 4 deprecate, 0 disable, 0 deregister; frees 0 GiB",
    );
  });

  it("rejects an invalid now", () => {
    expect(() => plan({ ...fiveOldVersions(), now: new Date(Number.NaN) })).toThrow(RangeError);
  });

  it("ignores registry versions of other families", () => {
    const other = scenario([{ version: 1, ageDays: 90 }], "api");
    expect(plan({ ...other }).decisions).toEqual([]);
  });
});
