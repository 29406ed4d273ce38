// Event reactions benchmark: replays 1,000 events (builds' CloudTrail records, state changes, and the
// copies' CloudTrail records and state changes, over many families and versions) through the real
// handlers, against the simulated account and DynamoDB Local. Floor: as many conditional PutItem calls
// (attribute_not_exists(pk)) on the same DynamoDB Local in the same run. Both run sequentially
// (concurrency 1), after warming DynamoDB Local's JVM (its first thousands of requests are several times
// slower). The floor is measured right before and right after the events and the two are pooled: one
// short floor run alone swings by ±30 % with the JVM's state. Last stdout line: one JSON object.
import type { Config } from "@ami-lifecycle/core";
import type { EventBridgeEvent } from "@ami-lifecycle/simulated-account";

// Quiet Powertools before anything imports it: the benchmark measures work, not log writing.
process.env.POWERTOOLS_LOG_LEVEL = "SILENT";
process.env.POWERTOOLS_METRICS_DISABLED = "true";
process.env.POWERTOOLS_TRACE_ENABLED = "false";

const eventCount = 1000;
const warmupEvents = 600;
const warmupPuts = 3000;
const familyCount = 25;
const target = 0.25;
const regions = ["us-east-1", "eu-west-1", "ap-southeast-2"];
const MINUTE = 60_000;

const { parseConfig } = await import("@ami-lifecycle/core");
const { SimulatedAccount, startDynamoDbLocal, dynamoDbLocalClientConfig } = await import(
  "@ami-lifecycle/simulated-account"
);
const { CreateImageCommand, EC2Client } = await import("@aws-sdk/client-ec2");
const { CreateTableCommand, DynamoDBClient, PutItemCommand } = await import("@aws-sdk/client-dynamodb");
const { LocalDeployment } = await import("../packages/cli/src/local/deployment");

/** What one replay measured. */
interface Replay {
  delivered: number;
  handlerMs: number;
  kinds: Record<string, number>;
  /** DynamoDB round trips by event kind */
  kindRoundTrips: Record<string, number>;
  /** calls to the simulated EC2, SNS, SSM… by `region:operation` (the pipeline's own included) */
  simulatedCalls: Record<string, number>;
  /** DynamoDB round trips by event kind and command */
  kindCommands: Record<string, Record<string, number>>;
  roundTrips: Map<string, number>;
  dynamoMs: Map<string, number>;
}

/** Many families copied to two regions, like a platform team's account. */
function benchConfig(): Config {
  return parseConfig({
    accounts: ["111122223333"],
    homeRegion: "us-east-1",
    regions,
    families: Array.from({ length: familyCount }, (_, index) => ({
      name: familyName(index),
      team: `team-${index % 5}`,
      match: { namePattern: `${familyName(index)}-*` },
      copyTo: [
        { region: "eu-west-1", kmsKeyId: "alias/ami-lifecycle" },
        { region: "ap-southeast-2", kmsKeyId: "alias/ami-lifecycle" },
      ],
    })),
  });
}

function familyName(index: number): string {
  return `svc-${String(index % familyCount).padStart(2, "0")}`;
}

/**
 * Builds one image a minute, round robin over the families, and delivers every EC2 event as it comes
 * (handlers emit events too: the copies' CloudTrail records), until `count` events were delivered.
 * Only the time inside the handlers counts.
 */
async function replay(endpoint: string, count: number): Promise<Replay> {
  const measured: Replay = {
    delivered: 0,
    handlerMs: 0,
    kinds: {},
    kindRoundTrips: {},
    kindCommands: {},
    simulatedCalls: {},
    roundTrips: new Map(),
    dynamoMs: new Map(),
  };
  const account = new SimulatedAccount({ regions });
  for (const region of ["eu-west-1", "ap-southeast-2"])
    account.createKey(region, { alias: "alias/ami-lifecycle" });
  const instanceId = account.runInstance("us-east-1", account.seedImage("us-east-1", { name: "base" }));
  const deployment = await LocalDeployment.start({
    config: benchConfig(),
    account,
    dynamoEndpoint: endpoint,
    observeClient: (client, service) => {
      if (!(client instanceof DynamoDBClient) || service !== "DynamoDB") return;
      client.middlewareStack.add(
        (next, context) => async (args) => {
          const name = context.commandName ?? "unknown";
          const started = performance.now();
          try {
            return await next(args);
          } finally {
            measured.roundTrips.set(name, (measured.roundTrips.get(name) ?? 0) + 1);
            measured.dynamoMs.set(name, (measured.dynamoMs.get(name) ?? 0) + performance.now() - started);
          }
        },
        { step: "initialize", name: "benchRoundTripCounter" },
      );
    },
  });
  const pipeline = account.client(EC2Client, "us-east-1", {
    principalArn: "arn:aws:sts::111122223333:assumed-role/image-pipeline/bench",
  });
  const deliver = async (event: EventBridgeEvent) => {
    const started = performance.now();
    const tripsBefore = total(measured.roundTrips);
    const commandsBefore = new Map(measured.roundTrips);
    const delivery = await deployment.deliver(event);
    measured.handlerMs += performance.now() - started;
    if (delivery.error) throw delivery.error;
    measured.delivered++;
    const kind = `${event["detail-type"]}${event.region === "us-east-1" ? "" : " (copy)"}`;
    measured.kinds[kind] = (measured.kinds[kind] ?? 0) + 1;
    measured.kindRoundTrips[kind] =
      (measured.kindRoundTrips[kind] ?? 0) + total(measured.roundTrips) - tripsBefore;
    const commands = measured.kindCommands[kind] ?? {};
    measured.kindCommands[kind] = commands;
    for (const [name, count] of measured.roundTrips)
      commands[name] = (commands[name] ?? 0) + count - (commandsBefore.get(name) ?? 0);
  };
  try {
    for (let build = 0; measured.delivered < count; build++) {
      const name = `${familyName(build)}-build-${Math.floor(build / familyCount)}`;
      await pipeline.send(new CreateImageCommand({ InstanceId: instanceId, Name: name }));
      account.advance(MINUTE);
      for (let events = account.drainEvents(); events.length > 0; events = account.drainEvents()) {
        // The service's own sweep requests go to the sweep function, not to these handlers.
        for (const event of events.filter((candidate) => candidate.source === "aws.ec2")) {
          if (measured.delivered >= count) break;
          await deliver(event);
        }
      }
    }
    measured.simulatedCalls = account.callCounts();
  } finally {
    pipeline.destroy();
    await deployment.stop();
  }
  return measured;
}

