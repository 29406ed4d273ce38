import type { Delivery, LocalDeployment } from "@ami-lifecycle/simulated-account";
import { type EventBridgeEvent, seededRandom, shuffled } from "@ami-lifecycle/simulated-account";

/** The CloudTrail detail-type: a trail that is off (or lagging forever) never delivers these. */
export const cloudTrailDetailType = "AWS API Call via CloudTrail";

/** How EventBridge misbehaves in one run. */
export interface DeliveryMode {
  /** deliver each event 1..maxCopies times (same event id, as EventBridge redeliveries are) */
  maxCopies: number;
  /** shuffle each batch */
  shuffle: boolean;
  /** chance that an extra copy is held back and delivered with the next batch instead */
  spillRate: number;
  /** drop every CloudTrail record (no trail: state events only) */
  withoutCloudTrail: boolean;
  seed: number;
}

/** Every event once, in emission order, CloudTrail included. */
export const orderlyDelivery: DeliveryMode = {
  maxCopies: 1,
  shuffle: false,
  spillRate: 0,
  withoutCloudTrail: false,
  seed: 1,
};

/**
 * Delivers the account's events to the local deployment the way EventBridge may: each batch (what the
 * account emitted since the last drain) duplicated and shuffled, some duplicates spilling into later
 * batches, CloudTrail optionally absent. Handlers' own events (copies' CloudTrail, state changes) are
 * drained and delivered in further rounds until the account is quiet.
 */
export class EventDelivery {
  private readonly random: () => number;
  private held: EventBridgeEvent[] = [];

  constructor(
    private readonly deployment: LocalDeployment,
    private readonly mode: DeliveryMode,
  ) {
    this.random = seededRandom(mode.seed);
  }

  /** Delivers until no event is pending; returns every delivery made. */
  async settle(): Promise<Delivery[]> {
    const deliveries: Delivery[] = [];
    for (let round = 0; round < 50; round++) {
      const fresh = this.deployment.account.drainEvents().filter((event) => this.keeps(event));
      if (fresh.length === 0 && this.held.length === 0) return deliveries;
      for (const event of this.batchOf(fresh)) deliveries.push(await this.deployment.deliver(event));
    }
    throw new Error("events keep coming after 50 rounds: a handler loops");
  }

  /** Moves the simulated clock and delivers what it emitted. */
  async advance(ms: number): Promise<Delivery[]> {
    this.deployment.account.advance(ms);
    return this.settle();
  }

  private keeps(event: EventBridgeEvent): boolean {
    return !(this.mode.withoutCloudTrail && event["detail-type"] === cloudTrailDetailType);
  }

  private batchOf(fresh: EventBridgeEvent[]): EventBridgeEvent[] {
    const batch = [...this.held];
    this.held = [];
    for (const event of fresh) {
      batch.push(event);
      const extra = Math.floor(this.random() * this.mode.maxCopies);
      for (let copy = 0; copy < extra; copy++) {
        if (this.random() < this.mode.spillRate) this.held.push(event);
        else batch.push(event);
      }
    }
    return this.mode.shuffle ? shuffled(batch, this.random) : batch;
  }
}

/**
 * Redelivers dead-lettered events until none are left (or `rounds` runs out): stands in for the
 * scheduled reconciliation that repairs what failed deliveries missed.
 */
export async function redeliverDeadLetters(deployment: LocalDeployment, rounds = 3): Promise<number> {
  let redelivered = 0;
  for (let round = 0; round < rounds && deployment.deadLetters.length > 0; round++) {
    const letters = deployment.deadLetters.splice(0, deployment.deadLetters.length);
    for (const letter of letters) {
      await deployment.deliver(letter.event);
      redelivered++;
    }
  }
  return redelivered;
}
