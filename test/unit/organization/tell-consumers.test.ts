import {
  AwsOperationError,
  type ClaimLease,
  type ConsumerBusEvent,
  type EventDependencies,
  type FamilyPlan,
  type FamilySweepResult,
  type ImageEvidence,
  type Notification,
  type OnceClaims,
  parseConfig,
  tellConsumers,
} from "@ami-lifecycle/core";
import { describe, expect, it } from "vitest";

const OWNER = "111122223333";
const SECOND = "222200000002";
const THIRD = "222200000003";
const EAST = "us-east-1";
const now = new Date("2026-12-01T12:00:00Z");
const busArn = `arn:aws:events:${EAST}:${SECOND}:event-bus/ami-notices`;
const templateArn = `arn:aws:ec2:${EAST}:${SECOND}:launch-template/lt-0abc`;

/** Once-only claims in memory, as the registry keeps them. */
class MemoryClaims implements OnceClaims {
  readonly states = new Map<string, "pending" | "done">();
  async takeClaim(key: string): Promise<ClaimLease> {
    const state = this.states.get(key);
    if (state === "done") return { state: "done" };
    if (state === "pending") return { state: "held" };
    this.states.set(key, "pending");
    return { state: "taken", leaseId: key };
  }
  async completeClaim(key: string) {
    this.states.set(key, "done");
  }
  async completeClaims(keys: readonly string[]) {
    for (const key of keys) this.states.set(key, "done");
  }
  async releaseLease(key: string) {
    this.states.delete(key);
  }
}

function world(consumerEventBuses: Record<string, string> | undefined) {
  const config = parseConfig({
    accounts: [OWNER],
    homeRegion: EAST,
    regions: [EAST],
    mode: "enforce",
    organization: {
      consumerRoleName: "probe",
      ...(consumerEventBuses ? { consumerEventBuses } : {}),
    },
    families: [
      {
        name: "web",
        team: "platform",
        match: { namePattern: "web-*" },
        sharing: { accounts: [SECOND, THIRD] },
      },
    ],
  });
  const published: Notification[] = [];
  const events: { busArn: string; event: ConsumerBusEvent }[] = [];
  let refuse = false;
  const deps = {
    config,
    registry: new MemoryClaims(),
    organization: {
      usageReports: {} as never,
      probes: {} as never,
      consumerNotifier: { publish: async (notification: Notification) => void published.push(notification) },
      consumerEvents: {
        put: async (arn: string, event: ConsumerBusEvent) => {
          if (refuse) throw new AwsOperationError("PutEvents", "AccessDeniedException");
          events.push({ busArn: arn, event });
        },
      },
    },
  } as unknown as EventDependencies;
  // v2 is held at deprecation only by the consumers: consumer 2's template and consumer 3's template.
  const plan = {
    family: "web",
    decisions: [
      {
        version: 2,
        region: EAST,
        imageId: "ami-2",
        held: { action: "deprecate", at: "2026-11-30T12:00:00.000Z" },
      },
    ],
  } as unknown as FamilyPlan;
  const results = [{ family: "web", plan } as FamilySweepResult];
  const evidence = new Map<string, ImageEvidence>([
    [
      `${EAST}/ami-2`,
      {
        region: EAST,
        imageId: "ami-2",
        accountsChecked: [SECOND, THIRD],
        blocking: [
          { kind: "reference", accountId: SECOND, resourceType: "ec2:LaunchTemplate", arn: templateArn },
          {
            kind: "reference",
            accountId: THIRD,
            resourceType: "ec2:Instance",
            arn: `arn:aws:ec2:${EAST}:${THIRD}:instance/i-1`,
          },
        ],
      },
    ],
  ]);
  const sweep = () => tellConsumers(deps, config.families, results, evidence, now);
  return {
    sweep,
    published,
    events,
    refuseEvents: (value: boolean) => {
      refuse = value;
    },
  };
}

describe("tellConsumers: the bus a consumer names (organization.consumerEventBuses)", () => {
  it("puts the schedule on consumer 2's bus as an ami-lifecycle event, once, beside the topic's messages", async () => {
    // Prepare
    const { sweep, published, events } = world({ [SECOND]: busArn });

    // Act
    const first = await sweep();
    const again = await sweep();

    // Assess
    expect(first.failures).toEqual([]);
    expect(first.told.map((told) => `${told.consumerAccount} ${told.via}`).sort()).toEqual([
      `${SECOND} event-bus`,
      `${SECOND} topic`,
      `${THIRD} topic`,
    ]);
    expect(again.told).toEqual([]);
    expect(published.map((notice) => notice.consumerAccount).sort()).toEqual([SECOND, THIRD]);
    expect(events).toHaveLength(1);
    expect(events[0]?.busArn).toBe(busArn);
    expect(events[0]?.event).toMatchObject({
      source: "ami-lifecycle",
      detailType: "AMI Version Scheduled For Retirement",
      resources: [`arn:aws:ec2:${EAST}::image/ami-2`],
      detail: {
        eventType: "consumer-schedule",
        family: "web",
        version: 2,
        consumerAccount: SECOND,
        held: { action: "deprecate" },
        uses: [{ region: EAST, imageId: "ami-2", arn: templateArn }],
      },
    });
  });

  it("reports a bus that refuses the event, still tells the topic, and puts it once the bus allows it", async () => {
    // Prepare
    const { sweep, published, events, refuseEvents } = world({ [SECOND]: busArn });
    refuseEvents(true);

    // Act
    const refused = await sweep();
    refuseEvents(false);
    const later = await sweep();

    // Assess: a refusal is not transient (the sweep is not retried for it), and the claim is given back.
    expect(refused.failures).toEqual([
      {
        step: "tell-consumer-bus",
        family: "web",
        version: 2,
        message: `${SECOND}: PutEvents failed (AccessDeniedException)`,
        transient: false,
      },
    ]);
    expect(refused.told.map((told) => told.via)).toEqual(["topic", "topic"]);
    expect(later.failures).toEqual([]);
    expect(later.told).toEqual([
      { family: "web", version: 2, step: "deprecate", consumerAccount: SECOND, via: "event-bus" },
    ]);
    expect(published).toHaveLength(2);
    expect(events).toHaveLength(1);
  });

  it("puts no event without consumerEventBuses, and none for an account that named no bus", async () => {
    // Prepare
    const without = world(undefined);
    const onlySecond = world({ [SECOND]: busArn });

    // Act
    await without.sweep();
    await onlySecond.sweep();

    // Assess
    expect(without.events).toEqual([]);
    expect(onlySecond.events.map((entry) => entry.event.detail.consumerAccount)).toEqual([SECOND]);
  });
});
