import type { Delivery } from "@ami-lifecycle/simulated-account";
import { dynamoDbLocalClientConfig, type EventBridgeEvent } from "@ami-lifecycle/simulated-account";
import { DynamoDBClient, ScanCommand } from "@aws-sdk/client-dynamodb";
import { CopyImageCommand, EC2Client } from "@aws-sdk/client-ec2";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { build, type ScenarioWorld, startScenarioWorld } from "../support/event-builds";
import { cloudTrailDetailType, EventDelivery, orderlyDelivery } from "../support/event-delivery";

const MINUTE = 60_000;

function isCopyImageRecord(event: EventBridgeEvent): boolean {
  return (
    event["detail-type"] === cloudTrailDetailType &&
    (event.detail as { eventName?: string }).eventName === "CopyImage"
  );
}

/**
 * Every copy the service starts comes back as a CloudTrail CopyImage record from its destination region.
 * Those records bring nothing the registry does not know, so they are answered from reads alone, without
 * an idempotency record; anything else that looks like them still gets the full reaction. The tests run
 * in order on one world: the later ones add a hand-made copy and let the copies finish.
 */
describe("CloudTrail records of the service's own copies", () => {
  let world: ScenarioWorld;
  let delivery: EventDelivery;
  let dynamo: DynamoDBClient;
  let copyRecords: Delivery[];
  let sourceImageId: string;

  beforeAll(async () => {
    world = await startScenarioWorld();
    delivery = new EventDelivery(world.deployment, orderlyDelivery);
    dynamo = new DynamoDBClient(dynamoDbLocalClientConfig(inject("dynamoEndpoint")));
    sourceImageId = await build(world, { name: "base-al2023-2026.11.20.1", call: "CreateImage" });
    const deliveries = [...(await delivery.settle()), ...(await delivery.advance(10 * MINUTE))];
    copyRecords = deliveries.filter((delivered) => isCopyImageRecord(delivered.event));
  });
  afterAll(async () => {
    dynamo.destroy();
    await world.deployment.stop();
  });

  async function idempotencyRecords(): Promise<number> {
    const scan = await dynamo.send(new ScanCommand({ TableName: world.deployment.tables.idempotency }));
    return scan.Count ?? 0;
  }

  /** Every registry item, sorted by key: equal before and after means nothing was written. */
  async function registryItems(): Promise<string[]> {
    const scan = await dynamo.send(new ScanCommand({ TableName: world.deployment.tables.registry }));
    return (scan.Items ?? []).map((item) => JSON.stringify(item)).sort();
  }

  it("are recorded as already up to date while the copy is pending, with the version they belong to", () => {
    // Assess
    expect(copyRecords.map((delivered) => delivered.event.region).sort()).toEqual([
      "ap-southeast-2",
      "eu-west-1",
    ]);
    for (const delivered of copyRecords) {
      expect(delivered.error).toBeUndefined();
      expect(delivered.result).toEqual({
        outcome: "recorded",
        family: "base-al2023",
        version: 1,
        role: "copy",
        effects: [],
      });
    }
  });

  it("cost only reads: no idempotency record, no registry or EC2 write, no notification", async () => {
    // Prepare
    const [record] = copyRecords;
    const before = {
      idempotency: await idempotencyRecords(),
      registry: await registryItems(),
      published: world.account.published(world.deployment.topicArn).length,
    };
    world.account.resetCallCounts();

    // Act
    const redelivered = await world.deployment.deliver((record as Delivery).event);

    // Assess
    expect(redelivered.result).toMatchObject({ outcome: "recorded", effects: [] });
    expect(await idempotencyRecords()).toBe(before.idempotency);
    expect(await registryItems()).toEqual(before.registry);
    expect(world.account.published(world.deployment.topicArn)).toHaveLength(before.published);
    expect(Object.keys(world.account.callCounts())).toEqual([
      `${(record as Delivery).event.region}:DescribeImages`,
    ]);
  });

  it("still reacts to a copy made by someone else that carries the version's tags", async () => {
    // Prepare: CopyImageTags brings the source's lifecycle tags along, so only the registry can tell.
    const eu = world.account.client(EC2Client, "eu-west-1");
    await eu.send(
      new CopyImageCommand({
        SourceRegion: "us-east-1",
        SourceImageId: sourceImageId,
        Name: "base-al2023-hand-copy",
        CopyImageTags: true,
      }),
    );
    eu.destroy();

    // Act
    const deliveries = await delivery.settle();

    // Assess
    const handMade = deliveries.filter((delivered) => isCopyImageRecord(delivered.event));
    expect(handMade.map((delivered) => delivered.result)).toEqual([
      { outcome: "ignored", reason: "the version already has an image in this region" },
    ]);
  });

  it("get the full reaction once the copy is no longer pending", async () => {
    // Prepare
    await delivery.advance(20 * MINUTE);
    const [record] = copyRecords;

    // Act
    const redelivered = await world.deployment.deliver((record as Delivery).event);

    // Assess
    expect(redelivered.result).toEqual({
      outcome: "recorded",
      family: "base-al2023",
      version: 1,
      role: "copy",
      effects: [],
    });
  });
});
