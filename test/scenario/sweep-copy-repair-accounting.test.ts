import { runSweep } from "@ami-lifecycle/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { build, type ScenarioWorld, startScenarioWorld } from "../support/event-builds";
import { EventDelivery, orderlyDelivery } from "../support/event-delivery";

const MINUTE = 60_000;

/**
 * The sweep's repair accounting says what its copy restart did: a copy that had to queue again (the
 * region's slot is still taken) is "copy-queued", never counted as a started copy.
 */
describe("a sweep restarting copies while the region's copy slot is still taken", () => {
  let world: ScenarioWorld;
  let delivery: EventDelivery;

  beforeAll(async () => {
    world = await startScenarioWorld({ copyQuota: 1 });
    delivery = new EventDelivery(world.deployment, orderlyDelivery);
  });
  afterAll(() => world.deployment.stop());

  it("records the copies it queued again as copy-queued, and only copies EC2 accepted as copy-started", async () => {
    // Prepare: payments-api's copy holds eu-west-1's only slot; base-al2023 v1's copy waits for it
    await build(world, { name: "payments-api-2026.11.20.1", call: "CreateImage" });
    await delivery.settle();
    await delivery.advance(2 * MINUTE);
    await build(world, { name: "base-al2023-2026.11.20.1", call: "CreateImage" });
    await delivery.settle();
    await delivery.advance(10 * MINUTE);

    // Act
    const sweep = await runSweep(world.deployment.runtime.reactions, {
      families: ["base-al2023"],
      now: world.account.clock.now(),
    });

    // Assess
    const repairs = sweep.families.flatMap((family) => family.reconciled);
    expect(repairs).toContainEqual(
      expect.objectContaining({ kind: "copy-queued", region: "eu-west-1", version: 1 }),
    );
    for (const started of repairs.filter((repair) => repair.kind === "copy-started"))
      expect(started.imageId).toMatch(/^ami-/);
  });
});
