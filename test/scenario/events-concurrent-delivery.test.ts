import type { EventBridgeEvent, LocalDeployment } from "@ami-lifecycle/simulated-account";
import { beforeAll, describe, expect, it } from "vitest";
import { build, plannedBuilds, type ScenarioWorld, startScenarioWorld } from "../support/event-builds";
import { type ConvergenceSnapshot, takeSnapshot } from "../support/event-snapshot";

const MINUTE = 60_000;

/**
 * Delivers every event the account emits in order, each one either once or to two invocations running
 * at the same time (EventBridge's at-least-once delivery can start both before either finishes).
 */
class PairedDelivery {
  readonly sweepRequests: string[] = [];
  failedAttempts = 0;

  constructor(
    private readonly deployment: LocalDeployment,
    private readonly concurrentCopies: 1 | 2,
  ) {}

  async settle(): Promise<void> {
    for (let round = 0; round < 50; round++) {
      const events = this.deployment.account.drainEvents();
      if (events.length === 0) return;
      for (const event of events) await this.deliver(event);
    }
    throw new Error("events keep coming after 50 rounds: a handler loops");
  }

  async advance(ms: number): Promise<void> {
    this.deployment.account.advance(ms);
    await this.settle();
  }

  private async deliver(event: EventBridgeEvent): Promise<void> {
    if (event["detail-type"] === "Family Sweep Requested") {
      this.sweepRequests.push(JSON.stringify(event.detail));
      return;
    }
    const copies = Array.from({ length: this.concurrentCopies }, () => this.deployment.deliver(event));
    for (const delivery of await Promise.all(copies)) {
      expect(delivery.error).toBeUndefined();
      this.failedAttempts += delivery.attempts - 1;
    }
  }
}

/** The scenario's six builds, every event delivered `concurrentCopies` times at once. */
async function runBuilds(concurrentCopies: 1 | 2) {
  const world: ScenarioWorld = await startScenarioWorld();
  try {
    const delivery = new PairedDelivery(world.deployment, concurrentCopies);
    for (const planned of plannedBuilds) {
      await build(world, planned);
      await delivery.settle();
      for (let step = 0; step < 3; step++) await delivery.advance(5 * MINUTE);
    }
    for (let step = 0; step < 24; step++) await delivery.advance(5 * MINUTE);
    return {
      snapshot: await takeSnapshot(world.deployment),
      sweepRequests: [...delivery.sweepRequests].sort(),
      latest: await latestPointers(world),
    };
  } finally {
    await world.deployment.stop();
  }
}

/** Every `latest` pointer the service wrote, by region and name, with the image renamed like the snapshot's. */
async function latestPointers(world: ScenarioWorld): Promise<Record<string, string | undefined>> {
  const { pointers, config } = world.deployment.runtime.reactions;
  const held: Record<string, string | undefined> = {};
  for (const family of config.families) {
    for (const region of config.regions) {
      const name = config.pointers.namePattern
        .replace("{family}", family.name)
        .replace("{channel}", "latest");
      const imageId = await pointers?.getPointer(region, name);
      held[`${region}:${name}`] = imageId && world.account.image(region, imageId)?.Name;
    }
  }
  return held;
}

describe("the same event delivered to two concurrent invocations", () => {
  let once: Awaited<ReturnType<typeof runBuilds>>;
  let twice: Awaited<ReturnType<typeof runBuilds>>;

  beforeAll(async () => {
    once = await runBuilds(1);
    twice = await runBuilds(2);
  });

  it("has one set of effects: the same registry, images, tags and notifications as one delivery", () => {
    // Assess
    const snapshot: ConvergenceSnapshot = twice.snapshot;
    expect(snapshot).toEqual(once.snapshot);
    expect(snapshot.notifications.length).toBeGreaterThan(0);
  });

  it("requests each sweep once and leaves the same latest pointers", () => {
    // Assess
    expect(twice.sweepRequests).toEqual(once.sweepRequests);
    expect(twice.sweepRequests.length).toBeGreaterThan(0);
    expect(twice.latest).toEqual(once.latest);
    expect(Object.values(once.latest).some((name) => name !== undefined)).toBe(true);
  });
});
