import type { Clock, RegionImageRecord } from "@ami-lifecycle/core";
import { describe, expect, it } from "vitest";
import { useCountedRegistry } from "../../support/counted-registry";
import { availableInIreland as newVersion } from "../../support/registry-versions";

const clock: Clock = { now: () => new Date("2025-03-02T00:00:00.000Z") };

function copyRecord(region: string, imageId: string): RegionImageRecord {
  return {
    region,
    imageId,
    state: "pending",
    role: "copy",
    kmsKeyId: `arn:aws:kms:${region}:111122223333:key/k`,
    snapshotIds: [],
    copyAttempts: 1,
    updatedAt: "2025-03-01T10:05:00.000Z",
  };
}

describe("DynamoVersionRegistry.putRegionImages on DynamoDB Local", () => {
  const { registry, calls } = useCountedRegistry("registry-batch", clock);
  const transactions = () => calls.filter((call) => call === "TransactWriteItemsCommand");

  it("records both copies of a version, with their image claims, in one transaction", async () => {
    // Prepare
    await registry.registerVersion(newVersion("pair", "ami-pair-src"));
    calls.length = 0;

    // Act
    const recorded = await registry.putRegionImages("pair", 1, [
      { record: copyRecord("us-east-1", "ami-pair-use1"), expectImageId: null },
      { record: copyRecord("ap-southeast-2", "ami-pair-apse2"), expectImageId: null },
    ]);

    // Assess
    expect(recorded).toEqual([true, true]);
    expect(transactions()).toHaveLength(1);
    const version = await registry.getVersion("pair", 1);
    expect(version?.regions["us-east-1"]?.imageId).toBe("ami-pair-use1");
    expect(version?.regions["ap-southeast-2"]?.imageId).toBe("ami-pair-apse2");
    expect(await registry.findByImageId("ami-pair-apse2")).toEqual({
      family: "pair",
      version: 1,
      region: "ap-southeast-2",
      role: "copy",
    });
  });

  it("keeps each write's own condition: a region another copy won stays, the other region is recorded", async () => {
    // Prepare
    await registry.registerVersion(newVersion("raced", "ami-raced-src"));
    await registry.putRegionImage("raced", 1, copyRecord("us-east-1", "ami-raced-winner"), {
      expectImageId: null,
    });

    // Act
    const recorded = await registry.putRegionImages("raced", 1, [
      { record: copyRecord("us-east-1", "ami-raced-loser"), expectImageId: null },
      { record: copyRecord("ap-southeast-2", "ami-raced-apse2"), expectImageId: null },
    ]);

    // Assess
    expect(recorded).toEqual([false, true]);
    const version = await registry.getVersion("raced", 1);
    expect(version?.regions["us-east-1"]?.imageId).toBe("ami-raced-winner");
    expect(version?.regions["ap-southeast-2"]?.imageId).toBe("ami-raced-apse2");
    expect(await registry.findByImageId("ami-raced-loser")).toBeUndefined();
  });
});
