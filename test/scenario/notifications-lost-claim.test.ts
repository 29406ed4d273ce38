import type { EventBridgeEvent } from "@ami-lifecycle/simulated-account";
import { afterEach, describe, expect, inject, it } from "vitest";
import { notificationKeys } from "../support/event-snapshot";
import { PointerWorld, pointerConfig } from "../support/pointer-world";

const MINUTE = 60_000;

/**
 * The once-only claim of a notification is written before the publish. When the publish fails and giving
 * the claim back fails too (or the Lambda times out in between), the claim must not keep the
 * notification from ever being sent: it is a lease a later attempt takes over once it runs out.
 */
describe("a notification whose publish and claim release both failed", () => {
  let world: PointerWorld;
  afterEach(() => world.stop());

  /** Giving back a notification claim fails while this is set (a registry outage). */
  let failClaimRelease = false;
  const observeClient = (client: { middlewareStack: unknown }, service: string) => {
    if (service !== "DynamoDB") return;
    const stack = client.middlewareStack as {
      add: (middleware: unknown, options: { step: string; name: string }) => void;
    };
    stack.add(
      (next: (args: { input: unknown }) => Promise<unknown>, context: { commandName?: string }) =>
        async (args: { input: unknown }) => {
          const input = JSON.stringify(args.input);
          // A claim item is deleted; the `registered` claim on a version item is removed from it.
          const releasesClaim =
            (context.commandName === "DeleteItemCommand" && input.includes("CLAIM#notify:")) ||
            (context.commandName === "UpdateItemCommand" && input.includes("REMOVE #claim"));
          if (failClaimRelease && releasesClaim) {
            throw Object.assign(new Error("We encountered an internal error. Please try again."), {
              name: "InternalServerError",
              $fault: "server",
              $metadata: { httpStatusCode: 500 },
            });
          }
          return next(args);
        },
      { step: "build", name: "failClaimRelease" },
    );
  };

  const eventsOf = (imageId: string): EventBridgeEvent[] =>
    world.deployment.deliveries
      .map((delivery) => delivery.event)
      .filter((event) => JSON.stringify(event.detail).includes(imageId));

  it("is sent once by a retry after the lease ran out, and never again after that", async () => {
    // Prepare: SNS and the claim release fail while the build's events arrive
    world = await PointerWorld.start(inject("dynamoEndpoint"), pointerConfig(), observeClient);
    world.account.setFaults({ throttleRate: 1, only: ["Publish"] });
    failClaimRelease = true;
    const imageId = await world.startBuild();
    await world.deployment.pump();
    await world.deployment.advance(10 * MINUTE);
    const sentDuringOutage = notificationKeys(world.deployment).length;
    world.account.setFaults({});
    failClaimRelease = false;

    // Act: Lambda's last retry (or a redrive) of the build's events comes after the lease ran out; then a duplicate
    world.account.advance(3 * MINUTE);
    for (const event of eventsOf(imageId)) await world.deployment.deliver(event);
    await world.settle();
    for (const event of eventsOf(imageId)) await world.deployment.deliver(event);

    // Assess
    const sent = notificationKeys(world.deployment);
    expect(sentDuringOutage).toBe(0);
    expect(sent.filter((key) => key === "registered web v1 us-east-1")).toHaveLength(1);
    expect(sent.filter((key) => key === "available web v1 us-east-1")).toHaveLength(1);
  });
});
