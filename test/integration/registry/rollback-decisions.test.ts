import {
  createRegistryTable,
  DynamoVersionRegistry,
  dynamoRollbackDecisions,
  RollbackDecisionsUnavailableError,
} from "@ami-lifecycle/aws";
import type { RollbackDecision } from "@ami-lifecycle/core";
import { dynamoDbLocalClientConfig } from "@ami-lifecycle/simulated-account";
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";

describe("rollback decisions on DynamoDB Local", () => {
  const client = new DynamoDBClient(dynamoDbLocalClientConfig(inject("dynamoEndpoint")));
  const tableName = `rollbacks-${Date.now()}-${Math.floor(Math.random() * 1e6)}`;
  const registry = new DynamoVersionRegistry({
    client,
    tableName,
    clock: { now: () => new Date("2026-11-20T10:00:00.000Z") },
    rollbackDecisions: dynamoRollbackDecisions,
  });
  const decision = (target: number, withdrawn: number[]): RollbackDecision => ({
    requestId: "req-1",
    family: "web",
    target,
    withdrawn,
    restored: false,
  });

  beforeAll(() => createRegistryTable(client, tableName));
  afterAll(() => client.destroy());

  it("keeps the first decision of a request: a later one (a retry that computed afresh) gets it back", async () => {
    // Act
    const unknown = await registry.getRollbackDecision("req-1");
    const first = await registry.recordRollbackDecision(decision(2, [3]));
    const retry = await registry.recordRollbackDecision(decision(1, [2]));

    // Assess
    expect(unknown).toBeUndefined();
    expect(first).toEqual(decision(2, [3]));
    expect(retry).toEqual(decision(2, [3]));
  });

  it("stores the pointer moves once the decision is applied", async () => {
    // Prepare
    const moves = [{ region: "us-east-1", name: "/ami-lifecycle/web/latest", version: 2, imageId: "ami-2" }];

    // Act
    await registry.markRollbackApplied("req-1", moves);

    // Assess
    expect(await registry.getRollbackDecision("req-1")).toEqual({ ...decision(2, [3]), pointers: moves });
  });

  it("lets exactly one of 10 concurrent first attempts decide", async () => {
    // Act
    const racers = await Promise.all(
      Array.from({ length: 10 }, (_, index) =>
        registry.recordRollbackDecision({ ...decision(index + 1, []), requestId: "req-race" }),
      ),
    );

    // Assess
    expect(new Set(racers.map((recorded) => recorded.target)).size).toBe(1);
  });

  it("refuses every rollback decision call, with a typed error and no write, when built without them (every runtime but the rollback's)", async () => {
    // Prepare
    const withoutDecisions = new DynamoVersionRegistry({
      client,
      tableName,
      clock: { now: () => new Date("2026-11-20T10:00:00.000Z") },
    });

    // Act / Assess
    await expect(withoutDecisions.getRollbackDecision("req-1")).rejects.toBeInstanceOf(
      RollbackDecisionsUnavailableError,
    );
    await expect(
      withoutDecisions.recordRollbackDecision({ ...decision(1, []), requestId: "req-refused" }),
    ).rejects.toBeInstanceOf(RollbackDecisionsUnavailableError);
    await expect(withoutDecisions.markRollbackApplied("req-1", [])).rejects.toBeInstanceOf(
      RollbackDecisionsUnavailableError,
    );
    expect(await registry.getRollbackDecision("req-refused")).toBeUndefined();
  });
});
