import { createRegistryTable, DynamoVersionRegistry } from "@ami-lifecycle/aws";
import { dynamoDbLocalClientConfig } from "@ami-lifecycle/simulated-account";
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { ManualClock } from "../../support/manual-clock";

describe("one-time claims as leases on DynamoDB Local", () => {
  const client = new DynamoDBClient(dynamoDbLocalClientConfig(inject("dynamoEndpoint")));
  const tableName = `claims-${Date.now()}-${Math.floor(Math.random() * 1e6)}`;
  const clock = new ManualClock(new Date("2026-11-20T10:00:00.000Z"));
  const registry = new DynamoVersionRegistry({ client, tableName, clock, claimLeaseSeconds: 120 });

  beforeAll(() => createRegistryTable(client, tableName));
  afterAll(() => client.destroy());

  it("gives the lease to exactly one of 20 concurrent callers; the others see it held", async () => {
    // Act
    const racers = await Promise.all(Array.from({ length: 20 }, () => registry.takeClaim("notify:race")));

    // Assess
    expect(racers.filter((lease) => lease.state === "taken")).toHaveLength(1);
    expect(racers.filter((lease) => lease.state === "held")).toHaveLength(19);
  });

  it("lets a later attempt take over a pending claim whose lease ran out, not before", async () => {
    // Prepare: an attempt took the claim and died before completing it
    await registry.takeClaim("notify:abandoned");

    // Act
    clock.advanceSeconds(119);
    const beforeExpiry = await registry.takeClaim("notify:abandoned");
    clock.advanceSeconds(2);
    const afterExpiry = await registry.takeClaim("notify:abandoned");

    // Assess
    expect(beforeExpiry).toEqual({ state: "held" });
    expect(afterExpiry.state).toBe("taken");
  });

  it("never hands out a done claim again, however long after", async () => {
    // Prepare
    await registry.takeClaim("notify:sent");
    await registry.completeClaim("notify:sent");

    // Act
    const right = await registry.takeClaim("notify:sent");
    clock.advanceSeconds(3600);
    const later = await registry.takeClaim("notify:sent");

    // Assess
    expect([right, later]).toEqual([{ state: "done" }, { state: "done" }]);
  });

  it("frees the claim on release by its holder, and ignores a release by a holder whose lease was taken over", async () => {
    // Prepare
    const first = await registry.takeClaim("notify:released");
    if (first.state !== "taken") throw new Error("first take must succeed");

    // Act
    await registry.releaseLease("notify:released", first.leaseId);
    const second = await registry.takeClaim("notify:released");
    clock.advanceSeconds(121);
    const third = await registry.takeClaim("notify:released");
    if (second.state !== "taken" || third.state !== "taken") throw new Error("takes must succeed");
    await registry.releaseLease("notify:released", second.leaseId);
    const whileThirdHolds = await registry.takeClaim("notify:released");
    await registry.completeClaim("notify:released");
    await registry.releaseLease("notify:released", third.leaseId);
    const afterDone = await registry.takeClaim("notify:released");

    // Assess
    expect(whileThirdHolds).toEqual({ state: "held" });
    expect(afterDone).toEqual({ state: "done" });
  });

  it("treats a claim item without lease state (written before leases, the layout markers keep) as done", async () => {
    // Prepare
    await registry.setMarker("notify:legacy");

    // Act
    clock.advanceSeconds(3600);
    const lease = await registry.takeClaim("notify:legacy");

    // Assess
    expect(lease).toEqual({ state: "done" });
  });
});
