import { LifecycleTag } from "@ami-lifecycle/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { build, pipelineRoleArn, type ScenarioWorld, startScenarioWorld } from "../support/event-builds";
import { cloudTrailDetailType, EventDelivery, orderlyDelivery } from "../support/event-delivery";

const MINUTE = 60_000;

function tagsOf(world: ScenarioWorld, region: string, imageId: string): Record<string, string> {
  const tags = world.account.image(region, imageId)?.Tags ?? [];
  return Object.fromEntries(tags.map((tag) => [tag.Key ?? "", tag.Value ?? ""]));
}

/**
 * A registered image is available at once, and CloudTrail delivery often lags by minutes: the state
 * change registers the version before anyone knows who built it. The late CloudTrail record must still
 * end in the same registry and tags as the orderly run.
 */
describe("a CloudTrail record that arrives after the version was registered", () => {
  let world: ScenarioWorld;
  let sourceImageId: string;
  let lateRecordResult: unknown;
  let earlyResults: unknown[];

  beforeAll(async () => {
    world = await startScenarioWorld();
    const delivery = new EventDelivery(world.deployment, orderlyDelivery);
    sourceImageId = await build(world, { name: "base-al2023-2026.11.20.1", call: "RegisterImage" });
    // The build's CloudTrail record is held back; the state changes, the copies they start and those
    // copies' events are delivered first.
    const records = world.account.drainEvents();
    expect(records.map((event) => event["detail-type"])).toEqual([cloudTrailDetailType]);
    const early = await delivery.advance(10 * MINUTE);
    earlyResults = early.map((delivered) => delivered.result);
    lateRecordResult = (await world.deployment.deliver(records[0] as (typeof records)[number])).result;
    await delivery.advance(30 * MINUTE);
  });
  afterAll(() => world.deployment.stop());

  it("records the creator on the version it did not know", async () => {
    // Act
    const version = await world.deployment.runtime.reactions.registry.getVersion("base-al2023", 1);

    // Assess
    expect(earlyResults[0]).toMatchObject({
      outcome: "recorded",
      version: 1,
      role: "source",
      actions: expect.arrayContaining(["notified:registered", "notified:available"]),
    });
    expect(lateRecordResult).toMatchObject({
      outcome: "recorded",
      version: 1,
      actions: expect.arrayContaining(["recorded:created-by", "tagged"]),
    });
    expect(version?.createdBy).toBe(pipelineRoleArn);
  });

  it("tags the source and, by their next state change, the copies started before it with the creator", async () => {
    // Prepare
    const version = await world.deployment.runtime.reactions.registry.getVersion("base-al2023", 1);
    const images = Object.values(version?.regions ?? {}).map((record) => ({
      region: record.region,
      imageId: record.imageId ?? "",
    }));

    // Assess
    expect(images.map((image) => image.region).sort()).toEqual(["ap-southeast-2", "eu-west-1", "us-east-1"]);
    expect(images.find((image) => image.region === "us-east-1")?.imageId).toBe(sourceImageId);
    for (const image of images) {
      expect(tagsOf(world, image.region, image.imageId)[LifecycleTag.createdBy]).toBe(pipelineRoleArn);
    }
  });
});
