// Day one at scale (#15): 10,000 pre-existing images with snapshots in 4 regions, 200 families, 2 % in
// use by instances or launch templates, EC2 token buckets and call latency on the simulated clock. The
// sweep adopts (`adopt: true`), then retires with zero grace periods and no deletion cap, one invocation
// after another until nothing is left to do. Prints simulated seconds until converged against the floor
// (per region, token-bucket time of the calls that cannot be avoided; the slowest region), EC2 calls
// against the floor's, the longest invocation, the invocations, DynamoDB calls per retired image.
// `--images N` shrinks it for a dev loop; with `--families N` too, each family keeps its full-size
// share (10,000 / 200 = 50 images) in a smaller run. Last stdout line: one JSON object.
import {
  type AwsClient,
  type AwsServiceName,
  RequestPacer,
  requestPacerPlugin,
  sweepStoresOf,
} from "@ami-lifecycle/aws";
import {
  type Config,
  type ContinuedSweepRequest,
  parseConfig,
  runContinuedSweep,
  type SweepReport,
  silentLog,
} from "@ami-lifecycle/core";
import {
  holdSimulatedTime,
  LocalDeployment,
  SimulatedAccount,
  startDynamoDbLocal,
} from "@ami-lifecycle/simulated-account";
import type { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import type { EC2Client } from "@aws-sdk/client-ec2";
import { floorCalls, regionFloor } from "./_backlog-floor";
import { deniedCalls } from "./_iam";

const regions = ["us-east-1", "eu-west-1", "ap-southeast-2", "us-west-2"];
/** `--families N` (default the 200): fewer families with the same images each for a smaller run. */
const familyCount = wholeArgument("--families", 200, 4);
const inUseShare = 0.02;
const dayMs = 86_400_000;
const maxInvocations = 40;
/** Lambda's timeout: each invocation is given this much simulated time and continues itself when it runs out. */
const invocationTimeoutMs = 900_000;
const targets = { ratio: 1.25, calls_ratio: 1.1, longest_invocation_s: 900, ddb_calls_per_image: 2 };
/** Operations of services other than EC2 (summaries go to SNS, pointers to SSM). */
const notEc2 =
  /^(Publish|PutEvents|GetParameter|GetParameters|GetParametersByPath|PutParameter|DescribeParameters|DeleteParameter|ListRules|GetRule)/;

/** A whole-number flag's value (at least `min`), the default when absent; exits naming the flag otherwise. */
function wholeArgument(flag: string, fallback: number, min: number): number {
  const index = process.argv.indexOf(flag);
  if (index < 0) return fallback;
  const value = Number(process.argv[index + 1]);
  if (!Number.isInteger(value) || value < min) {
    console.error(`${flag} must be a whole number ≥ ${min}, got ${process.argv[index + 1]}`);
    process.exit(2);
  }
  return value;
}

function imagesArgument(): number {
  return wholeArgument("--images", 10_000, familyCount);
}

function benchConfig(): Config {
  return parseConfig({
    accounts: ["111122223333"],
    homeRegion: regions[0],
    regions,
    mode: "enforce",
    families: Array.from({ length: familyCount }, (_, index) => ({
      name: `fam-${index}`,
      team: "bench",
      adopt: true,
      match: { namePattern: `fam-${index}-*` },
      retention: {
        keepLatest: 1,
        minAgeDays: 0,
        deprecateAfterDays: 0,
        disableAfterDays: 0,
        deregisterAfterDays: 0,
        maxDeletionsPerRun: 1_000_000,
        recoverableForDays: 0,
      },
    })),
  });
}

/** Seeds the backlog: family f lives in region f mod 4; every 50th image is used by an instance or a template. */
function seedBacklog(account: SimulatedAccount, images: number): { perRegion: Record<string, number> } {
  const perRegion: Record<string, number> = Object.fromEntries(regions.map((region) => [region, 0]));
  const nowMs = account.clock.nowMs();
  const inUseEvery = Math.round(1 / inUseShare);
  for (let index = 0; index < images; index++) {
    const family = index % familyCount;
    const ordinal = Math.floor(index / familyCount);
    const region = regions[family % regions.length] as string;
    const imageId = account.seedImage(region, {
      name: `fam-${family}-${ordinal}`,
      creationDate: new Date(nowMs - (images - index) * 60_000 - 30 * dayMs).toISOString(),
    });
    perRegion[region] = (perRegion[region] ?? 0) + 1;
    if (index % inUseEvery === 0) {
      if ((index / inUseEvery) % 2 === 0) account.runInstance(region, imageId);
      else account.createLaunchTemplate(region, `lt-${index}`, imageId);
    }
  }
  return { perRegion };
}

function sum(values: Iterable<number>): number {
  let total = 0;
  for (const value of values) total += value;
  return total;
}

/** What one invocation did, for the convergence test. */
function didSomething(report: SweepReport): boolean {
  return report.families.some(
    (family) =>
      family.applied.length > 0 ||
      family.stagesAdvanced.length > 0 ||
      (family.adoption?.imageIds.length ?? 0) > 0,
  );
}

async function main(): Promise<void> {
  const images = imagesArgument();
  const dynamo = await startDynamoDbLocal();
  const account = new SimulatedAccount({ regions, pacing: { throttling: true, latency: true } });
  const { perRegion } = seedBacklog(account, images);
  const pacer = new RequestPacer({
    time: { nowMs: () => account.clock.nowMs(), sleep: (ms) => account.timeline.sleep(ms) },
  });
  let ddbCalls = 0;
  const ddbByOperation: Record<string, number> = {};
  let throttled = 0;
  const observeClient = (client: AwsClient, service: AwsServiceName) => {
    if (service === "EC2") {
      const ec2 = client as EC2Client;
      ec2.middlewareStack.use(requestPacerPlugin(pacer, async () => String(await ec2.config.region())));
      ec2.middlewareStack.add(
        (next) => async (args) => {
          try {
            return await next(args);
          } catch (error) {
            if ((error as Error).name === "RequestLimitExceeded") throttled++;
            throw error;
          }
        },
        { step: "finalizeRequest", priority: "normal", name: "benchCountThrottles" },
      );
    }
    if (service === "DynamoDB") {
      const ddb = client as DynamoDBClient;
      ddb.middlewareStack.use(holdSimulatedTime(account.timeline));
      ddb.middlewareStack.add(
        (next, context) => (args) => {
          ddbCalls++;
          const operation = (context.commandName ?? "").replace(/Command$/, "");
          ddbByOperation[operation] = (ddbByOperation[operation] ?? 0) + 1;
          return next(args);
        },
        { step: "finalizeRequest", name: "benchCountDynamoCalls" },
      );
    }
  };
  const deployment = await LocalDeployment.start({
    config: benchConfig(),
    account,
    dynamoEndpoint: dynamo.endpoint,
    log: silentLog,
    observeClient,
  });
  try {
    const runtime = deployment.runtimeFor("retention-sweep");
    const continuationsRequested: { runId: string; part: number }[] = [];
    const deps = {
      sweep: runtime.reactions,
      progress: sweepStoresOf(runtime).sweepProgress,
      continuations: {
        requestContinuation: async (runId: string, part: number) => {
          continuationsRequested.push({ runId, part });
        },
      },
    };
    account.resetCallCounts();
    ddbCalls = 0;
    for (const operation of Object.keys(ddbByOperation)) delete ddbByOperation[operation];
    const started = account.clock.nowMs();
    const realStart = performance.now();
    const invocations: number[] = [];
    let candidates = 0;
    let failures = 0;
    let adopted = 0;
    // Sweeps one after another (each a run of one or more continued invocations) until one changes nothing.
    let request: ContinuedSweepRequest = { runId: "bench-run-0" };
    let runs = 0;
    let runDidSomething = false;
    // True only when the loop ended on a sweep that changed nothing: a run stopped by maxInvocations retired
    // fewer images, which would shrink the floor with it and flatter the ratio.
    let converged = false;
    for (let invocation = 0; invocation < maxInvocations; invocation++) {
      const begin = account.clock.nowMs();
      const outcome = await runContinuedSweep(
        deps,
        request,
        { remainingMs: () => begin + invocationTimeoutMs - account.clock.nowMs() },
        { familiesInFlight: 32 },
      );
      invocations.push((account.clock.nowMs() - begin) / 1000);
      if (outcome.kind === "skipped") throw new Error(`part skipped: ${outcome.reason}`);
      const report = outcome.report;
      candidates += report.referenceCandidates;
      failures += report.failures.length + sum(report.families.map((family) => family.failures.length));
      const sample = [...report.failures, ...report.families.flatMap((family) => family.failures)].slice(
        0,
        2,
      );
      for (const failure of sample) console.error(`  failure: ${JSON.stringify(failure)}`);
      adopted += sum(report.families.map((family) => family.adoption?.imageIds.length ?? 0));
      console.error(
        `invocation ${invocation + 1}: ${invocations.at(-1)?.toFixed(1)} s simulated, ${report.referenceCandidates} candidates, ${failures} failures so far (${Math.round((performance.now() - realStart) / 1000)} s real)`,
      );
      runDidSomething ||= didSomething(report);
      const next = continuationsRequested.shift();
      if (next) {
        request = { runId: next.runId, continuation: { part: next.part } };
        continue;
      }
      if (!runDidSomething) {
        converged = true;
        break;
      }
      runs++;
      runDidSomething = false;
      request = { runId: `bench-run-${runs}` };
    }
    const convergedS = (account.clock.nowMs() - started) / 1000;

    // Calls per region and API (attempts, throttled ones included).
    const calls = new Map<string, Map<string, number>>();
    for (const [key, count] of Object.entries(account.callCounts())) {
      const region = key.slice(0, key.indexOf(":"));
      const api = key.slice(key.indexOf(":") + 1);
      if (notEc2.test(api)) continue;
      const byApi = calls.get(region) ?? new Map<string, number>();
      byApi.set(api, (byApi.get(api) ?? 0) + count);
      calls.set(region, byApi);
    }
    const remaining = new Map(regions.map((region) => [region, account.images(region).length]));
    // The floor, per region (bench/_backlog-floor.ts): the bucket time of the unavoidable calls plus the
    // latency of the chain still to run after the last of them; buckets are independent, so the slowest API.
    // Every retired image had to be looked up; the in-use ones kept are not counted (a lower bound).
    const floor = regions.map((region) => {
      const owned = perRegion[region] ?? 0;
      const retired = owned - (remaining.get(region) ?? 0);
      const calls = floorCalls({ owned, adopted: owned, candidates: retired, retired });
      return { region, floorCalls: calls, ...regionFloor(calls), retired };
    });
    const floorS = Math.max(...floor.map((entry) => entry.seconds));
    const serialFloorS = Math.max(...floor.map((entry) => entry.serialSeconds));
    const ec2Calls = sum([...calls.values()].flatMap((byApi) => [...byApi.values()]));
    const floorCallCount = sum(floor.flatMap((entry) => Object.values(entry.floorCalls)));
    const retired = sum(floor.map((entry) => entry.retired));
    const byApi: Record<string, number> = {};
    for (const perApi of calls.values())
      for (const [api, count] of perApi) byApi[api] = (byApi[api] ?? 0) + count;
    for (const entry of floor) {
      console.error(
        `${entry.region}: ${perRegion[entry.region]} images, ${entry.retired} retired, floor ${entry.seconds.toFixed(1)} s (APIs one after another: ${entry.serialSeconds.toFixed(1)} s)`,
      );
    }
    console.error(`EC2 calls by API: ${JSON.stringify(byApi)}`);
    console.error(`DynamoDB calls by operation: ${JSON.stringify(ddbByOperation)}`);
    console.error(
      `converged in ${convergedS.toFixed(1)} simulated s over ${invocations.length} invocations (longest ${Math.max(...invocations).toFixed(1)} s); floor ${floorS.toFixed(1)} s; ${ec2Calls} EC2 calls vs ${floorCallCount}; ${ddbCalls} DynamoDB calls for ${retired} retired images; ${adopted} adopted; ${failures} failures; ${throttled} throttled`,
    );
    console.log(
      JSON.stringify({
        bench: "backlog",
        images,
        regions: regions.length,
        families: familyCount,
        adopted,
        retired,
        left: sum(remaining.values()),
        candidates,
        failures,
        denials: deniedCalls(account, "backlog"),
        converged,
        converged_s: Number(convergedS.toFixed(1)),
        floor_s: Number(floorS.toFixed(1)),
        floor_serial_s: Number(serialFloorS.toFixed(1)),
        ec2_calls: ec2Calls,
        floor_calls: floorCallCount,
        calls_by_api: byApi,
        invocations: invocations.length,
        sweeps: runs + 1,
        longest_invocation_s: Number(Math.max(...invocations).toFixed(1)),
        ddb_calls: ddbCalls,
        ddb_calls_by_operation: ddbByOperation,
        throttled,
        ratio: Number((convergedS / floorS).toFixed(3)),
        // against the buckets one after another (adoption's tags all before the first retirement, say)
        ratio_serial: Number((convergedS / serialFloorS).toFixed(3)),
        calls_ratio: Number((ec2Calls / floorCallCount).toFixed(3)),
        ddb_calls_per_image: Number((ddbCalls / Math.max(1, retired)).toFixed(2)),
        // real seconds from the first invocation to convergence: the simulation's own cost, machine-dependent
        wall_s: Math.round((performance.now() - realStart) / 1000),
        targets,
      }),
    );
  } finally {
    await deployment.stop();
    await dynamo.stop();
  }
}

await main();
