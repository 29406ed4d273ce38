import type { EventBridgeEvent } from "@ami-lifecycle/simulated-account";
import { CopyImageCommand, EC2Client } from "@aws-sdk/client-ec2";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { build, type ScenarioWorld, startScenarioWorld } from "../support/event-builds";
import { EventDelivery, orderlyDelivery } from "../support/event-delivery";
import { sampleEvent } from "../support/event-samples";

const MINUTE = 60_000;
const otherAccount = "444455556666";

/** EC2 calls that change something: none may be made for an image the service does not manage. */
const mutatingCalls = [
  "CreateTags",
  "CopyImage",
  "DeregisterImage",
  "DisableImage",
  "EnableImageDeprecation",
];

describe("images the service does not manage", () => {
  let world: ScenarioWorld;
  let delivery: EventDelivery;
  let managedCopyInEu: string;
  let managedSource: string;

  beforeAll(async () => {
    world = await startScenarioWorld({ unmanagedRegions: ["us-west-2"] });
    delivery = new EventDelivery(world.deployment, orderlyDelivery);
    managedSource = await build(world, { name: "base-al2023-2026.11.20.1", call: "CreateImage" });
    await delivery.settle();
    await delivery.advance(10 * MINUTE);
    await delivery.advance(20 * MINUTE);
    const version = await world.deployment.runtime.reactions.registry.getVersion("base-al2023", 1);
    managedCopyInEu = version?.regions["eu-west-1"]?.imageId ?? "";
  });
  afterAll(() => world.deployment.stop());

  /**
   * Runs `act` (someone else's EC2 calls), delivers what it caused plus `extraEvents`, and reports what
   * the service did meanwhile; call counts start after `act`, so they are the service's own.
   */
  async function observe(act: () => Promise<string[]>, extraEvents: EventBridgeEvent[] = []) {
    const { account, deployment } = world;
    const published = account.published(deployment.topicArn).length;
    const families = await deployment.runtime.reactions.registry.listFamilies();
    const versions = await deployment.runtime.reactions.registry.listVersions("base-al2023");
    const imageIds = await act();
    account.resetCallCounts();
    const deliveries = [...(await delivery.settle()), ...(await delivery.advance(30 * MINUTE))];
    for (const event of extraEvents) deliveries.push(await deployment.deliver(event));
    const calls = Object.entries(account.callCounts())
      .filter(([key]) => mutatingCalls.includes(key.split(":")[1] ?? ""))
      .map(([key]) => key);
    const claims = await Promise.all(
      imageIds.map((imageId) => deployment.runtime.reactions.registry.findByImageId(imageId)),
    );
    return {
      deliveries,
      mutatingCalls: calls,
      newNotifications: account.published(deployment.topicArn).slice(published),
      familiesChanged:
        JSON.stringify(await deployment.runtime.reactions.registry.listFamilies()) !==
        JSON.stringify(families),
      versionsChanged:
        JSON.stringify(await deployment.runtime.reactions.registry.listVersions("base-al2023")) !==
        JSON.stringify(versions),
      claims,
    };
  }

  it("leaves an image whose name matches no family untouched", async () => {
    // Act
    let imageId = "";
    const outcome = await observe(async () => {
      imageId = await build(world, { name: "scratch-experiment-42", call: "CreateImage" });
      return [imageId];
    });

    // Assess
    expect(outcome.deliveries.map((delivery) => delivery.result)).toEqual([
      { outcome: "ignored", reason: expect.stringContaining("not managed") },
      { outcome: "ignored", reason: expect.stringContaining("not managed") },
    ]);
    expect(world.account.image("us-east-1", imageId)?.Tags ?? []).toEqual([]);
    expect(outcome).toMatchObject({
      mutatingCalls: [],
      newNotifications: [],
      familiesChanged: false,
      claims: [undefined],
    });
  });

  it("leaves an image built in a region the service does not manage untouched, without calling EC2 there", async () => {
    // Act
    let imageId = "";
    const outcome = await observe(async () => {
      const west = world.account.client(EC2Client, "us-west-2");
      imageId = (
        await west.send(
          new CopyImageCommand({
            SourceRegion: "us-east-1",
            SourceImageId: managedSource,
            Name: "base-al2023-west",
          }),
        )
      ).ImageId as string;
      west.destroy();
      return [imageId];
    });

    // Assess
    expect(outcome.deliveries).toHaveLength(2);
    for (const delivered of outcome.deliveries) {
      expect(delivered.error).toBeUndefined();
      expect(delivered.result).toEqual({ outcome: "ignored", reason: "region not managed" });
    }
    expect(world.account.image("us-west-2", imageId)?.Tags ?? []).toEqual([]);
    expect(world.account.callCounts()["us-west-2:DescribeImages"]).toBeUndefined();
    expect(outcome).toMatchObject({ mutatingCalls: [], newNotifications: [], versionsChanged: false });
    expect(outcome.claims).toEqual([undefined]);
  });

  it("leaves a second copy someone made into a destination that already has the service's copy untouched", async () => {
    // Act
    let imageId = "";
    const outcome = await observe(async () => {
      const eu = world.account.client(EC2Client, "eu-west-1");
      imageId = (
        await eu.send(
          new CopyImageCommand({
            SourceRegion: "us-east-1",
            SourceImageId: managedSource,
            Name: "base-al2023-hand-copy",
          }),
        )
      ).ImageId as string;
      eu.destroy();
      return [imageId];
    });

    // Assess
    expect(imageId).not.toBe(managedCopyInEu);
    expect(outcome.deliveries.map((delivery) => delivery.result)).toEqual([
      { outcome: "ignored", reason: "the version already has an image in this region" },
      { outcome: "ignored", reason: "the version already has an image in this region" },
    ]);
    expect(world.account.image("eu-west-1", imageId)?.Tags ?? []).toEqual([]);
    expect(outcome).toMatchObject({
      mutatingCalls: [],
      newNotifications: [],
      versionsChanged: false,
      claims: [undefined],
    });
  });

  it("leaves events about another account's images untouched, without calling EC2", async () => {
    // Prepare
    const stateChange = sampleEvent("ami-state-available.json");
    stateChange.account = otherAccount;
    const apiCall = sampleEvent("cloudtrail-create-image.json");
    apiCall.account = otherAccount;
    apiCall.detail.recipientAccountId = otherAccount;

    // Act
    const outcome = await observe(async () => [stateChange.detail.ImageId], [stateChange, apiCall]);

    // Assess
    expect(outcome.deliveries.map((delivery) => delivery.result)).toEqual([
      { outcome: "ignored", reason: "image of another account" },
      { outcome: "ignored", reason: "call made in another account" },
    ]);
    expect(world.account.callCounts()).toEqual({});
    expect(outcome).toMatchObject({ mutatingCalls: [], newNotifications: [], versionsChanged: false });
  });
});