/** Sequential conditional PutItem calls (attribute_not_exists(pk)) on a fresh table; calls per second. */
async function floor(endpoint: string, count: number): Promise<number> {
  const client = new DynamoDBClient(dynamoDbLocalClientConfig(endpoint));
  const tableName = `bench-floor-${count}-${Date.now().toString(36)}`;
  try {
    await client.send(
      new CreateTableCommand({
        TableName: tableName,
        AttributeDefinitions: [{ AttributeName: "pk", AttributeType: "S" }],
        KeySchema: [{ AttributeName: "pk", KeyType: "HASH" }],
        BillingMode: "PAY_PER_REQUEST",
      }),
    );
    const started = performance.now();
    for (let index = 0; index < count; index++) {
      await client.send(
        new PutItemCommand({
          TableName: tableName,
          Item: { pk: { S: `claim-${index}` }, claimedAt: { S: new Date().toISOString() } },
          ConditionExpression: "attribute_not_exists(pk)",
        }),
      );
    }
    return count / ((performance.now() - started) / 1000);
  } finally {
    client.destroy();
  }
}

function total(counts: Map<string, number>): number {
  return [...counts.values()].reduce((sum, count) => sum + count, 0);
}

function round(value: number, digits = 1): number {
  return Number(value.toFixed(digits));
}

const dynamo = await startDynamoDbLocal();
try {
  // Warm the JVM on both kinds of work before measuring either.
  await floor(dynamo.endpoint, warmupPuts);
  await replay(dynamo.endpoint, warmupEvents);

  const floorBefore = await floor(dynamo.endpoint, eventCount);
  const events = await replay(dynamo.endpoint, eventCount);
  const floorAfter = await floor(dynamo.endpoint, eventCount);
  // Pooled rate: both runs' calls over both runs' time.
  const floorPerSecond = (2 * eventCount) / (eventCount / floorBefore + eventCount / floorAfter);
  const eventsPerSecond = events.delivered / (events.handlerMs / 1000);

  const perCall = Object.fromEntries(
    [...events.dynamoMs].map(([name, ms]) => [name, round(ms / (events.roundTrips.get(name) ?? 1), 2)]),
  );
  console.log(`events: ${events.delivered} delivered sequentially in ${events.handlerMs.toFixed(0)} ms`);
  console.log(`floor: ${round(floorBefore)} PutItem/s before the events, ${round(floorAfter)} after`);
  console.log(`mix: ${JSON.stringify(events.kinds)}`);
  const tripsPerKind = Object.entries(events.kindRoundTrips).map(
    ([kind, trips]) => `${kind}: ${(trips / (events.kinds[kind] ?? 1)).toFixed(2)}`,
  );
  console.log(`DynamoDB round trips per event by kind: ${tripsPerKind.join("; ")}`);
  for (const [kind, commands] of Object.entries(events.kindCommands)) {
    const perEvent = Object.entries(commands)
      .filter(([, count]) => count > 0)
      .map(
        ([name, count]) => `${name.replace("Command", "")} ${(count / (events.kinds[kind] ?? 1)).toFixed(2)}`,
      );
    console.log(`  ${kind}: ${perEvent.join(", ")}`);
  }
  console.log(
    `DynamoDB round trips per event: ${(total(events.roundTrips) / events.delivered).toFixed(2)} ` +
      JSON.stringify(Object.fromEntries(events.roundTrips)),
  );
  const byOperation = new Map<string, number>();
  for (const [key, count] of Object.entries(events.simulatedCalls)) {
    const operation = key.split(":").at(-1) ?? key;
    byOperation.set(operation, (byOperation.get(operation) ?? 0) + count);
  }
  console.log(
    `simulated AWS calls per event: ${[...byOperation]
      .sort((a, b) => b[1] - a[1])
      .map(([operation, count]) => `${operation} ${(count / events.delivered).toFixed(2)}`)
      .join(", ")}`,
  );
  console.log(
    `DynamoDB time per event: ${(total(events.dynamoMs) / events.delivered).toFixed(2)} ms; ms per call ${JSON.stringify(perCall)}`,
  );
  console.log(
    JSON.stringify({
      bench: "events",
      events: events.delivered,
      events_per_s: round(eventsPerSecond),
      floor_per_s: round(floorPerSecond),
      ratio: round(eventsPerSecond / floorPerSecond, 3),
      target,
    }),
  );
} finally {
  await dynamo.stop();
}
