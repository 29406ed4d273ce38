import { DynamoVersionRegistry } from "@ami-lifecycle/aws";
import type { NewVersion } from "@ami-lifecycle/core";
import { DynamoDBDocumentClient, GetCommand, UpdateCommand } from "@aws-sdk/lib-dynamodb";
import { describe, expect, it } from "vitest";
import { useCountedTable } from "../../support/counted-registry";
import { ManualClock } from "../../support/manual-clock";

function newVersion(family: string, imageId: string): NewVersion {
  return {
    family,
    region: "us-east-1",
    imageId,
    name: `${family}-1`,
    createdAt: "2026-11-20T09:00:00.000Z",
    state: "pending",
    snapshotIds: [],
  };
}

describe("a version's `registered` notification claim, kept on its version item", () => {
  const { client, tableName, calls } = useCountedTable("version-claims");
  const documents = DynamoDBDocumentClient.from(client);
  const clock = new ManualClock(new Date("2026-11-20T10:00:00.000Z"));
  const registry = new DynamoVersionRegistry({ client, tableName, clock, claimLeaseSeconds: 120 });
  const claimItem = async (key: string) =>
    (await documents.send(new GetCommand({ TableName: tableName, Key: { pk: `CLAIM#${key}`, sk: "CLAIM" } })))
      .Item;

  it("is leased once, held while pending, taken over after its lease, and never handed out once done", async () => {
    // Prepare
    const { version } = await registry.registerVersion(newVersion("inline", "ami-0inline000000001"));
    const key = `notify:registered:inline:${version.version}`;

    // Act
    const racers = await Promise.all(Array.from({ length: 10 }, () => registry.takeClaim(key)));
    clock.advanceSeconds(121);
    const takeover = await registry.takeClaim(key);
    if (takeover.state === "taken") await registry.completeClaim(key);
    clock.advanceSeconds(3600);
    const later = await registry.takeClaim(key);

    // Assess
    expect(racers.filter((lease) => lease.state === "taken")).toHaveLength(1);
    expect(racers.filter((lease) => lease.state === "held")).toHaveLength(9);
    expect(takeover.state).toBe("taken");
    expect(later).toEqual({ state: "done" });
    expect(await claimItem(key)).toBeUndefined();
  });

  it("gives a released lease back at once, but not another holder's", async () => {
    // Prepare
    const { version } = await registry.registerVersion(newVersion("released", "ami-0inline000000002"));
    const key = `notify:registered:released:${version.version}`;
    const first = await registry.takeClaim(key);

    // Act
    await registry.releaseLease(key, "someone-else");
    const whileHeld = await registry.takeClaim(key);
    if (first.state === "taken") await registry.releaseLease(key, first.leaseId);
    const afterRelease = await registry.takeClaim(key);

    // Assess
    expect(first.state).toBe("taken");
    expect(whileHeld).toEqual({ state: "held" });
    expect(afterRelease.state).toBe("taken");
  });

  it("is leased by the registration itself: its reaction's take makes no call, any other attempt sees it held", async () => {
    // Prepare
    const { version } = await registry.registerVersion(newVersion("leased", "ami-0inline000000005"));
    const key = `notify:registered:leased:${version.version}`;
    const other = new DynamoVersionRegistry({ client, tableName, clock });

    // Act
    const before = calls.length;
    const own = await registry.takeClaim(key);
    const ownCalls = calls.length - before;
    const elsewhere = await other.takeClaim(key);
    const again = await registry.takeClaim(key);

    // Assess
    expect(own.state).toBe("taken");
    expect(ownCalls).toBe(0);
    expect(elsewhere).toEqual({ state: "held" });
    expect(again).toEqual({ state: "held" });
  });

  it("does not use a registration's lease once it ran out: a later attempt may have taken it over", async () => {
    // Prepare
    const { version } = await registry.registerVersion(newVersion("expired", "ami-0inline000000006"));
    const key = `notify:registered:expired:${version.version}`;
    clock.advanceSeconds(121);
    const other = new DynamoVersionRegistry({ client, tableName, clock });
    const takeover = await other.takeClaim(key);

    // Act
    const stale = await registry.takeClaim(key);

    // Assess
    expect(takeover.state).toBe("taken");
    expect(stale).toEqual({ state: "held" });
  });

  it("is known done from the version read: taking it again makes no DynamoDB call", async () => {
    // Prepare
    const { version } = await registry.registerVersion(newVersion("known", "ami-0inline000000003"));
    const key = `notify:registered:known:${version.version}`;
    await registry.takeClaim(key);
    await registry.completeClaim(key);
    const fresh = new DynamoVersionRegistry({ client, tableName, clock });
    await fresh.getVersion("known", version.version);

    // Act
    const before = calls.length;
    const again = await fresh.takeClaim(key);

    // Assess
    expect(again).toEqual({ state: "done" });
    expect(calls.length - before).toBe(0);
  });

  it("stays on its claim item for a version registered before claims moved onto version items", async () => {
    // Prepare: a version item without the flag, whose registered claim item is done
    const { version } = await registry.registerVersion(newVersion("legacy", "ami-0inline000000004"));
    await documents.send(
      new UpdateCommand({
        TableName: tableName,
        Key: { pk: "FAMILY#legacy", sk: `V#${String(version.version).padStart(10, "0")}` },
        UpdateExpression: "REMOVE inlineClaims",
      }),
    );
    const key = `notify:registered:legacy:${version.version}`;

    // Act
    const first = await registry.takeClaim(key);
    await registry.completeClaim(key);
    const again = await registry.takeClaim(key);

    // Assess
    expect(first.state).toBe("taken");
    expect(again).toEqual({ state: "done" });
    expect((await claimItem(key))?.claimState).toBe("done");
  });
});
