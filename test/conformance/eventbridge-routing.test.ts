import { readdirSync, readFileSync } from "node:fs";
import { EventBridgeSweepRequester } from "@ami-lifecycle/aws";
import {
  amiStateChangePattern,
  type EventPattern,
  familySweepRequestPattern,
  imageApiCallPattern,
  imagePermissionChangePattern,
} from "@ami-lifecycle/core";
import { matchesPattern } from "@ami-lifecycle/simulated-account";
import { PutEventsCommand, PutRuleCommand, PutTargetsCommand } from "@aws-sdk/client-eventbridge";
import {
  CreateQueueCommand,
  DeleteMessageBatchCommand,
  GetQueueAttributesCommand,
  ReceiveMessageCommand,
} from "@aws-sdk/client-sqs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { expectedOn } from "./support/gaps";
import { home, type Target, targets } from "./support/targets";

/** The deployed rules' patterns, by rule (packages/core/src/events/patterns.ts). */
const rules: Record<string, EventPattern> = {
  "ami-state-change": amiStateChangePattern,
  "image-api-call": imageApiCallPattern,
  "image-permission-change": imagePermissionChangePattern,
  "family-sweep-request": familySweepRequestPattern,
};

/** A sample event of the project, by file name. */
interface Sample {
  name: string;
  // biome-ignore lint/suspicious/noExplicitAny: sample events are JSON documents of several shapes
  event: any;
}

function samplesIn(folder: string): Sample[] {
  const url = new URL(`../fixtures/${folder}/`, import.meta.url);
  return readdirSync(url)
    .filter((file) => file.endsWith(".json"))
    .sort()
    .map((file) => ({
      name: `${folder}/${file}`,
      event: JSON.parse(readFileSync(new URL(file, url), "utf8")),
    }));
}

/** Every sample event of the project, plus the variants the rules exist to drop (failed calls, other states). */
function allSamples(): Sample[] {
  const samples = [...samplesIn("events"), ...samplesIn("permission-events")];
  const variant = (base: string, name: string, change: (event: Sample["event"]) => void): Sample => {
    const found = samples.find((sample) => sample.name === base);
    const event = structuredClone(found?.event);
    change(event);
    return { name, event };
  };
  return [
    ...samples,
    variant(
      "events/cloudtrail-create-image.json",
      "variant: CreateImage that failed (errorCode)",
      (event) => {
        event.detail.errorCode = "Client.InvalidParameterValue";
        event.detail.responseElements = null;
      },
    ),
    variant("events/ami-state-available.json", "variant: AMI state pending (EC2 never sends it)", (event) => {
      event.detail.State = "pending";
    }),
    variant("events/cloudtrail-create-image.json", "variant: another EC2 call (RunInstances)", (event) => {
      event.detail.eventName = "RunInstances";
    }),
    {
      name: "variant: the service's own sweep request",
      event: {
        source: "ami-lifecycle",
        "detail-type": "Family Sweep Requested",
        detail: { family: "web", reason: "new version" },
      },
    },
  ];
}

const moto = targets.find((candidate) => candidate.name === "moto");

describe("the routing table", () => {
  it("exercises every deployed rule and events no rule takes", () => {
    // Prepare
    const samples = allSamples();

    // Act
    const matched = samples.map(({ event }) =>
      Object.entries(rules)
        .filter(([, pattern]) => matchesPattern(pattern, event))
        .map(([rule]) => rule),
    );

    // Assess
    expect(new Set(matched.flat())).toEqual(new Set(Object.keys(rules)));
    expect(matched.filter((rulesOfEvent) => rulesOfEvent.length === 0).length).toBe(3);
  });
});

describe.skipIf(moto?.skip ?? true)("EventBridge routing on moto agrees with the project's matcher", () => {
  let target: Target;
  const queues: Record<string, string> = {};

  beforeAll(async () => {
    target = moto?.make() as Target;
    const events = target.eventBridge(home);
    for (const [rule, pattern] of Object.entries(rules)) {
      const { QueueUrl } = await target.sqs(home).send(new CreateQueueCommand({ QueueName: rule }));
      const { Attributes } = await target
        .sqs(home)
        .send(new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ["QueueArn"] }));
      await events.send(new PutRuleCommand({ Name: rule, EventPattern: JSON.stringify(pattern) }));
      await events.send(
        new PutTargetsCommand({ Rule: rule, Targets: [{ Id: "queue", Arn: Attributes?.QueueArn }] }),
      );
      queues[rule] = QueueUrl ?? "";
    }
  });
  afterAll(() => target?.destroy());

  /** The events waiting in a rule's queue, removed from it. */
  async function drain(rule: string) {
    const QueueUrl = queues[rule];
    const { Messages } = await target
      .sqs(home)
      .send(new ReceiveMessageCommand({ QueueUrl, MaxNumberOfMessages: 10 }));
    const messages = Messages ?? [];
    if (messages.length > 0) {
      await target.sqs(home).send(
        new DeleteMessageBatchCommand({
          QueueUrl,
          Entries: messages.map((message, index) => ({
            Id: String(index),
            ReceiptHandle: message.ReceiptHandle,
          })),
        }),
      );
    }
    return messages.map((message) => JSON.parse(message.Body ?? "{}"));
  }

  it.each(allSamples())("$name", async ({ event }) => {
    // Prepare
    const expected = Object.entries(rules)
      .filter(([, pattern]) => matchesPattern(pattern, event))
      .map(([rule]) => rule);

    // Act
    const { Entries, FailedEntryCount } = await target.eventBridge(home).send(
      new PutEventsCommand({
        Entries: [
          {
            Source: event.source,
            DetailType: event["detail-type"],
            Detail: JSON.stringify(event.detail),
            Resources: event.resources ?? [],
          },
        ],
      }),
    );
    const routed: string[] = [];
    const delivered: unknown[] = [];
    for (const rule of Object.keys(rules)) {
      const received = await drain(rule);
      if (received.length > 0) routed.push(rule);
      delivered.push(...received);
    }

    // Assess
    expect(FailedEntryCount).toBe(0);
    // moto drops the account field on delivery to SQS (docs/conformance.md); AWS always sets it.
    for (const copy of delivered as { account?: string }[]) {
      expect(copy.account).toBe(
        expectedOn<string | undefined>(target, { aws: target.accountId, moto: undefined }),
      );
    }
    expect(routed).toEqual(expected);
    for (const copy of delivered) {
      expect(copy).toMatchObject({
        id: Entries?.[0]?.EventId,
        source: event.source,
        "detail-type": event["detail-type"],
        region: home,
        detail: event.detail,
      });
    }
  });
});

describe.each(targets)("EventBridgeSweepRequester on $name", ({ make, skip }) => {
  it.skipIf(skip)(
    "puts one Family Sweep Requested event on the default bus and reads no failed entry",
    async () => {
      // Prepare
      const target = make();
      const requester = new EventBridgeSweepRequester(target.eventBridge(home));

      // Act
      const outcome = await requester.requestFamilySweep("web", "new version").then(
        () => "put",
        (error: Error) => error.message,
      );

      // Assess
      expect(outcome).toBe("put");
      target.destroy();
    },
  );
});
