// Event reactions benchmark: what each event costs. Replays 1,000 events (builds' CloudTrail records,
// state changes, and the copies' CloudTrail records and state changes, over many families and versions)
// through the real handlers, against the simulated account and DynamoDB Local, sequentially after a
// warm-up replay. Per event kind and overall: DynamoDB round trips, consumed capacity units (every call
// asks for ReturnConsumedCapacity TOTAL; DynamoDB Local reports it), EC2/SNS/SSM calls and CPU ms of this
// process (handlers, SDK and the in-process simulated account; DynamoDB Local runs in its own JVM).
// Floor: per effectful event one registry read and one conditional write, per no-op event one read.
// Last stdout line: one JSON object with `ratio` = round trips per event / floor round trips per event.
import type { Config } from "@ami-lifecycle/core";
import type { EventBridgeEvent } from "@ami-lifecycle/simulated-account";

// Quiet Powertools before anything imports it: the benchmark measures work, not log writing.
process.env.POWERTOOLS_LOG_LEVEL = "SILENT";
process.env.POWERTOOLS_METRICS_DISABLED = "true";
process.env.POWERTOOLS_TRACE_ENABLED = "false";

const eventCount = 1000;
const warmupEvents = 600;
const familyCount = 25;
const target = 2.0;
const regions = ["us-east-1", "eu-west-1", "ap-southeast-2"];
const MINUTE = 60_000;

const { parseConfig } = await import("@ami-lifecycle/core");
const { SimulatedAccount, startDynamoDbLocal } = await import("@ami-lifecycle/simulated-account");
const { CreateImageCommand, EC2Client } = await import("@aws-sdk/client-ec2");
const { DynamoDBClient } = await import("@aws-sdk/client-dynamodb");
const { LocalDeployment } = await import("@ami-lifecycle/simulated-account");
const { deniedCalls } = await import("./_iam");

/** What one event kind cost, summed over its events. */
interface KindCost {
  events: number;
  /** events whose outcome did something (recorded with at least one action) */
  effectful: number;
  roundTrips: number;
  capacityUnits: number;
  cpuMs: number;
  /** DynamoDB round trips by command */
  commands: Record<string, number>;
  /** calls to the simulated EC2, SNS, SSM… by service */
  services: Record<string, number>;
}

/** What one replay measured. */
interface Replay {
  delivered: number;
  handlerMs: number;
  kinds: Record<string, KindCost>;
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
  const measured: Replay = { delivered: 0, handlerMs: 0, kinds: {} };
  // Running totals the middleware below adds to; each delivery charges its kind with the difference.
  const dynamo = { roundTrips: 0, capacityUnits: 0, commands: new Map<string, number>() };
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
          const name = (context.commandName ?? "unknown").replace(/Command$/, "");
          // Every call reports its capacity, the idempotency layer's included (it does not ask itself).
          const input = args.input as { ReturnConsumedCapacity?: string };
          input.ReturnConsumedCapacity ??= "TOTAL";
          dynamo.roundTrips++;
          dynamo.commands.set(name, (dynamo.commands.get(name) ?? 0) + 1);
          const result = await next(args);
          dynamo.capacityUnits += capacityOf(
            (result.output as { ConsumedCapacity?: unknown }).ConsumedCapacity,
          );
          return result;
        },
        { step: "initialize", name: "benchRoundTripCounter" },
      );
    },
  });
  const pipeline = account.client(EC2Client, "us-east-1", {
    principalArn: "arn:aws:sts::111122223333:assumed-role/image-pipeline/bench",
  });
  const deliver = async (event: EventBridgeEvent) => {
    const before = { ...dynamo, commands: new Map(dynamo.commands) };
    const callsBefore = account.callCounts();
    const cpuBefore = process.cpuUsage();
    const started = performance.now();
    const delivery = await deployment.deliver(event);
    measured.handlerMs += performance.now() - started;
    const cpu = process.cpuUsage(cpuBefore);
    if (delivery.error) throw delivery.error;
    measured.delivered++;
    const kind = `${event["detail-type"]}${event.region === "us-east-1" ? "" : " (copy)"}`;
    const cost = measured.kinds[kind] ?? emptyCost();
    measured.kinds[kind] = cost;
    cost.events++;
    if (isEffectful(delivery.result)) cost.effectful++;
    cost.roundTrips += dynamo.roundTrips - before.roundTrips;
    cost.capacityUnits += dynamo.capacityUnits - before.capacityUnits;
    cost.cpuMs += (cpu.user + cpu.system) / 1000;
    for (const [name, calls] of dynamo.commands)
      cost.commands[name] = (cost.commands[name] ?? 0) + calls - (before.commands.get(name) ?? 0);
    for (const [key, calls] of Object.entries(account.callCounts())) {
      const service = serviceOf(key);
      const added = calls - (callsBefore[key] ?? 0);
      if (added > 0) cost.services[service] = (cost.services[service] ?? 0) + added;
    }
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
    // The image pipeline is not the service (not evaluated); every handler's call was, against its role.
    deniedCalls(account, "events");
  } finally {
    pipeline.destroy();
    await deployment.stop();
  }
  return measured;
}

