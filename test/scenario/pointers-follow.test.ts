import { runSweep } from "@ami-lifecycle/core";
import { afterEach, describe, expect, inject, it } from "vitest";
import { PointerWorld } from "../support/pointer-world";

describe("latest pointers follow the versions in every region", () => {
  let world: PointerWorld;
  afterEach(() => world.stop());

  it("point at each region's newest available version once source and copies are available", async () => {
    // Prepare
    world = await PointerWorld.start(inject("dynamoEndpoint"));

    // Act
    await world.startBuild();
    await world.settle();
    const afterFirst = await world.latestEverywhere();
    await world.startBuild();
    await world.settle();

    // Assess
    expect(afterFirst).toEqual(await world.imagesOf(1));
    expect(await world.latestEverywhere()).toEqual(await world.imagesOf(2));
    expect(Object.values(await world.imagesOf(2)).every((imageId) => imageId?.startsWith("ami-"))).toBe(true);
    expect(world.deployment.deadLetters).toEqual([]);
  });

  it("end at the newest version when two builds' events arrive shuffled and duplicated, and a late event changes nothing", async () => {
    // Prepare: two builds whose events are delivered together, out of order, up to three times each
    world = await PointerWorld.start(inject("dynamoEndpoint"));
    const first = await world.startBuild();
    await world.deployment.pump({ maxCopies: 3, shuffle: true, seed: 11 });
    await world.startBuild();

    // Act
    await world.settle({ maxCopies: 3, shuffle: true, seed: 5 });
    const late = world.availableEventsOf(first)[0];
    if (!late) throw new Error("the first build's available event was never delivered");
    await world.deployment.deliver({ ...late, id: `${late.id}-late` });

    // Assess
    expect(world.availableEventsOf(first).length).toBeGreaterThan(0);
    expect(await world.latestEverywhere()).toEqual(await world.imagesOf(2));
    expect(world.deployment.deadLetters).toEqual([]);
  });

  it("are repaired by the sweep when someone moves one by hand", async () => {
    // Prepare
    world = await PointerWorld.start(inject("dynamoEndpoint"));
    await world.startBuild();
    await world.settle();
    await world.startBuild();
    await world.settle();
    const name = "/ami-lifecycle/web/latest";
    world.account.putParameter(
      "eu-west-1",
      name,
      (await world.imageOf(1, "eu-west-1")) ?? "",
      "aws:ec2:image",
    );

    // Act
    const report = await runSweep(world.reactions, { now: world.account.clock.now() });

    // Assess
    expect(await world.latestEverywhere()).toEqual(await world.imagesOf(2));
    expect(report.families[0]?.reconciled).toContainEqual(
      expect.objectContaining({ kind: "pointer-moved", region: "eu-west-1", version: 2 }),
    );
  });
});
