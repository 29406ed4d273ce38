import {
  type RegionImageRecord,
  type RetentionStage,
  restorabilityOf,
  type VersionRecord,
} from "@ami-lifecycle/core";
import { describe, expect, it } from "vitest";

const now = new Date("2026-12-01T10:00:00.000Z");

function versionWith(stage: RetentionStage, region: Partial<RegionImageRecord>): VersionRecord {
  const record: RegionImageRecord = {
    region: "us-east-1",
    imageId: "ami-1",
    state: "available",
    role: "source",
    snapshotIds: ["snap-1"],
    copyAttempts: 0,
    updatedAt: "2026-11-20T10:00:00.000Z",
    ...region,
  };
  return {
    family: "web",
    version: 3,
    sourceRegion: "us-east-1",
    sourceImageId: "ami-1",
    name: "web-3",
    createdAt: "2026-11-20T10:00:00.000Z",
    stage,
    regions: { "us-east-1": record },
  };
}

const of = (version: VersionRecord) => restorabilityOf(version, version.regions["us-east-1"], now);

describe("restorabilityOf", () => {
  it("says a binned region is recoverable until its recovery date", () => {
    const version = versionWith("deregistered", {
      state: "recoverable",
      recoverableUntil: "2026-12-08T10:00:00.000Z",
    });
    expect(of(version)).toEqual({
      status: "restorable",
      from: "recycle-bin",
      until: "2026-12-08T10:00:00.000Z",
    });
  });

  it("says a binned region past its recovery date is final, naming the date", () => {
    const version = versionWith("deregistered", {
      state: "recoverable",
      recoverableUntil: "2026-12-01T09:59:00.000Z",
    });
    expect(of(version)).toEqual({
      status: "final",
      reason: "its recovery date 2026-12-01T09:59:00.000Z has passed",
    });
  });

  it("says a deregistration without the bin, or an image EC2 lost, is final", () => {
    expect(of(versionWith("deregistered", { state: "deregistered" })).status).toBe("final");
    expect(of(versionWith("active", { state: "missing" })).status).toBe("final");
  });

  it("says deprecated and disabled images are restorable with no deadline", () => {
    expect(of(versionWith("deprecated", { state: "available" }))).toEqual({
      status: "restorable",
      from: "deprecated",
    });
    expect(of(versionWith("disabled", { state: "disabled" }))).toEqual({
      status: "restorable",
      from: "disabled",
    });
  });

  it("has nothing to undo for an active image, a pending copy or a region without an image", () => {
    expect(of(versionWith("active", { state: "available" }))).toEqual({ status: "none" });
    expect(of(versionWith("active", { state: "pending" }))).toEqual({ status: "none" });
    const version = versionWith("active", {});
    expect(restorabilityOf(version, undefined, now)).toEqual({ status: "none" });
  });
});
