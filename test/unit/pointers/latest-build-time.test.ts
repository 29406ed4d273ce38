import { describe, expect, it } from "vitest";
import { assertLatestPointer, type ImagePointers, latestVersionIn } from "../../../packages/core/src/index";
import { builtVersion as version } from "../../support/built-version";

/** v1 is the service's own build; v2 and v3 are images of 2024 that adoption numbered after it. */
const versions = [
  version(1, "2026-11-20T00:00:00.000Z"),
  version(2, "2024-01-10T00:00:00.000Z"),
  version(3, "2024-06-10T00:00:00.000Z"),
];

describe("latest follows build time, not version number", () => {
  it("picks the most recently built available version", () => {
    expect(latestVersionIn(versions, "us-east-1")?.version).toBe(1);
  });

  it("never moves latest from the newest build to an older adopted image", async () => {
    // Prepare
    const writes: string[] = [];
    const pointers: ImagePointers = {
      getPointer: async () => "ami-1",
      putPointer: async (_region, _name, imageId) => {
        writes.push(imageId);
      },
    };

    // Act
    const move = await assertLatestPointer(
      pointers,
      "/ami-lifecycle/{family}/{channel}",
      "web",
      versions,
      "us-east-1",
    );

    // Assess
    expect(move).toBeUndefined();
    expect(writes).toEqual([]);
  });
});
