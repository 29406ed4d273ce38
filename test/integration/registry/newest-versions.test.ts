import { createRegistryTable, DynamoVersionRegistry } from "@ami-lifecycle/aws";
import type { VersionRecord } from "@ami-lifecycle/core";
import { dynamoDbLocalClientConfig } from "@ami-lifecycle/simulated-account";
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";

const family = "newest";
const destinations = ["ap-southeast-2", "eu-west-1", "us-west-2"];

describe("DynamoVersionRegistry.newestVersions on DynamoDB Local", () => {
  const client = new DynamoDBClient(dynamoDbLocalClientConfig(inject("dynamoEndpoint")));
  const tableName = `registry-newest-${Date.now()}-${Math.floor(Math.random() * 1e6)}`;
  const registry = new DynamoVersionRegistry({
    client,
    tableName,
    clock: { now: () => new Date("2025-03-02T00:00:00.000Z") },
  });
  const queries: number[] = [];
  const capacityAsked: (string | undefined)[] = [];

  beforeAll(async () => {
    await createRegistryTable(client, tableName);
    // 9 versions with 1 to 4 regions each (2 to 5 items): 16-item pages end in the middle of a version.
    for (let index = 1; index <= 9; index++) {
      await registry.registerVersion({
        family,
        region: "us-east-1",
        imageId: `ami-${index}`,
        name: `newest-${index}`,
        createdAt: "2025-03-01T10:00:00.000Z",
        state: "available",
        snapshotIds: [`snap-${index}`],
      });
      for (const region of destinations.slice(0, index % 4)) {
        await registry.putRegionImage(family, index, {
          region,
          imageId: `ami-${index}-${region}`,
          state: "available",
          role: "copy",
          snapshotIds: [],
          copyAttempts: 1,
          updatedAt: "2025-03-01T11:00:00.000Z",
        });
      }
    }
    client.middlewareStack.add(
      (next, context) => async (args) => {
        if (context.commandName === "QueryCommand") queries.push(Date.now());
        return next(args);
      },
      { step: "initialize", name: "countQueries" },
    );
    client.middlewareStack.add(
      (next) => async (args) => {
        capacityAsked.push((args.input as { ReturnConsumedCapacity?: string }).ReturnConsumedCapacity);
        return next(args);
      },
      { step: "build", name: "seeCapacityRequests" },
    );
  });
  afterAll(() => client.destroy());

  it("yields every version newest first, each with all its regions, across page boundaries", async () => {
    // Prepare
    const ascending = await registry.listVersions(family);
    queries.length = 0;

    // Act
    const newest: VersionRecord[] = [];
    for await (const version of registry.newestVersions(family)) newest.push(version);

    // Assess
    expect(newest.map((version) => version.version)).toEqual([9, 8, 7, 6, 5, 4, 3, 2, 1]);
    expect(newest).toEqual([...ascending].reverse());
    expect(queries.length).toBeGreaterThan(1);
  });

  it("asks DynamoDB for the consumed capacity on every call, reads and writes alike", async () => {
    // Prepare
    capacityAsked.length = 0;

    // Act
    await registry.getVersion(family, 1);
    await registry.findByImageId("ami-1");
    await registry.setMarker(`capacity-${Date.now()}`);
    for await (const _ of registry.newestVersions(family)) break;

    // Assess
    expect(capacityAsked).toEqual(["TOTAL", "TOTAL", "TOTAL", "TOTAL"]);
  });

  it("reads only the first page when the caller stops at the newest version", async () => {
    // Prepare
    queries.length = 0;

    // Act
    let first: VersionRecord | undefined;
    for await (const version of registry.newestVersions(family)) {
      first = version;
      break;
    }

    // Assess
    expect(first?.version).toBe(9);
    expect(Object.keys(first?.regions ?? {}).sort()).toEqual(["ap-southeast-2", "us-east-1"]);
    expect(queries).toHaveLength(1);
  });
});
