import { DynamoVersionRegistry } from "@ami-lifecycle/aws";
import type { Clock, RegionImageRecord } from "@ami-lifecycle/core";
import { DynamoDBDocumentClient, UpdateCommand } from "@aws-sdk/lib-dynamodb";
import { describe, expect, it } from "vitest";
import { useCountedTable } from "../../support/counted-registry";
import { firstVersionOf as newVersion } from "../../support/registry-versions";

let now = new Date("2026-11-20T10:00:00.000Z");
const clock: Clock = { now: () => now };

/** The eu-west-1 copy of version 1 of a family, available (its own image id per family). */
function availableCopy(family: string): RegionImageRecord {
  return {
    region: "eu-west-1",
    imageId: `ami-1${family.padEnd(16, "0")}`,
    state: "available",
    role: "copy",
    snapshotIds: ["snap-0copy0000000001"],
    copyAttempts: 1,
    updatedAt: "2026-11-20T10:00:00.000Z",
    availableAt: "2026-11-20T10:00:00.000Z",
  };
}

describe("a version's `replicated` notification claim, kept on its version item", () => {
  const { client, tableName, calls } = useCountedTable("replicated-claims");
  const documents = DynamoDBDocumentClient.from(client);
  const registry = () => new DynamoVersionRegistry({ client, tableName, clock, claimLeaseSeconds: 120 });
  const replicatedKey = (family: string) => `notify:replicated:${family}:1`;
  const availableKey = (family: string) => `notify:available:${family}:1:eu-west-1`;
  /** The last region's write, leasing the region's `available` claim and the `replicated` one with it (as syncCopy does). */
  const recordLastRegion = (writer: DynamoVersionRegistry, family: string) =>
    writer.putRegionImage(family, 1, availableCopy(family), {
      expectImageId: availableCopy(family).imageId ?? null,
      leaseClaims: [availableKey(family), replicatedKey(family)],
    });

  it("is leased by the write that records the last region: the take costs no round trip, both completions one", async () => {
    // Prepare
    const writer = registry();
    await writer.registerVersion(newVersion("leased"));
    calls.length = 0;
    await recordLastRegion(writer, "leased");
    const callsOfWrite = calls.length;
    calls.length = 0;

    // Act
    const available = await writer.takeClaim(availableKey("leased"));
    const replicated = await writer.takeClaim(replicatedKey("leased"));
    const callsOfTakes = calls.length;
    await writer.completeClaims([availableKey("leased"), replicatedKey("leased")]);
    const callsOfCompletion = calls.length - callsOfTakes;
    const elsewhere = registry();
    await elsewhere.getVersion("leased", 1);
    calls.length = 0;
    const later = await elsewhere.takeClaim(replicatedKey("leased"));

    // Assess
    expect(callsOfWrite).toBe(1);
    expect(available.state).toBe("taken");
    expect(replicated.state).toBe("taken");
    expect(callsOfTakes).toBe(0);
    expect(callsOfCompletion).toBe(1);
    expect(later).toEqual({ state: "done" });
    expect(calls.length).toBe(0);
  });

  it("held by a concurrent write: the region is still recorded, and the other attempt is told it is held", async () => {
    // Prepare: two deliveries of the last copy's event, both leasing
    await registry().registerVersion(newVersion("raced"));
    const first = registry();
    const second = registry();

    // Act
    const written = await Promise.all([recordLastRegion(first, "raced"), recordLastRegion(second, "raced")]);
    const takes = await Promise.all([
      first.takeClaim(replicatedKey("raced")),
      second.takeClaim(replicatedKey("raced")),
    ]);

    // Assess
    expect(written).toEqual([true, true]);
    expect(takes.map((take) => take.state).sort()).toEqual(["held", "taken"]);
    expect((await registry().getVersion("raced", 1))?.regions["eu-west-1"]?.state).toBe("available");
  });

  it("given back by a failed notification, is taken by the retry; a lease that ran out, by anyone", async () => {
    // Prepare
    const writer = registry();
    await writer.registerVersion(newVersion("released"));
    await recordLastRegion(writer, "released");
    const lease = await writer.takeClaim(replicatedKey("released"));
    if (lease.state !== "taken") throw new Error("the write did not lease the claim");

    // Act
    await writer.releaseLease(replicatedKey("released"), lease.leaseId);
    const retry = await registry().takeClaim(replicatedKey("released"));
    const whileHeld = await registry().takeClaim(replicatedKey("released"));
    now = new Date(now.getTime() + 121_000);
    const afterLease = await registry().takeClaim(replicatedKey("released"));

    // Assess
    expect(retry.state).toBe("taken");
    expect(whileHeld).toEqual({ state: "held" });
    expect(afterLease.state).toBe("taken");
  });

  it("of a version registered before it lived there, stays in its claim item: never announced twice", async () => {
    // Prepare: a version without the flag whose replicated notification went out through its claim item
    await registry().registerVersion(newVersion("older"));
    await documents.send(
      new UpdateCommand({
        TableName: tableName,
        Key: { pk: "FAMILY#older", sk: "V#0000000001" },
        UpdateExpression: "REMOVE inlineReplicatedClaim",
      }),
    );
    const before = registry();
    const old = await before.takeClaim(replicatedKey("older"));
    await before.completeClaim(replicatedKey("older"));

    // Act: the last region is recorded again (an enabled copy, say) with the lease asked for
    const writer = registry();
    const written = await recordLastRegion(writer, "older");
    const take = await writer.takeClaim(replicatedKey("older"));

    // Assess
    expect(old.state).toBe("taken");
    expect(written).toBe(true);
    expect(take).toEqual({ state: "done" });
  });
});
