import type { Clock, NewVersion, RegionImageRecord } from "@ami-lifecycle/core";
import { describe, expect, it } from "vitest";
import { useCountedRegistry } from "../../support/counted-registry";

const clock: Clock = { now: () => new Date("2025-03-02T00:00:00.000Z") };
const region = "eu-west-1";

function newVersion(family: string, imageId: string): NewVersion {
  return {
    family,
    region,
    imageId,
    name: `${family}-${imageId}`,
    createdAt: "2025-03-01T10:00:00.000Z",
    state: "pending",
    snapshotIds: [`snap-${imageId}`],
  };
}

function availableRecord(imageId: string, pointerProtectedAt?: string): RegionImageRecord {
  return {
    region,
    imageId,
    state: "available",
    role: "source",
    snapshotIds: [`snap-${imageId}`],
    copyAttempts: 0,
    availableAt: "2025-03-01T10:05:00.000Z",
    updatedAt: "2025-03-01T10:05:00.000Z",
    ...(pointerProtectedAt ? { pointerProtectedAt } : {}),
  };
}

describe("DynamoVersionRegistry.putRegionImage with clearProtectionOf on DynamoDB Local", () => {
  const { registry, calls } = useCountedRegistry("registry-marker", clock);
  const transactions = () => calls.filter((call) => call === "TransactWriteItemsCommand");

  /** v1 available and protected for a pointer by the service, v2 registered (pending). */
  async function twoVersions(family: string) {
    await registry.registerVersion(newVersion(family, `ami-${family}-1`));
    await registry.putRegionImage(family, 1, availableRecord(`ami-${family}-1`, "2025-03-01T10:06:00.000Z"));
    await registry.registerVersion(newVersion(family, `ami-${family}-2`));
    calls.length = 0;
  }

  it("records the new image with its marker and clears the left image's marker in one transaction", async () => {
    // Prepare
    await twoVersions("moved");

    // Act
    const written = await registry.putRegionImage(
      "moved",
      2,
      availableRecord("ami-moved-2", "2025-03-02T00:00:00.000Z"),
      { expectImageId: "ami-moved-2", clearProtectionOf: { version: 1, imageId: "ami-moved-1" } },
    );

    // Assess
    expect(written).toBe(true);
    expect(transactions()).toHaveLength(1);
    const [v1, v2] = [await registry.getVersion("moved", 1), await registry.getVersion("moved", 2)];
    expect(v2?.regions[region]).toMatchObject({
      state: "available",
      pointerProtectedAt: "2025-03-02T00:00:00.000Z",
    });
    expect(v1?.regions[region]?.imageId).toBe("ami-moved-1");
    expect(v1?.regions[region]?.state).toBe("available");
    expect(v1?.regions[region]?.pointerProtectedAt).toBeUndefined();
  });

  it("still records the region when the left version's region holds another image, whose marker stays", async () => {
    // Prepare
    await twoVersions("raced");

    // Act: the left image id names an image v1's region does not hold
    const written = await registry.putRegionImage("raced", 2, availableRecord("ami-raced-2"), {
      expectImageId: "ami-raced-2",
      clearProtectionOf: { version: 1, imageId: "ami-someone-else" },
    });

    // Assess
    expect(written).toBe(true);
    const [v1, v2] = [await registry.getVersion("raced", 1), await registry.getVersion("raced", 2)];
    expect(v2?.regions[region]?.state).toBe("available");
    expect(v1?.regions[region]?.pointerProtectedAt).toBe("2025-03-01T10:06:00.000Z");
  });
});
