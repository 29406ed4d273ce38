import { promote, rollback, runSweep, WithdrawnVersionError } from "@ami-lifecycle/core";
import { afterEach, describe, expect, inject, it } from "vitest";
import { PointerWorld, pointerFamily } from "../support/pointer-world";

describe("rolling a family back", () => {
  let world: PointerWorld;
  afterEach(() => world.stop());

  async function twoVersions(): Promise<string> {
    world = await PointerWorld.start(inject("dynamoEndpoint"));
    await world.startBuild();
    await world.settle();
    const bad = await world.startBuild();
    await world.settle();
    return bad;
  }

  it("points latest at the previous version everywhere, withdraws the bad one and tells the team", async () => {
    // Prepare
    await twoVersions();
    world.account.drainEvents();

    // Act
    const result = await rollback(world.pointerDeps, pointerFamily);

    // Assess
    expect(result).toMatchObject({ family: pointerFamily, target: 1, withdrawn: [2], restored: false });
    expect(await world.latestEverywhere()).toEqual(await world.imagesOf(1));
    expect((await world.reactions.registry.getVersion(pointerFamily, 2))?.withdrawn).toBe(true);
    const rolledBack = world.account
      .published(world.deployment.topicArn)
      .filter((message) => message.messageAttributes.eventType?.StringValue === "rolled-back");
    expect(rolledBack).toHaveLength(1);
  });

  it("lets the next enforce sweep retire the withdrawn version first and keep the previous one", async () => {
    // Prepare
    await twoVersions();
    await rollback(world.pointerDeps, pointerFamily);

    // Act
    await runSweep(world.reactions, { now: world.account.clock.now() });

    // Assess
    expect((await world.reactions.registry.getVersion(pointerFamily, 2))?.stage).not.toBe("active");
    expect((await world.reactions.registry.getVersion(pointerFamily, 1))?.stage).toBe("active");
    expect(await world.latestEverywhere()).toEqual(await world.imagesOf(1));
  });

  it("is not undone by a duplicate or late event of the bad version", async () => {
    // Prepare
    const bad = await twoVersions();
    await rollback(world.pointerDeps, pointerFamily);
    const event = world.availableEventsOf(bad)[0];
    if (!event) throw new Error("the bad build's available event was never delivered");

    // Act
    await world.deployment.deliver(event);
    await world.deployment.deliver({ ...event, id: `${event.id}-late` });

    // Assess
    expect(await world.latestEverywhere()).toEqual(await world.imagesOf(1));
    expect(world.deployment.deadLetters).toEqual([]);
  });

  it("needs force to promote the withdrawn version again", async () => {
    // Prepare
    await twoVersions();
    await rollback(world.pointerDeps, pointerFamily);

    // Act
    const refused = await rollback(world.pointerDeps, pointerFamily, { to: 2 }).catch(
      (error: unknown) => error,
    );
    const forced = await rollback(world.pointerDeps, pointerFamily, { to: 2, force: true });

    // Assess
    expect(refused).toBeInstanceOf(WithdrawnVersionError);
    expect(forced).toMatchObject({ target: 2, withdrawn: [], restored: true });
    expect(await world.latestEverywhere()).toEqual(await world.imagesOf(2));
    expect((await world.reactions.registry.getVersion(pointerFamily, 2))?.withdrawn).toBe(false);
  });
});

describe("a pinned channel", () => {
  let world: PointerWorld;
  afterEach(() => world.stop());

  it("keeps the version it points at from retirement while newer ones move on", async () => {
    // Prepare: stable pinned to v1, then two more builds (the family keeps only the newest)
    world = await PointerWorld.start(inject("dynamoEndpoint"));
    await world.startBuild();
    await world.settle();
    const promoted = await promote(world.pointerDeps, pointerFamily, "stable", 1);
    await world.startBuild();
    await world.settle();
    await world.startBuild();
    await world.settle();

    // Act
    await runSweep(world.reactions, { now: world.account.clock.now() });

    // Assess: v1 is in use through its stable pointers, v2 is not and retires, v3 is the newest
    expect(promoted.pointers.map((move) => move.region).sort()).toEqual([
      "ap-southeast-2",
      "eu-west-1",
      "us-east-1",
    ]);
    expect((await world.reactions.registry.getVersion(pointerFamily, 1))?.stage).toBe("active");
    expect((await world.reactions.registry.getVersion(pointerFamily, 2))?.stage).not.toBe("active");
    expect((await world.reactions.registry.getVersion(pointerFamily, 3))?.stage).toBe("active");
    const stable = await world.pointerDeps.pointers.getPointer("eu-west-1", "/ami-lifecycle/web/stable");
    expect(stable).toBe(await world.imageOf(1, "eu-west-1"));
  });
});
