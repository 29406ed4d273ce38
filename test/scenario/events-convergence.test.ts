import { LifecycleTag } from "@ami-lifecycle/core";
import type { FaultOptions } from "@ami-lifecycle/simulated-account";
import { beforeAll, describe, expect, it } from "vitest";
import {
  pipelineRoleArn,
  reactionEc2Operations,
  runPlannedBuilds,
  startScenarioWorld,
} from "../support/event-builds";
import {
  type DeliveryMode,
  EventDelivery,
  orderlyDelivery,
  redeliverDeadLetters,
} from "../support/event-delivery";
import { type ConvergenceSnapshot, takeSnapshot, withoutCreator } from "../support/event-snapshot";

/**
 * Two families, three builds each (CreateImage and RegisterImage by the pipeline in us-east-1), copied
 * to eu-west-1 and ap-southeast-2; payments-api's ap-southeast-2 key does not exist, so those copies fail
 * asynchronously, are retried once (maxCopyAttempts 2) and then reported as final.
 *
 * AWS realities the comparisons respect:
 * - EC2 does not keep who created an image: `ami-lifecycle:created-by` and the registry's `createdBy`
 *   exist only when CloudTrail delivered the call, so the run without CloudTrail is compared without them.
 * - Version numbers are allocated in order of first observation. Builds are 15 minutes apart and events
 *   are delivered every 5 minutes, so shuffling happens within each build's batch (duplicates may spill
 *   into later batches) and first deliveries of two builds never interleave.
 * - Image ids differ between runs when the simulator's id sequence does: snapshots name images by
 *   region, name and creation order instead.
 */
