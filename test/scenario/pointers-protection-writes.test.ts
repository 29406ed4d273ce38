import type { EventBridgeEvent } from "@ami-lifecycle/simulated-account";
import { DescribeImagesCommand, EC2Client } from "@aws-sdk/client-ec2";
import { afterEach, describe, expect, inject, it } from "vitest";
import { PointerWorld, pointerConfig, pointerFamily } from "../support/pointer-world";
import { scenarioRegions } from "../support/scenario-config";

const MINUTE = 60_000;

/** One DynamoDB call the runtime made: the command and its input. */
interface RegistryCall {
  command: string;
  input: unknown;
}

describe("pointer protection rides on the available event's region write", () => {
  let world: PointerWorld;
  afterEach(() => world.stop());

  it("moves latest, protects the new image and lifts the old one's protection without lookups or writes of their own", async () => {
    // Prepare: v1 is latest (and protected) everywhere; every registry call is recorded
    const calls: RegistryCall[] = [];
    const recordCalls = (client: { middlewareStack: unknown }, service: string) => {
      if (service !== "DynamoDB") return;
      const stack = client.middlewareStack as {
        add: (middleware: unknown, options: { step: string; name: string }) => void;
      };
      stack.add(
        (next: (args: { input: unknown }) => Promise<unknown>, context: { commandName?: string }) =>
          (args: { input: unknown }) => {
            calls.push({ command: (context.commandName ?? "").replace(/Command$/, ""), input: args.input });
            return next(args);
          },
        { step: "initialize", name: "recordRegistryCalls" },
      );
    };
    world = await PointerWorld.start(inject("dynamoEndpoint"), pointerConfig("enforce", false), recordCalls);
    await world.startBuild();
    await world.settle();
    const v1 = await world.imagesOf(1);

    // Act: v2 is built and copied; each event is delivered on its own, its registry calls kept with it
    const deliveries: { event: EventBridgeEvent; calls: RegistryCall[] }[] = [];
    const deliverPending = async () => {
      for (
        let events = world.account.drainEvents();
        events.length > 0;
        events = world.account.drainEvents()
      ) {
        for (const event of events) {
          const start = calls.length;
          await world.deployment.deliver(event);
          deliveries.push({ event, calls: calls.slice(start) });
        }
      }
    };
    await world.startBuild();
    await deliverPending();
    for (let step = 0; step < 8; step++) {
      world.account.advance(5 * MINUTE);
      await deliverPending();
    }

    // Assess: latest names v2 everywhere, v2 is protected and recorded as the service's, v1 is neither
    const v2 = await world.imagesOf(2);
    expect(await world.latestEverywhere()).toEqual(v2);
    const versions = {
      v1: await world.reactions.registry.getVersion(pointerFamily, 1),
      v2: await world.reactions.registry.getVersion(pointerFamily, 2),
    };
    for (const region of scenarioRegions) {
      expect(await protectionOf(region, v2[region] ?? "")).toBe("enabled");
      expect(versions.v2?.regions[region]?.pointerProtectedAt).toBeDefined();
      expect(await protectionOf(region, v1[region] ?? "")).toBe("disabled");
      expect(versions.v1?.regions[region]?.pointerProtectedAt).toBeUndefined();
    }
    // Each of v2's three `available` events: no registry read by image id, and at most the round trips
    // the event needs without protection (version read, newest versions, region write, claim, copies
    // or the waiting-copies check): the markers went with the region write.
    const available = deliveries.filter(({ event }) => isAvailableOf(event, Object.values(v2)));
    expect(available).toHaveLength(scenarioRegions.length);
    for (const { event, calls: made } of available) {
      const byImageId = made.filter(
        ({ command, input }) => /^(Batch)?GetItem$/.test(command) && JSON.stringify(input).includes("IMAGE#"),
      );
      expect({ region: event.region, byImageId }).toEqual({ region: event.region, byImageId: [] });
      expect(
        made.length,
        `${event.region}: ${made.map(({ command }) => command).join(", ")}`,
      ).toBeLessThanOrEqual(5);
    }
    expect(world.deployment.deadLetters).toEqual([]);
  });

  async function protectionOf(region: string, imageId: string): Promise<string | undefined> {
    const ec2 = world.account.client(EC2Client, region);
    const { Images } = await ec2.send(
      new DescribeImagesCommand({ ImageIds: [imageId], IncludeDisabled: true }),
    );
    return Images?.[0]?.DeregistrationProtection;
  }
});

/** An "available" state change of one of the images. */
function isAvailableOf(event: EventBridgeEvent, imageIds: readonly (string | undefined)[]): boolean {
  const detail = event.detail as { ImageId?: string; State?: string };
  return (
    event["detail-type"] === "EC2 AMI State Change" &&
    detail.State === "available" &&
    imageIds.includes(detail.ImageId)
  );
}
