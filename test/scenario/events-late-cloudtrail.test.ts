import { LifecycleTag } from "@ami-lifecycle/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { build, pipelineRoleArn, type ScenarioWorld, startScenarioWorld } from "../support/event-builds";
import { cloudTrailDetailType, EventDelivery, orderlyDelivery } from "../support/event-delivery";

const MINUTE = 60_000;

/** A late record's outcome, the first state change's outcome, and the world after everything settled. */
interface LateRecordRun {
  world: ScenarioWorld;
  earlyResult: unknown;
  lateResult: unknown;
}

/**
 * Registers base-al2023 v1 and holds every CloudTrail record back (the build's, then its copies') while
 * `minutesFirst` pass with only state changes delivered; then delivers the held records in order and
 * lets the copies finish.
 */
async function runWithLateRecord(minutesFirst: number): Promise<LateRecordRun> {
  const world = await startScenarioWorld();
  const lateCloudTrail = new EventDelivery(world.deployment, { ...orderlyDelivery, withoutCloudTrail: true });
  await build(world, { name: "base-al2023-2026.11.20.1", call: "RegisterImage" });
  const held = world.account.drainEvents();
  expect(held.map((event) => event["detail-type"])).toEqual([cloudTrailDetailType]);
  const early: unknown[] = [];
  for (let minutes = 0; minutes < minutesFirst; minutes += 10) {
    world.account.advance(10 * MINUTE);
    for (let events = world.account.drainEvents(); events.length > 0; events = world.account.drainEvents()) {
      for (const event of events) {
        if (event["detail-type"] === cloudTrailDetailType) held.push(event);
        else early.push((await world.deployment.deliver(event)).result);
      }
    }
  }
  expect(held).toHaveLength(3);
  const late = await world.deployment.deliver(held[0] as (typeof held)[number]);
  for (const record of held.slice(1)) await world.deployment.deliver(record);
  await lateCloudTrail.advance(30 * MINUTE);
  return { world, earlyResult: early[0], lateResult: late.result };
}

/** The created-by tag of every image of base-al2023 v1 and of each image's snapshots, by region. */
async function creatorTags(world: ScenarioWorld) {
  const version = await world.deployment.runtime.reactions.registry.getVersion("base-al2023", 1);
  const tags: Record<string, { image?: string; snapshots: (string | undefined)[] }> = {};
  for (const record of Object.values(version?.regions ?? {})) {
    const image = world.account.image(record.region, record.imageId ?? "");
    const snapshotIds = (image?.BlockDeviceMappings ?? []).map((mapping) => mapping.Ebs?.SnapshotId);
    const creatorOf = (list: { Key?: string; Value?: string }[] | undefined) =>
      list?.find((tag) => tag.Key === LifecycleTag.createdBy)?.Value;
    tags[record.region] = {
      image: creatorOf(image?.Tags),
      snapshots: world.account
        .snapshots(record.region)
        .filter((snapshot) => snapshotIds.includes(snapshot.SnapshotId))
        .map((snapshot) => creatorOf(snapshot.Tags)),
    };
  }
  return { createdBy: version?.createdBy, tags };
}

const everyImageAndSnapshotTagged = {
  "us-east-1": { image: pipelineRoleArn, snapshots: [pipelineRoleArn] },
  "eu-west-1": { image: pipelineRoleArn, snapshots: [pipelineRoleArn] },
  "ap-southeast-2": { image: pipelineRoleArn, snapshots: [pipelineRoleArn] },
};

/**
 * A registered image is available at once, and CloudTrail delivery often lags by minutes: the state
 * change registers the version (and starts its copies) before anyone knows who built it. The late
 * CloudTrail record must still end in the same registry and tags as the orderly run.
 */
describe("a CloudTrail record that arrives after the version was registered", () => {
  describe("while the copies are still pending", () => {
    let run: LateRecordRun;
    beforeAll(async () => {
      run = await runWithLateRecord(10);
    });
    afterAll(() => run.world.deployment.stop());

    it("records the creator on the version it did not know", async () => {
      // Assess
      expect(run.earlyResult).toMatchObject({
        outcome: "recorded",
        version: 1,
        role: "source",
        effects: expect.arrayContaining([
          { kind: "notified", type: "registered" },
          { kind: "notified", type: "available" },
        ]),
      });
      expect(run.lateResult).toMatchObject({
        outcome: "recorded",
        version: 1,
        effects: expect.arrayContaining([{ kind: "creator-recorded" }, { kind: "tagged" }]),
      });
      expect((await creatorTags(run.world)).createdBy).toBe(pipelineRoleArn);
    });

    it("tags the copies and their snapshots when they finish", async () => {
      // Act
      const { tags } = await creatorTags(run.world);

      // Assess
      expect(tags).toEqual(everyImageAndSnapshotTagged);
    });
  });

  describe("after the copies finished", () => {
    let run: LateRecordRun;
    beforeAll(async () => {
      run = await runWithLateRecord(60);
    });
    afterAll(() => run.world.deployment.stop());

    it("tags the finished copies and their snapshots at once, then records the creator", async () => {
      // Act
      const { createdBy, tags } = await creatorTags(run.world);

      // Assess
      expect(run.lateResult).toMatchObject({
        outcome: "recorded",
        effects: expect.arrayContaining([
          { kind: "copy-tagged", region: "eu-west-1" },
          { kind: "copy-tagged", region: "ap-southeast-2" },
          { kind: "creator-recorded" },
        ]),
      });
      expect(createdBy).toBe(pipelineRoleArn);
      expect(tags).toEqual(everyImageAndSnapshotTagged);
    });
  });
});
