import { detailSeparator, SnsNotifier } from "@ami-lifecycle/aws";
import { AwsOperationError, type Notification } from "@ami-lifecycle/core";
import { CreateTopicCommand, PublishCommand, SubscribeCommand } from "@aws-sdk/client-sns";
import { CreateQueueCommand, GetQueueAttributesCommand, ReceiveMessageCommand } from "@aws-sdk/client-sqs";
import { afterEach, describe, expect, it } from "vitest";
import { teamFilterPolicy } from "../../stacks/notification-filters";
import { expectedOn } from "./support/gaps";
import { outcomeOf } from "./support/outcome";
import { home, type Target, targets } from "./support/targets";

const opened: Target[] = [];
afterEach(() => {
  for (const target of opened.splice(0)) target.destroy();
});

/** A notification of the web team's family, with every filter attribute set. */
function webAvailable(): Notification {
  return {
    eventType: "available",
    family: "web",
    team: "web-team",
    severity: "info",
    region: home,
    subject: "web version 3 is available in eu-west-1",
    body: "web version 3 (ami-0123456789abcdef0) is available.",
    detail: { family: "web", version: 3, imageId: "ami-0123456789abcdef0" },
  };
}

/** An SQS queue subscribed to the topic, filtered as the stack filters a team (or unfiltered). */
async function subscribedQueue(target: Target, topicArn: string, name: string, team?: string) {
  const { QueueUrl } = await target.sqs(home).send(new CreateQueueCommand({ QueueName: name }));
  const { Attributes } = await target
    .sqs(home)
    .send(new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ["QueueArn"] }));
  await target.sns(home).send(
    new SubscribeCommand({
      TopicArn: topicArn,
      Protocol: "sqs",
      Endpoint: Attributes?.QueueArn,
      ...(team
        ? { Attributes: { FilterPolicyScope: "MessageAttributes", FilterPolicy: teamFilterPolicy(team) } }
        : {}),
    }),
  );
  return QueueUrl ?? "";
}

/** Every message waiting in the queue (moto delivers synchronously, so nothing needs to wait). */
async function received(target: Target, queueUrl: string) {
  const { Messages } = await target
    .sqs(home)
    .send(new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 10 }));
  return (Messages ?? []).map((message) => JSON.parse(message.Body ?? "{}"));
}

const moto = targets.find((candidate) => candidate.name === "moto");

describe.skipIf(moto?.skip ?? true)("SnsNotifier on moto, through each team's filter policy to SQS", () => {
  it("the team's queue receives the SNS envelope with subject, message and attributes; other teams' queues nothing", async () => {
    // Prepare
    const target = moto?.make() as Target;
    opened.push(target);
    const { TopicArn } = await target.sns(home).send(new CreateTopicCommand({ Name: "notifications" }));
    const topicArn = TopicArn ?? "";
    const webQueue = await subscribedQueue(target, topicArn, "web-team", "web-team");
    const apiQueue = await subscribedQueue(target, topicArn, "api-team", "api-team");
    const operationsQueue = await subscribedQueue(target, topicArn, "operations");
    const notifier = new SnsNotifier({ client: target.sns(home), topicArn });

    // Act
    await notifier.publish(webAvailable());

    // Assess
    const [envelope, ...more] = await received(target, webQueue);
    expect(more).toEqual([]);
    expect(envelope).toMatchObject({
      Type: "Notification",
      TopicArn: topicArn,
      Subject: "web version 3 is available in eu-west-1",
      MessageAttributes: {
        eventType: { Type: "String", Value: "available" },
        family: { Type: "String", Value: "web" },
        team: { Type: "String", Value: "web-team" },
        severity: { Type: "String", Value: "info" },
        region: { Type: "String", Value: home },
      },
    });
    expect(typeof envelope.MessageId).toBe("string");
    const [, detail] = String(envelope.Message).split(`\n${detailSeparator}\n`);
    expect(JSON.parse(detail ?? "null")).toEqual(webAvailable().detail);
    expect(await received(target, apiQueue)).toEqual([]);
    expect((await received(target, operationsQueue)).map((message) => message.Subject)).toEqual([
      "web version 3 is available in eu-west-1",
    ]);
  });

  it("a message without the team attribute (an alarm) reaches only unfiltered subscribers", async () => {
    // Prepare
    const target = moto?.make() as Target;
    opened.push(target);
    const { TopicArn } = await target.sns(home).send(new CreateTopicCommand({ Name: "notifications" }));
    const webQueue = await subscribedQueue(target, TopicArn ?? "", "web-team", "web-team");
    const operationsQueue = await subscribedQueue(target, TopicArn ?? "", "operations");

    // Act
    await target.sns(home).send(new PublishCommand({ TopicArn, Message: "ALARM: sweep failures" }));

    // Assess
    expect(await received(target, webQueue)).toEqual([]);
    expect((await received(target, operationsQueue)).map((message) => message.Message)).toEqual([
      "ALARM: sweep failures",
    ]);
  });
});

describe.each(targets)("SNS Publish errors on $name", ({ make, skip }) => {
  // SNS answers the wire codes NotFound and InvalidParameter; the SDK raises them as its modeled
  // NotFoundException and InvalidParameterException, which is what the adapters see.
  it.skipIf(skip)("publishing to a topic that does not exist is NotFoundException", async () => {
    // Prepare
    const target = make();
    opened.push(target);
    const notifier = new SnsNotifier({
      client: target.sns(home),
      topicArn: `arn:aws:sns:${home}:${target.accountId}:missing`,
    });

    // Act
    const error = await notifier.publish(webAvailable()).catch((caught: Error) => caught);

    // Assess
    expect(error).toBeInstanceOf(AwsOperationError);
    expect((error as Error).cause).toMatchObject({ name: "NotFoundException" });
  });

  it.skipIf(skip)("an empty message is InvalidParameterException (moto accepts it)", async () => {
    // Prepare
    const target = make();
    opened.push(target);
    const { TopicArn } = await target.sns(home).send(new CreateTopicCommand({ Name: "notifications" }));

    // Act
    const outcome = await outcomeOf(target.sns(home).send(new PublishCommand({ TopicArn, Message: "" })));

    // Assess
    expect(outcome).toBe(expectedOn(target, { aws: "InvalidParameterException", moto: "accepted" }));
  });
});
