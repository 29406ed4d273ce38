import { defaultSnapshotPrices, type VersionRecord } from "@ami-lifecycle/core";
import { describe, expect, it } from "vitest";
import type { PlanDocument } from "../../../packages/cli/src/planning/plan-document";
import { familyLifelines, pointerMovesOf } from "../../../packages/cli/src/report/lifelines";
import { storageReport } from "../../../packages/cli/src/report/storage-history";

const now = "2026-03-31T00:00:00.000Z";

function version(number: number, overrides: Partial<VersionRecord> = {}): VersionRecord {
  return {
    family: "web",
    version: number,
    sourceRegion: "us-east-1",
    sourceImageId: `ami-${number}`,
    name: `web-${number}`,
    createdAt: `2026-0${number}-01T00:00:00.000Z`,
    stage: "active",
    regions: {
      "us-east-1": {
        region: "us-east-1",
        imageId: `ami-${number}`,
        state: "available",
        role: "source",
        snapshotIds: [`snap-${number}`],
        sizeGiB: 8,
        availableAt: `2026-0${number}-01T01:00:00.000Z`,
        copyAttempts: 0,
        updatedAt: `2026-0${number}-01T01:00:00.000Z`,
      },
    },
    ...overrides,
  };
}

function plan(freedGiB = 0): PlanDocument {
  return {
    plannedAt: now,
    source: "sandbox",
    mode: "dry-run",
    families: [
      {
        family: "web",
        team: "platform",
        counts: { keep: 1, wait: 0, deprecate: 0, disable: 0, deregister: 0 } as never,
        freedGiB,
        summary: "",
        regions: [
          {
            region: "us-east-1",
            freedGiB,
            decisions: [
              {
                version: 2,
                imageId: "ami-2",
                action: freedGiB > 0 ? "deregister" : "keep",
                reasons: [{ rule: "keep-latest", message: "newest available version" }],
                snapshotIds: [],
                freedGiB,
                restore: { status: "none" },
              },
            ],
          },
        ],
        stageAdvances: [],
        orphanSnapshots: [],
        deletionsCapped: 0,
        blockedVersions: [],
        recoverable: [],
      },
    ],
    totals: { counts: {} as never, freedGiB },
    failures: [],
    referenceFallbackRegions: [],
  };
}

describe("storageReport", () => {
  it("holds each image's snapshots from available until deregistered and prices what is held now", () => {
    // Prepare: v1 deregistered on Mar 20 (inside the 30-day period), v2 still held
    const retired = version(1, {
      stage: "deregistered",
      stageDates: { deregistered: "2026-03-20T00:00:00.000Z" },
    });
    (retired.regions["us-east-1"] as { state: string }).state = "deregistered";
    const held = version(2);

    // Act
    const report = storageReport(
      [{ family: "web", team: "platform", versions: [retired, held] }],
      plan(8),
      defaultSnapshotPrices,
    );

    // Assess
    expect(report.regions).toEqual([
      { family: "web", region: "us-east-1", gib: 8, monthlyCost: 0.4, freedGiB: 8, planFreesGiB: 8 },
    ]);
    expect(report.history.map((point) => [point.at.slice(0, 10), point.gib])).toEqual([
      ["2026-01-01", 8],
      ["2026-02-01", 16],
      ["2026-03-20", 8],
      ["2026-03-31", 8],
    ]);
  });

  it("prices a region the table does not list at the configured default", () => {
    const elsewhere = version(2);
    const record = elsewhere.regions["us-east-1"];
    if (record) elsewhere.regions["us-east-1"] = { ...record, region: "me-central-1" };

    const report = storageReport([{ family: "web", team: "p", versions: [elsewhere] }], plan(), {
      ...defaultSnapshotPrices,
      otherRegions: 0.1,
    });

    expect(report.regions[0]).toMatchObject({ region: "me-central-1", gib: 8, monthlyCost: 0.8 });
  });
});

describe("familyLifelines", () => {
  it("draws available → deprecated → disabled spans, a deregistered mark, and the plan's reasons", () => {
    // Prepare
    const retired = version(1, {
      stage: "deregistered",
      stageDates: {
        deprecated: "2026-01-10T00:00:00.000Z",
        disabled: "2026-01-17T00:00:00.000Z",
        deregistered: "2026-01-31T00:00:00.000Z",
      },
    });
    (retired.regions["us-east-1"] as { state: string }).state = "deregistered";

    // Act
    const lifelines = familyLifelines("web", [retired, version(2)], plan().families[0], now);

    // Assess
    expect(lifelines.lanes).toEqual(["v2 us-east-1", "v1 us-east-1"]);
    expect(
      lifelines.spans.map((span) => [span.lane, span.stage, span.from.slice(0, 10), span.until.slice(0, 10)]),
    ).toEqual([
      ["v2 us-east-1", "available", "2026-02-01", "2026-03-31"],
      ["v1 us-east-1", "available", "2026-01-01", "2026-01-10"],
      ["v1 us-east-1", "deprecated", "2026-01-10", "2026-01-17"],
      ["v1 us-east-1", "disabled", "2026-01-17", "2026-01-31"],
    ]);
    expect(lifelines.marks).toMatchObject([{ lane: "v1 us-east-1", kind: "deregistered" }]);
    expect(lifelines.spans[0]?.why).toBe("keep (keep-latest: newest available version)");
  });
});

describe("pointerMovesOf", () => {
  it("reads the latest pointer's moves from the story's results and marks them on their lane", () => {
    // Prepare
    const story = [
      {
        time: "2026-02-01T02:00:00.000Z",
        result: {
          family: "web",
          effects: [
            { kind: "recorded", state: "available" },
            { kind: "pointer-moved", region: "us-east-1", version: 2 },
          ],
        },
      },
      { time: "2026-02-01T03:00:00.000Z", result: { outcome: "ignored", reason: "not managed" } },
      { time: "2026-02-01T04:00:00.000Z" },
    ];

    // Act
    const moves = pointerMovesOf(story);
    const lifelines = familyLifelines("web", [version(2)], undefined, now, moves);

    // Assess
    expect(moves).toEqual([
      { family: "web", version: 2, region: "us-east-1", at: "2026-02-01T02:00:00.000Z" },
    ]);
    expect(lifelines.marks).toMatchObject([
      { lane: "v2 us-east-1", kind: "pointer-moved", at: "2026-02-01T02:00:00.000Z" },
    ]);
  });
});
