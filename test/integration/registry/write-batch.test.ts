import { createRegistryTable, DynamoVersionRegistry } from "@ami-lifecycle/aws";
import type { Clock, RegionImageRecord, RegistryBatchWrite } from "@ami-lifecycle/core";
import { dynamoDbLocalClientConfig } from "@ami-lifecycle/simulated-account";
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { availableInIreland as newVersion } from "../../support/registry-versions";

const clock: Clock = { now: () => new Date("2025-03-02T00:00:00.000Z") };

/** The source record of a version registered with `newVersion`, now disabled by the service. */
function disabled(imageId: string): RegionImageRecord {
  return {
    region: "eu-west-1",
    imageId,
    state: "disabled",
    role: "source",
    snapshotIds: [`snap-${imageId}`],
    copyAttempts: 0,
    retiredBy: "service",
    updatedAt: "2025-03-02T00:00:00.000Z",
  };
}

/** Registers `count` versions of a family (images `ami-<family>-<n>`). */
async function registerVersions(registry: DynamoVersionRegistry, family: string, count: number) {
  for (let index = 1; index <= count; index++) {
    await registry.registerVersion(newVersion(family, `ami-${family}-${index}`));
  }
}

/** A pass's writes for versions 1..count: the disabled record, then the stage advance, per version. */
function disablePass(family: string, count: number): RegistryBatchWrite[] {
  const versions = Array.from({ length: count }, (_, index) => index + 1);
  return [
    ...versions.map(
      (version): RegistryBatchWrite => ({
        kind: "region-image",
        version,
        record: disabled(`ami-${family}-${version}`),
        expectImageId: `ami-${family}-${version}`,
      }),
    ),
    ...versions.map((version): RegistryBatchWrite => ({ kind: "advance-stage", version, stage: "disabled" })),
  ];
}

describe("DynamoVersionRegistry.writeBatch on DynamoDB Local", () => {
  const client = new DynamoDBClient(dynamoDbLocalClientConfig(inject("dynamoEndpoint")));
  const tableName = `registry-write-batch-${Date.now()}-${Math.floor(Math.random() * 1e6)}`;
  const registry = new DynamoVersionRegistry({ client, tableName, clock });
  const calls: string[] = [];
  client.middlewareStack.add(
    (next, context) => (args) => {
      calls.push(String(context.commandName));
      return next(args);
    },
    { step: "initialize", name: "countCalls" },
  );

  beforeAll(async () => {
    await createRegistryTable(client, tableName);
  });
  afterAll(() => client.destroy());

  it("writes a pass's records and stage advances of many versions in one transaction per 100 items", async () => {
    // Prepare: 60 versions, 120 writes.
    await registerVersions(registry, "many", 60);
    calls.length = 0;

    // Act
    const results = await registry.writeBatch("many", disablePass("many", 60));

    // Assess
    expect(results.filter((result) => !(result.ok && result.written))).toEqual([]);
    expect(calls).toEqual(["TransactWriteItemsCommand", "TransactWriteItemsCommand"]);
    const versions = await registry.listVersions("many");
    expect(versions.map((version) => version.stage)).toEqual(versions.map(() => "disabled"));
    expect(versions.map((version) => version.regions["eu-west-1"]?.state)).toEqual(
      versions.map(() => "disabled"),
    );
    expect(versions[0]?.stageDates?.disabled).toBe(clock.now().toISOString());
  });

  it("keeps each write's condition: a raced region is not overwritten and its version keeps its stage, the others are written", async () => {
    // Prepare: v2's region holds another image than the one the sweep acted on.
    await registerVersions(registry, "raced", 3);
    await registry.putRegionImage("raced", 2, { ...disabled("ami-raced-other"), state: "available" });

    // Act
    const results = await registry.writeBatch("raced", disablePass("raced", 3));

    // Assess
    expect(results.map((result) => result.ok && result.written)).toEqual([
      true,
      false,
      true,
      true,
      false,
      true,
    ]);
    expect(results[4]?.ok).toBe(false);
    const versions = await registry.listVersions("raced");
    expect(versions.map((version) => [version.version, version.stage])).toEqual([
      [1, "disabled"],
      [2, "active"],
      [3, "disabled"],
    ]);
    expect(versions[1]?.regions["eu-west-1"]).toMatchObject({
      imageId: "ami-raced-other",
      state: "available",
    });
  });

  it("answers a stage already reached as not written, like advanceStage, and writes the rest", async () => {
    // Prepare
    await registerVersions(registry, "ahead", 2);
    await registry.advanceStage("ahead", 1, "disabled");

    // Act
    const results = await registry.writeBatch("ahead", [
      { kind: "advance-stage", version: 1, stage: "deprecated" },
      { kind: "advance-stage", version: 2, stage: "deprecated" },
    ]);

    // Assess
    expect(results).toEqual([
      { ok: true, written: false },
      { ok: true, written: true },
    ]);
    expect((await registry.getVersion("ahead", 1))?.stage).toBe("disabled");
    expect((await registry.getVersion("ahead", 2))?.stage).toBe("deprecated");
  });
});
