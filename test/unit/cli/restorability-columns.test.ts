import {
  type FamilyPlan,
  parseConfig,
  type RegionImageRecord,
  type VersionRecord,
} from "@ami-lifecycle/core";
import { describe, expect, it } from "vitest";
import { planDocument } from "../../../packages/cli/src/planning/plan-document";
import { renderPlanTable } from "../../../packages/cli/src/planning/plan-table";
import { renderVersionsTable } from "../../../packages/cli/src/planning/registry-view";

const now = new Date("2026-12-01T10:00:00.000Z");
const config = parseConfig({
  accounts: ["111122223333"],
  homeRegion: "us-east-1",
  regions: ["us-east-1"],
  families: [{ name: "web", team: "web", match: { namePattern: "web-*" } }],
});

function region(
  state: RegionImageRecord["state"],
  extra: Partial<RegionImageRecord> = {},
): RegionImageRecord {
  return {
    region: "us-east-1",
    imageId: `ami-${state}`,
    state,
    role: "source",
    snapshotIds: [],
    copyAttempts: 0,
    updatedAt: "2026-11-20T10:00:00.000Z",
    ...extra,
  };
}

function version(number: number, stage: VersionRecord["stage"], record: RegionImageRecord): VersionRecord {
  return {
    family: "web",
    version: number,
    sourceRegion: "us-east-1",
    sourceImageId: record.imageId ?? "",
    name: `web-${number}`,
    createdAt: "2026-11-20T10:00:00.000Z",
    stage,
    regions: { "us-east-1": record },
  };
}

/** v1 binned until 2026-12-08, v2 binned past its date, v3 deprecated, v4 active. */
const versions = [
  version(1, "deregistered", region("recoverable", { recoverableUntil: "2026-12-08T10:30:00.000Z" })),
  version(2, "deregistered", region("deregistered", { imageId: "ami-gone" })),
  version(3, "deprecated", region("available", { imageId: "ami-deprecated" })),
  version(4, "active", region("available")),
];

/** The planner's view: only the images EC2 still lists (v3 and v4). */
const plan: FamilyPlan = {
  family: "web",
  decisions: [3, 4].map((number) => ({
    family: "web",
    version: number,
    region: "us-east-1",
    imageId: versions[number - 1]?.regions["us-east-1"]?.imageId ?? "",
    action: number === 3 ? "disable" : "keep",
    reasons: [{ rule: number === 3 ? "staged-retirement" : "keep-latest", message: "…" }],
    snapshotIds: [],
    freedGiB: 0,
  })),
  stageAdvances: [],
  orphanSnapshots: [],
  unrecordedSnapshots: [],
  deletionsCapped: 0,
  summary: {
    counts: { keep: 1, wait: 0, deprecate: 0, disable: 1, deregister: 0 },
    freedGiB: 0,
    text: "web: …",
  },
};

describe("plan and versions say whether and until when each region can be restored", () => {
  it("puts restorability on each decision and lists the binned regions in the plan document", () => {
    // Act
    const document = planDocument(
      { plans: [plan], blocked: [], failures: [], referenceFallbackRegions: [], versions: { web: versions } },
      { config, plannedAt: now, source: "account" },
    );

    // Assess
    const family = document.families[0];
    expect(family?.regions[0]?.decisions.map((decision) => [decision.version, decision.restore])).toEqual([
      [3, { status: "restorable", from: "deprecated" }],
      [4, { status: "none" }],
    ]);
    expect(family?.recoverable).toEqual([
      { version: 1, region: "us-east-1", imageId: "ami-recoverable", until: "2026-12-08T10:30:00.000Z" },
    ]);
    const table = renderPlanTable(document, { color: false });
    expect(table).toMatch(/VERSION\s+REGION\s+IMAGE\s+ACTION\s+FREES\s+RESTORE\s+REASON/);
    expect(table).toMatch(
      /v3\s+us-east-1\s+ami-deprecated\s+disable\s+restorable \(deprecated\)\s+staged-retirement/,
    );
    expect(table).toMatch(/v4\s+us-east-1\s+ami-available\s+keep\s+-\s+keep-latest/);
    expect(table).toContain(
      "In the Recycle Bin (`restore` brings them back): v1 us-east-1 ami-recoverable until 2026-12-08 10:30",
    );
  });

  it("ends each versions cell with until when, restorable or final", () => {
    // Act
    const table = renderVersionsTable(
      { family: "web", team: "web", versions },
      ["us-east-1"],
      { color: false },
      now,
    );

    // Assess
    expect(table).toMatch(/v1\s+web-1\s+deregistered\s+ami-recoverable recoverable until 2026-12-08 10:30/);
    expect(table).toMatch(/v2\s+web-2\s+deregistered\s+ami-gone deregistered \(final\)/);
    expect(table).toMatch(/v3\s+web-3\s+deprecated\s+ami-deprecated available \(restorable\)/);
    expect(table).toMatch(/v4\s+web-4\s+active\s+ami-available available\s*$/m);
  });

  it("calls a binned region past its recovery date final", () => {
    // Act
    const table = renderVersionsTable(
      { family: "web", team: "web", versions },
      ["us-east-1"],
      { color: false },
      new Date("2026-12-09T00:00:00.000Z"),
    );

    // Assess
    expect(table).toMatch(/v1\s+web-1\s+deregistered\s+ami-recoverable recoverable \(final\)/);
  });
});