describe("event reactions converge whatever EventBridge does", () => {
  let reference: ConvergenceSnapshot;

  async function runScenario(mode: DeliveryMode, faults?: FaultOptions, sdkMaxAttempts?: number) {
    const world = await startScenarioWorld(sdkMaxAttempts ? { sdkMaxAttempts } : {});
    try {
      const delivery = new EventDelivery(world.deployment, mode);
      await runPlannedBuilds(world, delivery, faults);
      const deadLettered = world.deployment.deadLetters.length;
      // Models the scheduled reconciliation: what exhausted Lambda's retries is handled again later.
      const redelivered = await redeliverDeadLetters(world.deployment);
      await delivery.settle();
      world.account.setFaults({});
      return {
        snapshot: await takeSnapshot(world.deployment),
        deadLettered,
        redelivered,
        remainingDeadLetters: world.deployment.deadLetters.length,
        deliveries: [...world.deployment.deliveries],
        reactionEc2Attempts: reactionAttempts(world.account.callCounts()),
      };
    } finally {
      await world.deployment.stop();
    }
  }

  let referenceEc2Attempts = 0;

  beforeAll(async () => {
    const run = await runScenario(orderlyDelivery);
    expect(run.deadLettered).toBe(0);
    reference = run.snapshot;
    referenceEc2Attempts = run.reactionEc2Attempts;
  });

  it("delivered once in order: versions, tags, encrypted copies and notifications as configured", () => {
    // Assess
    const versions = (family: string) => reference.registry[family] as Record<string, unknown>[];
    expect(versions("base-al2023").map((version) => version.name)).toEqual([
      "base-al2023-2026.11.20.1",
      "base-al2023-2026.11.20.2",
      "base-al2023-2026.11.20.3",
    ]);
    expect(versions("payments-api").map((version) => version.version)).toEqual([1, 2, 3]);
    for (const version of [...versions("base-al2023"), ...versions("payments-api")]) {
      expect(version.createdBy).toBe(pipelineRoleArn);
      expect(version.stage).toBe("active");
    }
    expect(versions("base-al2023")[0]?.regions).toMatchObject({
      "us-east-1": { state: "available", role: "source", imageIdSet: true },
      "eu-west-1": { state: "available", role: "copy", imageIdSet: true, copyAttempts: 1 },
      "ap-southeast-2": { state: "available", role: "copy", imageIdSet: true, copyAttempts: 1 },
    });
    expect(versions("payments-api")[1]?.regions).toMatchObject({
      "us-east-1": { state: "available", role: "source" },
      "eu-west-1": { state: "available", role: "copy", copyAttempts: 1 },
      "ap-southeast-2": {
        state: "failed",
        role: "copy",
        imageIdSet: true,
        image: "ap-southeast-2/payments-api-2026.11.20.2#1",
        copyAttempts: 2,
        failureReason:
          "Client.InvalidKMSKey.NotFound: The KMS key provided does not exist: alias/missing-key",
      },
    });
    const copy = reference.images["eu-west-1"]?.["eu-west-1/base-al2023-2026.11.20.2#1"];
    expect(copy?.tags).toEqual({
      [LifecycleTag.family]: "base-al2023",
      [LifecycleTag.version]: "2",
      [LifecycleTag.managed]: "true",
      [LifecycleTag.sourceImage]: "us-east-1/base-al2023-2026.11.20.2#1",
      [LifecycleTag.sourceRegion]: "us-east-1",
      [LifecycleTag.createdAt]: expect.any(String),
      [LifecycleTag.createdBy]: pipelineRoleArn,
    });
    expect(reference.snapshots["eu-west-1"]?.["eu-west-1/base-al2023-2026.11.20.2#1/snap0"]).toEqual(
      copy?.tags,
    );
    expect(reference.images["us-east-1"]?.["us-east-1/amzn2023-base#1"]?.tags).toEqual({});
    const perVersion = (family: string, version: number) =>
      reference.notifications.filter(
        (key) => key.split(" ")[1] === family && key.split(" ")[2] === `v${version}`,
      );
    for (const version of [1, 2, 3]) {
      expect(perVersion("base-al2023", version)).toEqual([
        `available base-al2023 v${version} ap-southeast-2`,
        `available base-al2023 v${version} eu-west-1`,
        `available base-al2023 v${version} us-east-1`,
        `registered base-al2023 v${version} us-east-1`,
        `replicated base-al2023 v${version} us-east-1`,
      ]);
      expect(perVersion("payments-api", version)).toEqual([
        `available payments-api v${version} eu-west-1`,
        `available payments-api v${version} us-east-1`,
        `copy-failed payments-api v${version} ap-southeast-2 attempt 1 retry`,
        `copy-failed payments-api v${version} ap-southeast-2 attempt 2 final`,
        `registered payments-api v${version} us-east-1`,
      ]);
    }
    expect(reference.notifications).toHaveLength(30);
  });

  it.each([1, 2])(
    "delivered 1–3 times in random order (seed %i): the same registry, tags, copies and notifications",
    async (seed) => {
      // Act
      const run = await runScenario({
        maxCopies: 3,
        shuffle: true,
        spillRate: 0.3,
        withoutCloudTrail: false,
        seed,
      });

      // Assess
      const distinctEvents = new Set(run.deliveries.map((delivery) => delivery.event.id));
      expect(run.deliveries.length).toBeGreaterThan(distinctEvents.size);
      expect(run.deadLettered).toBe(0);
      expect(run.snapshot).toEqual(reference);
    },
  );

  it("without any CloudTrail record (state events only): the same, less who created the images", async () => {
    // Act
    const run = await runScenario({ ...orderlyDelivery, withoutCloudTrail: true });

    // Assess
    expect(
      run.deliveries.some((delivery) => delivery.event["detail-type"] === "AWS API Call via CloudTrail"),
    ).toBe(false);
    expect(run.deadLettered).toBe(0);
    expect(JSON.stringify(run.snapshot)).not.toContain(pipelineRoleArn);
    expect(run.snapshot).toEqual(withoutCreator(reference));
  });

  it("with 20 % of the reactions' EC2 calls throttled, duplicated and shuffled: the same", async () => {
    // Act
    const run = await runScenario(
      { maxCopies: 3, shuffle: true, spillRate: 0.3, withoutCloudTrail: false, seed: 3 },
      { throttleRate: 0.2, only: reactionEc2Operations, seed: 7 },
    );

    // Assess
    expect(run.reactionEc2Attempts).toBeGreaterThan(referenceEc2Attempts);
    expect(run.remainingDeadLetters).toBe(0);
    expect(run.snapshot).toEqual(reference);
  });
  it("with throttles outlasting the SDK's retries: Lambda retries, dead letters redelivered later, the same", async () => {
    // Act: one SDK attempt per call, so a throttle fails the handler and Lambda's retries take over.
    const run = await runScenario(
      { maxCopies: 2, shuffle: true, spillRate: 0.3, withoutCloudTrail: false, seed: 4 },
      { throttleRate: 0.2, only: reactionEc2Operations, seed: 11 },
      1,
    );

    // Assess
    expect(run.deliveries.filter((delivery) => delivery.attempts > 1).length).toBeGreaterThan(3);
    expect(run.redelivered).toBe(run.deadLettered);
    expect(run.remainingDeadLetters).toBe(0);
    expect(run.snapshot).toEqual(reference);
  });
});

/** Attempts of the EC2 operations the reactions call, throttled ones and SDK retries included. */
function reactionAttempts(counts: Record<string, number>): number {
  return Object.entries(counts)
    .filter(([key]) => reactionEc2Operations.includes(key.split(":")[1] ?? ""))
    .reduce((sum, [, count]) => sum + count, 0);
}
