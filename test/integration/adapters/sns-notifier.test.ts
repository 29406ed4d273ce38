import { createClients, detailSeparator, SnsNotifier, snsMessageLimitBytes } from "@ami-lifecycle/aws";
import { AwsOperationError, type Notification } from "@ami-lifecycle/core";
import { fastRetryStrategy, SimulatedAccount } from "@ami-lifecycle/simulated-account";
import { afterEach, describe, expect, it } from "vitest";

const home = "eu-west-1";

function setup() {
  const account = new SimulatedAccount({ regions: [home] });
  const clients = createClients({
    regions: [home],
    clientConfig: {
      credentials: { accessKeyId: "test", secretAccessKey: "test" },
      retryStrategy: fastRetryStrategy(2),
    },
    configureClient: (client) => account.attach(client),
  });
  opened.push(clients);
  const topicArn = account.createTopic(home, "ami-lifecycle");
  return { account, topicArn, notifier: new SnsNotifier({ client: clients.sns, topicArn }), clients };
}

const opened: ReturnType<typeof createClients>[] = [];
afterEach(() => {
  for (const clients of opened.splice(0)) clients.destroy();
});

function notification(overrides: Partial<Notification> = {}): Notification {
  return {
    eventType: "replicated",
    family: "web",
    team: "platform",
    severity: "info",
    region: "us-east-1",
    subject: "web v7 replicated to us-east-1",
    body: "Version 7 of web is available in us-east-1 as ami-0abc.",
    detail: { family: "web", version: 7, imageId: "ami-0abc", region: "us-east-1" },
    ...overrides,
  };
}

/** What a subscriber does: everything after the separator line is the JSON detail. */
function parseDetail(message: string): unknown {
  const index = message.indexOf(`\n${detailSeparator}\n`);
  return JSON.parse(message.slice(index + detailSeparator.length + 2));
}

describe("SnsNotifier on the simulated account", () => {
  it("publishes the subject, filter attributes, the human body and the full JSON detail", async () => {
    // Prepare
    const { account, topicArn, notifier } = setup();
    const sent = notification();

    // Act
    await notifier.publish(sent);

    // Assess
    const [message, ...others] = account.published(topicArn);
    expect(others).toEqual([]);
    expect(message?.subject).toBe(sent.subject);
    expect(message?.messageAttributes).toEqual({
      eventType: { DataType: "String", StringValue: "replicated" },
      family: { DataType: "String", StringValue: "web" },
      team: { DataType: "String", StringValue: "platform" },
      severity: { DataType: "String", StringValue: "info" },
      region: { DataType: "String", StringValue: "us-east-1" },
    });
    expect(message?.message.startsWith(`${sent.body}\n\n${detailSeparator}\n`)).toBe(true);
    expect(parseDetail(message?.message ?? "")).toEqual(sent.detail);
  });

  it("puts a long multi-line subject on one line below 100 characters", async () => {
    // Prepare
    const { account, topicArn, notifier } = setup();

    // Act
    await notifier.publish(notification({ subject: `line one\nline two\t${"x".repeat(200)}` }));

    // Assess
    const subject = account.published(topicArn)[0]?.subject ?? "";
    expect(subject.length).toBeLessThan(100);
    expect(subject.startsWith("line one line two x")).toBe(true);
    expect(subject.endsWith("…")).toBe(true);
  });

  it("leaves out attributes without a value, which SNS would reject", async () => {
    // Prepare
    const { account, topicArn, notifier } = setup();

    // Act
    await notifier.publish(notification({ eventType: "retention-summary", team: "", family: "" }));

    // Assess
    expect(Object.keys(account.published(topicArn)[0]?.messageAttributes ?? {}).sort()).toEqual([
      "eventType",
      "region",
      "severity",
    ]);
  });

  it("replaces a detail too large for SNS by valid JSON that says it was truncated", async () => {
    // Prepare
    const { account, topicArn, notifier } = setup();
    const images = Array.from({ length: 6000 }, (_, index) => ({
      imageId: `ami-${index}`,
      reason: "kept: é newest",
    }));

    // Act
    await notifier.publish(notification({ eventType: "retention-summary", detail: { images } }));

    // Assess
    const message = account.published(topicArn)[0]?.message ?? "";
    expect(Buffer.byteLength(message)).toBeLessThanOrEqual(snsMessageLimitBytes);
    const detail = parseDetail(message) as { truncated: boolean; detailBytes: number; detailPrefix: string };
    expect(detail.truncated).toBe(true);
    expect(detail.detailBytes).toBe(Buffer.byteLength(JSON.stringify({ images })));
    expect(JSON.stringify({ images }).startsWith(detail.detailPrefix)).toBe(true);
    expect(detail.detailPrefix.length).toBeGreaterThan(200_000);
  });

  it("translates SNS errors, keeping their code", async () => {
    // Prepare
    const { account, clients } = setup();
    const missing = new SnsNotifier({
      client: clients.sns,
      topicArn: `arn:aws:sns:${home}:${account.accountId}:missing`,
    });

    // Act
    const failure = await missing.publish(notification()).catch((error: unknown) => error);

    // Assess
    expect(failure).toBeInstanceOf(AwsOperationError);
    expect(failure).toMatchObject({ operation: "SNS.Publish", code: "NotFoundException" });
  });
});
