import { describe, expect, it } from "vitest";
import { backoffDelay, defaultBackoff } from "../../../packages/aws/src/registry/conditions";
import {
  regionItem,
  stagesBefore,
  toVersionRecords,
  versionItem,
  versionSortKey,
} from "../../../packages/aws/src/registry/items";

describe("registry item layout", () => {
  it("pads version sort keys so they sort numerically and never prefix another version", () => {
    // Act
    const keys = [2, 10, 1].map(versionSortKey).sort();

    // Assess
    expect(keys).toEqual(["V#0000000001", "V#0000000002", "V#0000000010"]);
    expect(versionSortKey(10).startsWith(versionSortKey(1))).toBe(false);
  });

  it("refuses version numbers that cannot be stored", () => {
    expect(() => versionSortKey(0)).toThrow(RangeError);
    expect(() => versionSortKey(1.5)).toThrow(RangeError);
  });

  it("lists the stages a version may leave to enter each stage", () => {
    expect(stagesBefore("active")).toEqual([]);
    expect(stagesBefore("disabled")).toEqual(["active", "deprecated"]);
    expect(stagesBefore("deregistered")).toEqual(["active", "deprecated", "disabled"]);
  });

  it("rebuilds versions from a family query, attaching each region to its own version", () => {
    // Prepare
    const version = (number: number) =>
      versionItem({
        family: "web",
        version: number,
        sourceRegion: "eu-west-1",
        sourceImageId: `ami-${number}`,
        name: `web-${number}`,
        createdAt: "2025-01-01T00:00:00.000Z",
        stage: "active",
      });
    const region = (number: number, name: string) =>
      regionItem("web", number, {
        region: name,
        imageId: `ami-${number}-${name}`,
        state: "available",
        role: "copy",
        snapshotIds: ["snap-1"],
        copyAttempts: 1,
        updatedAt: "2025-01-01T00:00:00.000Z",
      });

    // Act
    const records = toVersionRecords([
      version(1),
      region(1, "us-east-1"),
      version(2),
      region(2, "ap-south-1"),
    ]);

    // Assess
    expect(records.map((record) => Object.keys(record.regions))).toEqual([["us-east-1"], ["ap-south-1"]]);
    expect(records[0]).not.toHaveProperty("pk");
    expect(records[0]?.regions["us-east-1"]).not.toHaveProperty("family");
  });
});

describe("backoffDelay", () => {
  it("doubles the jitter window per retry up to the cap", () => {
    // Prepare
    const alwaysMax = { ...defaultBackoff, baseDelayMs: 10, maxDelayMs: 100, random: () => 0.999999 };

    // Act
    const delays = [1, 2, 3, 4, 5, 40].map((retry) => backoffDelay(alwaysMax, retry));

    // Assess
    expect(delays).toEqual([9, 19, 39, 79, 99, 99]);
    expect(backoffDelay({ ...alwaysMax, random: () => 0 }, 5)).toBe(0);
  });
});
