import {
  parseConfig,
  type RestoreDependencies,
  RestoreRefusedError,
  type RestoreService,
  restoreVersion,
  silentLog,
  type VersionRecord,
} from "@ami-lifecycle/core";
import { describe, expect, it } from "vitest";

const now = new Date("2026-12-01T00:00:00.000Z");
const config = parseConfig({
  accounts: ["111122223333"],
  homeRegion: "us-east-1",
  regions: ["us-east-1", "eu-west-1"],
  families: [{ name: "web", team: "web", match: { namePattern: "web-*" } }],
});

/** v1 deregistered into the bin in both regions, restorable for three more days. */
const binned: VersionRecord = {
  family: "web",
  version: 1,
  sourceRegion: "us-east-1",
  sourceImageId: "ami-0000000000000000a",
  name: "web-1",
  createdAt: "2026-11-01T00:00:00.000Z",
  stage: "deregistered",
  regions: Object.fromEntries(
    ["us-east-1", "eu-west-1"].map((region, index) => [
      region,
      {
        region,
        imageId: `ami-000000000000000${index}b`,
        state: "recoverable" as const,
        role: index === 0 ? ("source" as const) : ("copy" as const),
        snapshotIds: [`snap-000000000000000${index}c`],
        copyAttempts: 0,
        recoverableUntil: "2026-12-04T00:00:00.000Z",
        updatedAt: "2026-11-27T00:00:00.000Z",
      },
    ]),
  ),
};

/** Restore ports over a bin that still holds both images but lost eu-west-1's snapshot; records every call. */
function world() {
  const calls: string[] = [];
  const restored = new Set<string>();
  const restore: RestoreService = {
    binContents: async (region, _imageId, snapshotIds) => ({
      imageBinned: true,
      binnedSnapshots: new Set(region === "us-east-1" ? snapshotIds : []),
    }),
    // A restored snapshot is completed at once; the lost one is listed nowhere.
    snapshotStates: async (_region, ids) =>
      new Map(ids.filter((id) => restored.has(id)).map((id) => [id, "completed"])),
    restoreSnapshot: async (region, id) => {
      restored.add(id);
      calls.push(`restoreSnapshot ${region} ${id}`);
    },
    restoreImage: async (region, id) => void calls.push(`restoreImage ${region} ${id}`),
    enableImage: async (region, id) => void calls.push(`enableImage ${region} ${id}`),
    cancelDeprecation: async (region, id) => void calls.push(`cancelDeprecation ${region} ${id}`),
    removeTag: async (region) => void calls.push(`removeTag ${region}`),
  };
  const deps = {
    config,
    registry: {
      getVersion: async () => structuredClone(binned),
      putRegionImage: async () => {
        calls.push("putRegionImage");
        return true;
      },
      restoreVersion: async () => void calls.push("restoreVersion"),
      takeClaim: async () => ({ state: "taken", leaseId: "lease-1" }),
      completeClaim: async () => {},
    },
    images: { describeImage: async () => undefined },
    restore,
    notifier: { publish: async () => void calls.push("publish") },
    clock: { now: () => now },
    log: silentLog,
  } as unknown as RestoreDependencies;
  return { deps, calls };
}

describe("restoreVersion refusals", () => {
  it("refuses when a region's snapshots are gone, naming the region and snapshot, before acting anywhere", async () => {
    // Prepare
    const { deps, calls } = world();

    // Act
    const refused = await restoreVersion(deps, "web", 1).catch((error: unknown) => error);

    // Assess
    expect(refused).toBeInstanceOf(RestoreRefusedError);
    expect((refused as RestoreRefusedError).regions).toEqual([
      {
        region: "eu-west-1",
        imageId: "ami-0000000000000001b",
        missing:
          "snapshot snap-0000000000000001c of ami-0000000000000001b is neither in the Recycle Bin nor in EC2: the image can never be restored",
      },
    ]);
    expect(calls).toEqual([]);
  });

  it("restores only the region asked for when the other is the one that cannot be restored", async () => {
    // Prepare
    const { deps, calls } = world();

    // Act
    const result = await restoreVersion(deps, "web", 1, { region: "us-east-1" });

    // Assess
    expect(result.regions.map((region) => region.region)).toEqual(["us-east-1"]);
    expect(calls.slice(0, 2)).toEqual([
      "restoreSnapshot us-east-1 snap-0000000000000000c",
      "restoreImage us-east-1 ami-0000000000000000b",
    ]);
  });
});
