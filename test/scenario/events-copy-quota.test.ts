import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { build, type ScenarioWorld, startScenarioWorld } from "../support/event-builds";
import { EventDelivery, orderlyDelivery } from "../support/event-delivery";
import { notificationKeys } from "../support/event-snapshot";

const MINUTE = 60_000;

/**
 * One concurrent copy per destination region. payments-api v1's copy to eu-west-1 occupies the slot when
 * base-al2023 v1 and v2 become available: their eu-west-1 copies must wait and start, one at a time,
 * whenever a copy into eu-west-1 finishes, whatever family it belongs to.
 */
describe("copies beyond the concurrent-copy quota", () => {
  let world: ScenarioWorld;
  let delivery: EventDelivery;
  const registry = () => world.deployment.runtime.reactions.registry;
  const euState = async (family: string, version: number) =>
    (await registry().getVersion(family, version))?.regions["eu-west-1"]?.state;

  beforeAll(async () => {
    world = await startScenarioWorld({ copyQuota: 1 });
    delivery = new EventDelivery(world.deployment, orderlyDelivery);
  });
  afterAll(() => world.deployment.stop());

  it("wait (copy-waiting) while the region's slot is taken", async () => {
    // Act
    await build(world, { name: "payments-api-2026.11.20.1", call: "CreateImage" });
    await delivery.settle();
    await delivery.advance(2 * MINUTE);
    await build(world, { name: "base-al2023-2026.11.20.1", call: "CreateImage" });
    await build(world, { name: "base-al2023-2026.11.20.2", call: "CreateImage" });
    await delivery.settle();
    await delivery.advance(10 * MINUTE);

    // Assess
    expect(await euState("payments-api", 1)).toBe("pending");
    expect(await euState("base-al2023", 1)).toBe("copy-waiting");
    expect(await euState("base-al2023", 2)).toBe("copy-waiting");
    const waiting = (await registry().getVersion("base-al2023", 1))?.regions["eu-west-1"];
    expect(waiting).toMatchObject({ role: "copy", copyAttempts: 0, kmsKeyId: "alias/ami-lifecycle" });
    expect(waiting?.imageId).toBeUndefined();
  });

  it("start one by one as copies into the region finish, and none is dropped", async () => {
    // Act: payments' eu copy finishes at minute 30; each base copy then takes 20 minutes. In
    // ap-southeast-2 payments' failing copy and its retry hold the slot until minute 50.
    await delivery.advance(20 * MINUTE);
    const afterFirstSlot = [await euState("base-al2023", 1), await euState("base-al2023", 2)];
    for (let step = 0; step < 16; step++) await delivery.advance(5 * MINUTE);

    // Assess
    expect(afterFirstSlot.sort()).toEqual(["copy-waiting", "pending"]);
    for (const version of [1, 2]) {
      const record = await registry().getVersion("base-al2023", version);
      expect(record?.regions["eu-west-1"]).toMatchObject({ state: "available", copyAttempts: 1 });
      expect(record?.regions["ap-southeast-2"]).toMatchObject({ state: "available", copyAttempts: 1 });
    }
    expect(notificationKeys(world.deployment).filter((key) => key.includes("base-al2023"))).toEqual([
      "available base-al2023 v1 ap-southeast-2",
      "available base-al2023 v1 eu-west-1",
      "available base-al2023 v1 us-east-1",
      "available base-al2023 v2 ap-southeast-2",
      "available base-al2023 v2 eu-west-1",
      "available base-al2023 v2 us-east-1",
      "registered base-al2023 v1 us-east-1",
      "registered base-al2023 v2 us-east-1",
      "replicated base-al2023 v1 us-east-1",
      "replicated base-al2023 v2 us-east-1",
    ]);
    expect(world.deployment.deadLetters).toEqual([]);
  });
});
