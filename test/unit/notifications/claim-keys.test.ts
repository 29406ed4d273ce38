import { availableTransitionLeases, type RegionImageRecord } from "@ami-lifecycle/core";
import { describe, expect, it } from "vitest";

function record(
  state: RegionImageRecord["state"],
  extra: Partial<RegionImageRecord> = {},
): RegionImageRecord {
  return {
    region: "eu-west-1",
    imageId: "ami-0copy",
    state,
    role: "copy",
    snapshotIds: [],
    copyAttempts: 1,
    updatedAt: "2026-11-20T10:00:00.000Z",
    ...extra,
  };
}

describe("availableTransitionLeases", () => {
  it("names the region's available claim for the write that records the transition to available", () => {
    // Act
    const fromPending = availableTransitionLeases("web", 3, record("pending"), record("available"));
    const firstSeen = availableTransitionLeases("web", 3, undefined, record("available"));

    // Assess
    expect(fromPending).toEqual(["notify:available:web:3:eu-west-1"]);
    expect(firstSeen).toEqual(["notify:available:web:3:eu-west-1"]);
  });

  it("names nothing for a write that only changes an available region (a marker) or leaves available", () => {
    // Act
    const marker = availableTransitionLeases(
      "web",
      3,
      record("available"),
      record("available", { pointerProtectedAt: "2026-11-20T11:00:00.000Z" }),
    );
    const retired = availableTransitionLeases("web", 3, record("available"), record("recoverable"));

    // Assess
    expect(marker).toEqual([]);
    expect(retired).toEqual([]);
  });
});