function emptyCost(): KindCost {
  return { events: 0, effectful: 0, roundTrips: 0, capacityUnits: 0, cpuMs: 0, commands: {}, services: {} };
}

/** An event did something when its reaction had at least one effect; anything else is a no-op. */
function isEffectful(result: unknown): boolean {
  const effects = (result as { effects?: unknown } | undefined)?.effects;
  return Array.isArray(effects) && effects.length > 0;
}

/** The simulated account counts calls as `region:Service:Operation` or `region:Operation`; group by service. */
function serviceOf(key: string): string {
  const operation = key.split(":").at(-1) ?? key;
  if (/Parameter/.test(operation)) return "SSM";
  if (/^(Publish|CreateTopic|Subscribe)/.test(operation)) return "SNS";
  if (/^PutEvents$/.test(operation)) return "EventBridge";
  if (/Key$|Grant$/.test(operation)) return "KMS";
  return "EC2";
}

/** Capacity units of one response: a number, or per table (TransactWriteItems, BatchGetItem). */
function capacityOf(consumed: unknown): number {
  const entries = Array.isArray(consumed) ? consumed : consumed ? [consumed] : [];
  return entries.reduce(
    (sum, entry) => sum + Number((entry as { CapacityUnits?: number }).CapacityUnits ?? 0),
    0,
  );
}

function round(value: number, digits = 1): number {
  return Number(value.toFixed(digits));
}

/** Per-event averages of one kind (or of all events), as printed and put in the JSON line. */
function perEvent(cost: KindCost) {
  const n = Math.max(cost.events, 1);
  // Floor: an effectful event needs one registry read and one conditional write, a no-op one read.
  const floorTrips = cost.effectful * 2 + (cost.events - cost.effectful);
  return {
    events: cost.events,
    effectful: cost.effectful,
    round_trips: round(cost.roundTrips / n, 2),
    floor_round_trips: round(floorTrips / n, 2),
    capacity_units: round(cost.capacityUnits / n, 2),
    cpu_ms: round(cost.cpuMs / n, 2),
    calls: Object.fromEntries(
      Object.entries(cost.services).map(([service, calls]) => [service, round(calls / n, 2)]),
    ),
    dynamodb: Object.fromEntries(
      Object.entries(cost.commands)
        .filter(([, calls]) => calls > 0)
        .map(([name, calls]) => [name, round(calls / n, 2)]),
    ),
  };
}

function sum(costs: KindCost[]): KindCost {
  const all = emptyCost();
  for (const cost of costs) {
    all.events += cost.events;
    all.effectful += cost.effectful;
    all.roundTrips += cost.roundTrips;
    all.capacityUnits += cost.capacityUnits;
    all.cpuMs += cost.cpuMs;
    for (const [name, calls] of Object.entries(cost.commands))
      all.commands[name] = (all.commands[name] ?? 0) + calls;
    for (const [name, calls] of Object.entries(cost.services))
      all.services[name] = (all.services[name] ?? 0) + calls;
  }
  return all;
}

const dynamo = await startDynamoDbLocal();
try {
  // Warm DynamoDB Local's JVM and this process's JIT before measuring.
  await replay(dynamo.endpoint, warmupEvents);
  const events = await replay(dynamo.endpoint, eventCount);
  const kinds = Object.fromEntries(
    Object.entries(events.kinds).map(([kind, cost]) => [kind, perEvent(cost)]),
  );
  const overall = perEvent(sum(Object.values(events.kinds)));
  console.log(`events: ${events.delivered} delivered sequentially in ${events.handlerMs.toFixed(0)} ms`);
  for (const [kind, cost] of Object.entries(kinds)) console.log(`${kind}: ${JSON.stringify(cost)}`);
  console.log(`all events: ${JSON.stringify(overall)}`);
  console.log(
    JSON.stringify({
      bench: "events",
      events: events.delivered,
      round_trips_per_event: overall.round_trips,
      floor_round_trips_per_event: overall.floor_round_trips,
      capacity_units_per_event: overall.capacity_units,
      cpu_ms_per_event: overall.cpu_ms,
      events_per_s: round(events.delivered / (events.handlerMs / 1000)),
      ratio: round(overall.round_trips / overall.floor_round_trips, 3),
      target,
    }),
  );
} finally {
  await dynamo.stop();
}
