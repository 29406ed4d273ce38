import { rollback } from "@ami-lifecycle/core";
import { localLambdaContext } from "@ami-lifecycle/simulated-account";
import { afterEach, describe, expect, inject, it } from "vitest";
import { createRollbackHandler } from "../../functions/rollback";
import { PointerWorld, pointerFamily } from "../support/pointer-world";

/**
 * The rollback Lambda is retried when it fails. SNS failing after the pointers moved must not make the
 * retry pick "the previous version" again and withdraw a second, good version: a request is applied once,
 * with the target decided at its first attempt; the retry only sends the notification.
 */
describe("a rollback request retried after its notification failed", () => {
  let world: PointerWorld;
  afterEach(() => world.stop());

  async function threeVersions(): Promise<void> {
    world = await PointerWorld.start(inject("dynamoEndpoint"));
    for (let build = 0; build < 3; build++) {
      await world.startBuild();
      await world.settle();
    }
    world.account.drainEvents();
  }

  const rolledBack = () =>
    world.account
      .published(world.deployment.topicArn)
      .filter((message) => message.messageAttributes.eventType?.StringValue === "rolled-back");

  it("keeps the first attempt's target, withdraws nothing more and notifies once", async () => {
    // Prepare
    await threeVersions();
    world.account.setFaults({ throttleRate: 1, only: ["Publish"] });
    const failed = await rollback(world.pointerDeps, pointerFamily, { requestId: "canary-77" }).catch(
      (error: unknown) => error,
    );
    world.account.setFaults({});

    // Act
    const retried = await rollback(world.pointerDeps, pointerFamily, { requestId: "canary-77" });
    const again = await rollback(world.pointerDeps, pointerFamily, { requestId: "canary-77" });

    // Assess
    expect(failed).toBeInstanceOf(Error);
    expect(retried).toMatchObject({ target: 2, withdrawn: [3], restored: false });
    expect(again).toEqual(retried);
    expect(retried.pointers.map((move) => move.region).sort()).toEqual(
      ["ap-southeast-2", "eu-west-1", "us-east-1"].sort(),
    );
    expect((await world.reactions.registry.getVersion(pointerFamily, 2))?.withdrawn).not.toBe(true);
    expect((await world.reactions.registry.getVersion(pointerFamily, 3))?.withdrawn).toBe(true);
    expect(await world.latestEverywhere()).toEqual(await world.imagesOf(2));
    expect(rolledBack()).toHaveLength(1);
  });

  it("through the Lambda: a retry with the same request id (Lambda keeps it) applies the request once", async () => {
    // Prepare
    await threeVersions();
    const handler = createRollbackHandler(() => world.deployment.runtime) as (
      event: unknown,
      context: ReturnType<typeof localLambdaContext>,
    ) => Promise<unknown>;
    world.account.setFaults({ throttleRate: 1, only: ["Publish"] });
    const failed = await handler({ family: pointerFamily }, localLambdaContext("rollback", "req-9")).catch(
      (error: unknown) => error,
    );
    world.account.setFaults({});

    // Act
    const retried = await handler({ family: pointerFamily }, localLambdaContext("rollback", "req-9"));

    // Assess
    expect(failed).toBeInstanceOf(Error);
    expect(retried).toMatchObject({ target: 2, withdrawn: [3] });
    expect((await world.reactions.registry.getVersion(pointerFamily, 2))?.withdrawn).not.toBe(true);
    expect(await world.latestEverywhere()).toEqual(await world.imagesOf(2));
    expect(rolledBack()).toHaveLength(1);
  });

  it("a different request is a new rollback: it goes back one more version", async () => {
    // Prepare
    await threeVersions();
    await rollback(world.pointerDeps, pointerFamily, { requestId: "first" });

    // Act
    const second = await rollback(world.pointerDeps, pointerFamily, { requestId: "second" });

    // Assess
    expect(second).toMatchObject({ target: 1, withdrawn: [2] });
    expect(await world.latestEverywhere()).toEqual(await world.imagesOf(1));
    expect(rolledBack()).toHaveLength(2);
  });
});
