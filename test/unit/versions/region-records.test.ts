import { type ImageRecord, type RegionImageRecord, regionRecordFor } from "@ami-lifecycle/core";
import { describe, expect, it } from "vitest";

const now = new Date("2026-11-20T10:30:00Z");

const image: ImageRecord = {
  imageId: "ami-0aaaaaaaaaaaaaaaa",
  region: "us-east-1",
  name: "base-al2023-2026.11.20",
  ownerId: "111122223333",
  state: "available",
  creationDate: "2026-11-20T10:00:00Z",
  tags: {},
  snapshots: [{ snapshotId: "snap-0aaaaaaaaaaaaaaaa", sizeGiB: 8 }],
  encrypted: true,
  deregistrationProtection: true,
};

const protectedRecord: RegionImageRecord = {
  region: "us-east-1",
  imageId: image.imageId,
  state: "available",
  role: "source",
  snapshotIds: ["snap-0aaaaaaaaaaaaaaaa"],
  copyAttempts: 0,
  availableAt: "2026-11-20T10:00:00.000Z",
  pointerProtectedAt: "2026-11-20T10:10:00.000Z",
  updatedAt: "2026-11-20T10:10:00.000Z",
};

describe("the region record an event rebuilds from EC2's answer", () => {
  it("keeps the service's record that it protects the image for a pointer", () => {
    // Without it, the next event's write dropped the marker and the service could never lift its own protection.
    expect(regionRecordFor(image, protectedRecord, "source", now).pointerProtectedAt).toBe(
      "2026-11-20T10:10:00.000Z",
    );
  });

  it("drops the marker when the region now holds another image", () => {
    const other = { ...image, imageId: "ami-0bbbbbbbbbbbbbbbb" };
    expect(regionRecordFor(other, protectedRecord, "source", now).pointerProtectedAt).toBeUndefined();
  });
});
