import { DynamoVersionRegistry } from "@ami-lifecycle/aws";
import type { Clock, RegionImageRecord } from "@ami-lifecycle/core";
import { DynamoDBDocumentClient, PutCommand } from "@aws-sdk/lib-dynamodb";
import { describe, expect, it } from "vitest";
import { useCountedTable } from "../../support/counted-registry";
import { firstVersionOf as newVersion } from "../../support/registry-versions";

const clock: Clock = { now: () => new Date("2026-11-20T10:00:00.000Z") };

/** The eu-west-1 copy of version 1 of a family (its own image id per family). */
function copy(
  family: string,
  state: RegionImageRecord["state"],
  extra: Partial<RegionImageRecord> = {},
): RegionImageRecord {
  return {
    region: "eu-west-1",
    imageId: `ami-1${family.padEnd(16, "0")}`,
    state,
    role: "copy",
    snapshotIds: ["snap-0copy0000000001"],
    copyAttempts: 1,
    updatedAt: "2026-11-20T10:00:00.000Z",
    ...(state === "available" ? { availableAt: "2026-11-20T10:00:00.000Z" } : {}),
    ...extra,
  };
}

describe("a region's `available` notification claim, kept on its region item", () => {
  const { client, tableName, calls } = useCountedTable("region-claims");
  const documents = DynamoDBDocumentClient.from(client);
  const registry = () => new DynamoVersionRegistry({ client, tableName, clock, claimLeaseSeconds: 120 });
  const availableKey = (family: string) => `notify:available:${family}:1:eu-west-1`;

  it("is taken by the write that records the region available: the notification's take costs no round trip", async () => {
    // Prepare
    const writer = registry();
    await writer.registerVersion(newVersion("taken"));
    await writer.putRegionImage("taken", 1, copy("taken", "available"), {
      expectImageId: "ami-1taken00000000000",
      leaseClaims: [availableKey("taken")],
    });
    calls.length = 0;

    // Act
    const lease = await writer.takeClaim(availableKey("taken"));
    const callsOfTake = calls.length;
    await writer.completeClaim(availableKey("taken"));
    const elsewhere = await registry().takeClaim(availableKey("taken"));

    // Assess
    expect(lease.state).toBe("taken");
    expect(callsOfTake).toBe(0);
    expect(elsewhere).toEqual({ state: "done" });
  });

  it("hands the claim to one of two concurrent writes of the same available region", async () => {
    // Prepare
    const [first, second] = [registry(), registry()];
    await first.registerVersion(newVersion("racing"));
    const record = copy("racing", "available");

    // Act
    await Promise.all([
      first.putRegionImage("racing", 1, record, {
        expectImageId: record.imageId ?? null,
        leaseClaims: [availableKey("racing")],
      }),
      second.putRegionImage("racing", 1, record, {
        expectImageId: record.imageId ?? null,
        leaseClaims: [availableKey("racing")],
      }),
    ]);
    const leases = await Promise.all([first, second].map((one) => one.takeClaim(availableKey("racing"))));

    // Assess
    expect(leases.map((lease) => lease.state).sort()).toEqual(["held", "taken"]);
    expect((await first.getVersion("racing", 1))?.regions["eu-west-1"]).toEqual(record);
  });

  it("survives later writes of the region: a region available again is not announced again", async () => {
    // Prepare
    const writer = registry();
    await writer.registerVersion(newVersion("restored"));
    await writer.putRegionImage("restored", 1, copy("restored", "available"));
    await writer.takeClaim(availableKey("restored"));
    await writer.completeClaim(availableKey("restored"));

    // Act
    const later = registry();
    await later.putRegionImage("restored", 1, copy("restored", "recoverable", { retiredBy: "service" }));
    await later.putRegionImage("restored", 1, copy("restored", "available"));
    const again = await later.takeClaim(availableKey("restored"));
    const fresh = await registry().takeClaim(availableKey("restored"));

    // Assess
    expect(again).toEqual({ state: "done" });
    expect(fresh).toEqual({ state: "done" });
    expect((await later.getVersion("restored", 1))?.regions["eu-west-1"]).toEqual(
      copy("restored", "available"),
    );
  });

  it("is left free by a write of an available region that does not lease it (a marker, a restore)", async () => {
    // Prepare
    const writer = registry();
    await writer.registerVersion(newVersion("marked"));
    await writer.putRegionImage("marked", 1, copy("marked", "available"));

    // Act: the region's record changes again (the service's protection marker), then an event's take
    await writer.putRegionImage(
      "marked",
      1,
      copy("marked", "available", { pointerProtectedAt: "2026-11-20T10:05:00.000Z" }),
      { expectImageId: copy("marked", "available").imageId ?? null },
    );
    const take = await registry().takeClaim(availableKey("marked"));

    // Assess: nobody holds a lease no notification stands behind
    expect(take.state).toBe("taken");
  });

  it("is taken again at once after its holder gave it back", async () => {
    // Prepare
    const writer = registry();
    await writer.registerVersion(newVersion("released"));
    await writer.putRegionImage("released", 1, copy("released", "available"), {
      leaseClaims: [availableKey("released")],
    });
    const lease = await writer.takeClaim(availableKey("released"));
    if (lease.state !== "taken") throw new Error("expected the write's lease");

    // Act
    await writer.releaseLease(availableKey("released"), lease.leaseId);
    const retry = await registry().takeClaim(availableKey("released"));

    // Assess
    expect(retry.state).toBe("taken");
  });

  it("stays in its claim item for a region announced before claims lived on the region item", async () => {
    // Prepare
    const writer = registry();
    await writer.registerVersion(newVersion("legacy"));
    await documents.send(
      new PutCommand({
        TableName: tableName,
        Item: {
          pk: "FAMILY#legacy",
          sk: "V#0000000001#R#eu-west-1",
          entity: "region",
          family: "legacy",
          version: 1,
          ...copy("legacy", "available"),
        },
      }),
    );
    await documents.send(
      new PutCommand({
        TableName: tableName,
        Item: { pk: `CLAIM#${availableKey("legacy")}`, sk: "CLAIM", entity: "claim", claimState: "done" },
      }),
    );

    // Act
    await writer.putRegionImage("legacy", 1, copy("legacy", "available", { sizeGiB: 8 }));
    const take = await registry().takeClaim(availableKey("legacy"));

    // Assess
    expect(take).toEqual({ state: "done" });
  });
});
