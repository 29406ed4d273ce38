import { logger, metrics } from "@ami-lifecycle/aws";
import { TransientAwsError } from "@ami-lifecycle/core";
import {
  dynamoDbLocalClientConfig,
  LocalDeployment,
  localLambdaContext,
  SimulatedAccount,
} from "@ami-lifecycle/simulated-account";
import { DynamoDBClient, ScanCommand } from "@aws-sdk/client-dynamodb";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, inject, it, vi } from "vitest";
import { createImageApiCallHandler } from "../../../functions/image-api-call";
import { createImageStateChangeHandler } from "../../../functions/image-state-change";
import { type SampleEvent, sampleEvent } from "../../support/event-samples";
import { scenarioConfig, scenarioRegions } from "../../support/scenario-config";

type Handler = (event: unknown, context: ReturnType<typeof localLambdaContext>) => Promise<unknown>;

describe("event handlers given bad input", () => {
  let deployment: LocalDeployment;
  let dynamo: DynamoDBClient;
  let stateChangeHandler: Handler;
  let apiCallHandler: Handler;
  let errorLog: ReturnType<typeof vi.spyOn>;
  let metric: ReturnType<typeof vi.spyOn>;
  let invocation = 0;

  beforeAll(async () => {
    const account = new SimulatedAccount({ regions: scenarioRegions });
    deployment = await LocalDeployment.start({
      config: scenarioConfig(),
      account,
      dynamoEndpoint: inject("dynamoEndpoint"),
      sdkMaxAttempts: 3,
    });
    dynamo = new DynamoDBClient(dynamoDbLocalClientConfig(inject("dynamoEndpoint")));
    stateChangeHandler = createImageStateChangeHandler(() => deployment.runtime) as Handler;
    apiCallHandler = createImageApiCallHandler(() => deployment.runtime) as Handler;
  });
  afterAll(async () => {
    dynamo.destroy();
    await deployment.stop();
  });
  beforeEach(() => {
    errorLog = vi.spyOn(logger, "error");
    metric = vi.spyOn(metrics, "addMetric");
    deployment.account.resetCallCounts();
  });
  afterEach(() => {
    vi.restoreAllMocks();
    deployment.account.setFaults({});
  });

  const invoke = (handler: Handler, event: unknown) =>
    handler(event, localLambdaContext("bad-input", `bad-input-${++invocation}`));

  /** Everything a handler could have changed: AWS calls, registry items, notifications. */
  async function sideEffects() {
    const registryItems = await dynamo.send(new ScanCommand({ TableName: deployment.tables.registry }));
    return {
      awsCalls: deployment.account.callCounts(),
      registryItems: registryItems.Count,
      published: deployment.account.published().length,
    };
  }
  const none = { awsCalls: {}, registryItems: 0, published: 0 };

  /** The single structured error the wrapper logged for a rejected event. */
  function loggedRejection() {
    expect(errorLog).toHaveBeenCalledTimes(1);
    const [message, extra] = errorLog.mock.calls[0] as [string, Record<string, unknown>];
    expect(message).toBe("invalid event rejected");
    return extra as { handler: string; eventId?: string; issues: { path: string; message: string }[] };
  }

  const stateChangeCases: [string, (event: SampleEvent) => void, string][] = [
    ["a missing image id", (event) => delete event.detail.ImageId, "detail.ImageId"],
    ["a malformed image id", (event) => (event.detail.ImageId = "ami-NOT-HEX"), "detail.ImageId"],
    ["an unknown state", (event) => (event.detail.State = "pending"), "detail.State"],
    [
      "the wrong detail-type",
      (event) => (event["detail-type"] = "EC2 Instance State-change Notification"),
      "detail-type",
    ],
    ["a malformed account", (event) => (event.account = "not-an-account"), "account"],
  ];

  it.each(stateChangeCases)(
    "drops a state change with %s, naming the event and the field",
    async (_, breakIt, path) => {
      // Prepare
      const event = sampleEvent("ami-state-available.json");
      breakIt(event);

      // Act
      const result = await invoke(stateChangeHandler, event);

      // Assess
      expect(result).toMatchObject({ outcome: "rejected", eventId: event.id });
      const logged = loggedRejection();
      expect(logged).toMatchObject({ handler: "image-state-change", eventId: event.id });
      expect(logged.issues.map((issue) => issue.path)).toContain(path);
      expect(metric).toHaveBeenCalledWith("image-state-change.invalid", "Count", 1);
      expect(await sideEffects()).toEqual(none);
    },
  );

  it("drops an event larger than EventBridge allows (256 KB) before looking at it", async () => {
    // Prepare: the padding sits in a field the contract does not read, so only the size gives it away.
    const event = sampleEvent("ami-state-available.json");
    event.detail.padding = "x".repeat(300 * 1024);

    // Act
    const result = await invoke(stateChangeHandler, event);

    // Assess
    expect(result).toMatchObject({ outcome: "rejected", eventId: event.id });
    const logged = loggedRejection();
    expect(logged.eventId).toBe(event.id);
    expect(logged.issues).toEqual([{ path: "(root)", message: expect.stringContaining("256 KB") }]);
    expect(metric).toHaveBeenCalledWith("image-state-change.invalid", "Count", 1);
    expect(await sideEffects()).toEqual(none);
  });

  it("drops something that is not an event at all", async () => {
    // Act
    const result = await invoke(stateChangeHandler, "not an event");

    // Assess
    expect(result).toMatchObject({ outcome: "rejected", eventId: undefined });
    expect(loggedRejection().issues.length).toBeGreaterThan(0);
    expect(await sideEffects()).toEqual(none);
  });

  it("drops a CloudTrail record with a malformed response, naming CloudTrail's event id and the field", async () => {
    // Prepare
    const event = sampleEvent("cloudtrail-create-image.json");
    event.detail.responseElements.imageId = "i-0123456789abcdef0";

    // Act
    const result = await invoke(apiCallHandler, event);

    // Assess
    expect(result).toMatchObject({ outcome: "rejected", eventId: event.detail.eventID });
    const logged = loggedRejection();
    expect(logged).toMatchObject({ handler: "image-api-call", eventId: event.detail.eventID });
    expect(logged.issues.map((issue) => issue.path)).toEqual(["detail.responseElements.imageId"]);
    expect(metric).toHaveBeenCalledWith("image-api-call.invalid", "Count", 1);
    expect(await sideEffects()).toEqual(none);
  });

  it("ignores a failed CloudTrail call (nothing was created), saying which call and why", async () => {
    // Prepare
    const event = sampleEvent("cloudtrail-create-image.json");
    event.detail.errorCode = "InvalidAMIName.Duplicate";
    event.detail.errorMessage = "AMI name payments-api-2026.11.20-1842 is already in use";
    event.detail.responseElements = null;
    const infoLog = vi.spyOn(logger, "info");

    // Act
    const result = await invoke(apiCallHandler, event);

    // Assess
    expect(result).toEqual({ outcome: "ignored", reason: "call failed (InvalidAMIName.Duplicate)" });
    expect(errorLog).not.toHaveBeenCalled();
    expect(infoLog).toHaveBeenCalledWith("event handled", {
      result: { outcome: "ignored", reason: "call failed (InvalidAMIName.Duplicate)" },
    });
    expect(metric).toHaveBeenCalledWith("image-api-call.ignored", "Count", 1);
    expect(await sideEffects()).toMatchObject({ awsCalls: {}, registryItems: 0, published: 0 });
  });

  it("rejects (throws) when EC2 keeps throttling, so Lambda retries the event", async () => {
    // Prepare
    const event = sampleEvent("ami-state-available.json");
    event.id = "throttled-event-1";
    deployment.account.setFaults({ throttleRate: 1, only: ["DescribeImages"] });

    // Act
    const failure = await invoke(stateChangeHandler, event).catch((error: unknown) => error);

    // Assess
    expect(failure).toBeInstanceOf(TransientAwsError);
    expect((failure as TransientAwsError).code).toBe("RequestLimitExceeded");
    expect(deployment.account.callCounts()).toEqual({ "us-east-1:DescribeImages": 3 });
    expect(await sideEffects()).toMatchObject({ registryItems: 0, published: 0 });
  });

  it("rejects (throws) when the reads-only check before idempotency keeps being throttled", async () => {
    // Prepare: the service-copy check runs for every successful CopyImage record
    const event = sampleEvent("cloudtrail-copy-image.json");
    deployment.account.setFaults({ throttleRate: 1, only: ["DescribeImages"] });

    // Act
    const failure = await invoke(apiCallHandler, event).catch((error: unknown) => error);

    // Assess
    expect(failure).toBeInstanceOf(TransientAwsError);
    expect(deployment.account.callCounts()).toEqual({ "eu-west-1:DescribeImages": 3 });
    expect(await sideEffects()).toMatchObject({ registryItems: 0, published: 0 });
  });

  it("handles the same event normally once the throttling stops (the retry is not blocked)", async () => {
    // Prepare
    const event = sampleEvent("ami-state-available.json");
    event.id = "throttled-event-1";

    // Act
    const result = await invoke(stateChangeHandler, event);

    // Assess
    expect(result).toEqual({ outcome: "ignored", reason: "image not found and not in the registry" });
    expect(deployment.account.callCounts()).toEqual({ "us-east-1:DescribeImages": 1 });
  });
});
