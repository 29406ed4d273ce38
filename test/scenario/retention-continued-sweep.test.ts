import { DynamoSweepProgressStore } from "@ami-lifecycle/aws";
import {
  adoptAccount,
  type ContinuedSweepDependencies,
  type ContinuedSweepOutcome,
  continuationMarginMs,
  type InvocationBudget,
  parseConfig,
  runContinuedSweep,
  type SweepProgressStore,
} from "@ami-lifecycle/core";
import {
  type EventBridgeEvent,
  LocalDeployment,
  localLambdaContext,
  SimulatedAccount,
} from "@ami-lifecycle/simulated-account";
import { afterEach, describe, expect, inject, it } from "vitest";
import { createRetentionSweepHandler } from "../../functions/retention-sweep";

const regions = ["us-east-1", "eu-west-1"];
const families = ["alpha", "beta", "gamma", "delta"];
const imagesPerFamily = 10;
const cap = 4;
const marginMs = 5_000;

/** A world of pre-existing images, adopted: every family has 10 versions, 9 of them due for retirement now. */
async function adoptedWorld(
  endpoint: string,
  options: { routeSweepRequests?: boolean; maxDeletions?: number; maxRequestedDeletions?: number } = {},
) {
  const account = new SimulatedAccount({ regions, pacing: { latency: true } });
  const nowMs = account.clock.nowMs();
  families.forEach((family, index) => {
    for (let ordinal = 0; ordinal < imagesPerFamily; ordinal++) {
      account.seedImage(regions[index % regions.length] as string, {
        name: `${family}-${ordinal}`,
        creationDate: new Date(nowMs - 40 * 86_400_000 + ordinal * 60_000).toISOString(),
      });
    }
  });
  const config = parseConfig({
    accounts: ["111122223333"],
    homeRegion: regions[0],
    regions,
    mode: "enforce",
    families: families.map((name) => ({
      name,
      team: "platform",
      adopt: true,
      match: { namePattern: `${name}-*` },
      retention: {
        keepLatest: 1,
        minAgeDays: 0,
        deprecateAfterDays: 0,
        disableAfterDays: 0,
        deregisterAfterDays: 0,
        maxDeletionsPerRun: options.maxDeletions ?? cap,
        ...(options.maxRequestedDeletions !== undefined
          ? { maxRequestedDeletions: options.maxRequestedDeletions }
          : {}),
        recoverableForDays: 0,
      },
    })),
  });
  const deployment = await LocalDeployment.start({
    config,
    account,
    dynamoEndpoint: endpoint,
    ...(options.routeSweepRequests ? { sweepHandler: createRetentionSweepHandler } : {}),
  });
  const runtime = deployment.runtimeFor("retention-sweep");
  // Adopted as `ami-lifecycle adopt --apply` does: a sweep would adopt and retire in the same run.
  await adoptAccount(runtime.reactions, { apply: true });
  const requested: { runId: string; part: number }[] = [];
  const progress = new DynamoSweepProgressStore({
    client: runtime.idempotencyStore().client,
    tableName: deployment.tables.registry,
  });
  const deps: ContinuedSweepDependencies = {
    sweep: runtime.reactions,
    progress,
    continuations: { requestContinuation: async (runId, part) => void requested.push({ runId, part }) },
  };
  return { account, deployment, deps, requested };
}

type World = Awaited<ReturnType<typeof adoptedWorld>>;

/** An invocation budget of `timeoutMs` on the simulated clock, from now. */
function budgetOf(world: World, timeoutMs: number) {
  const deadline = world.account.clock.nowMs() + timeoutMs;
  return { remainingMs: () => deadline - world.account.clock.nowMs() };
}

/**
 * An invocation that runs out of time once EC2 applied `steps` retirement steps in it: the part stops
 * between two passes of a family (right after its deprecations, say), where continuing is hardest.
 */
function budgetOfSteps(world: World, steps: number) {
  const before = retirementStepCount(world);
  return { remainingMs: () => (retirementStepCount(world) - before < steps ? 3_600_000 : 0) };
}

/** What converged means: every image left (by name, with its state) and every version's stage. */
async function stateOf(world: World) {
  const images = regions.flatMap((region) =>
    world.account
      .images(region)
      .map((image) => `${image.Name}:${image.State}:${image.DeprecationTime ? "deprecated" : ""}`),
  );
  const versions = await Promise.all(
    families.map(async (family) =>
      (await world.deps.sweep.registry.listVersions(family)).map(
        (version) =>
          `${family}/${version.version}:${Object.values(version.regions)
            .map((region) => region.state)
            .join(",")}`,
      ),
    ),
  );
  return { images: images.sort(), versions: versions.flat().sort() };
}

/** Delivers every continuation requested (twice each: EventBridge may deliver an event more than once). */
async function runToTheEnd(
  world: World,
  runId: string,
  timeout: number | (() => InvocationBudget),
): Promise<ContinuedSweepOutcome[]> {
  const budget = typeof timeout === "number" ? () => budgetOf(world, timeout) : timeout;
  const outcomes = [await runContinuedSweep(world.deps, { runId }, budget(), { marginMs })];
  for (let delivered = 0; delivered < world.requested.length; delivered++) {
    const next = world.requested[delivered] as { runId: string; part: number };
    for (const _copy of [1, 2]) {
      outcomes.push(
        await runContinuedSweep(
          world.deps,
          { runId: next.runId, continuation: { part: next.part } },
          budget(),
          { marginMs },
        ),
      );
    }
  }
  return outcomes;
}

function deregisteredPerFamily(outcomes: readonly ContinuedSweepOutcome[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const outcome of outcomes) {
    if (outcome.kind !== "swept") continue;
    for (const family of outcome.report.families) {
      const versions = new Set(
        family.applied.filter((step) => step.action === "deregister").map((step) => step.version),
      );
      if (versions.size > 0) counts[family.family] = (counts[family.family] ?? 0) + versions.size;
    }
  }
  return counts;
}

/** The retirement steps EC2 applied, per image: "region:Operation:ImageId" → how many times. */
function retirementCalls(world: World): Record<string, number> {
  return Object.fromEntries(
    Object.entries(world.account.appliedImageCalls()).filter(([key]) =>
      /:(EnableImageDeprecation|DisableImage|DeregisterImage):/.test(key),
    ),
  );
}

function retirementStepCount(world: World): number {
  return Object.values(retirementCalls(world)).reduce((sum, count) => sum + count, 0);
}

describe("a sweep that does not fit in one invocation continues in the next", () => {
  const worlds: World[] = [];
  afterEach(async () => {
    for (const world of worlds.splice(0)) await world.deployment.stop();
  });

  it("converges over three or more invocations to the state one invocation reaches, with the cap counted across them", async () => {
    // Prepare
    const endpoint = inject("dynamoEndpoint");
    const whole = await adoptedWorld(endpoint);
    const continued = await adoptedWorld(endpoint);
    worlds.push(whole, continued);
    const started = whole.account.clock.nowMs();

    // Act
    const single = await runToTheEnd(whole, "run-whole", 3_600_000);
    const needed = whole.account.clock.nowMs() - started;
    const parts = await runToTheEnd(continued, "run-continued", marginMs + Math.ceil(needed / 8));

    // Assess
    expect(single.filter((outcome) => outcome.kind === "swept")).toHaveLength(1);
    const swept = parts.filter((outcome) => outcome.kind === "swept");
    expect(swept.length).toBeGreaterThanOrEqual(3);
    // Each continuation was delivered twice and ran once.
    expect(parts.filter((outcome) => outcome.kind === "skipped")).toHaveLength(swept.length - 1);
    expect(swept.at(-1)).toMatchObject({ remaining: [], continuationRequested: false });
    expect(await stateOf(continued)).toEqual(await stateOf(whole));
    const capEverywhere = Object.fromEntries(families.map((family) => [family, cap]));
    expect(deregisteredPerFamily(single)).toEqual(capEverywhere);
    expect(deregisteredPerFamily(parts)).toEqual(capEverywhere);
    expect(Object.entries(retirementCalls(continued)).filter(([, count]) => count > 1)).toEqual([]);
  });

  it("retires a whole backlog over several parts, asking EC2 for each step of an image once", async () => {
    // Prepare
    const endpoint = inject("dynamoEndpoint");
    const whole = await adoptedWorld(endpoint, { maxDeletions: imagesPerFamily });
    const continued = await adoptedWorld(endpoint, { maxDeletions: imagesPerFamily });
    worlds.push(whole, continued);
    whole.account.resetCallCounts();
    continued.account.resetCallCounts();

    // Act
    await runToTheEnd(whole, "run-whole", 3_600_000);
    // Each part has time for one family's pass (9 steps): it stops between deprecate and disable, say.
    const parts = await runToTheEnd(continued, "run-continued", () =>
      budgetOfSteps(continued, imagesPerFamily - 1),
    );

    // Assess
    expect(parts.filter((outcome) => outcome.kind === "swept").length).toBeGreaterThanOrEqual(3);
    // Only each family's newest image is left; every other one was deprecated, disabled and deregistered.
    const left = regions.flatMap((region) => continued.account.images(region).map((image) => image.Name));
    expect(left.sort()).toEqual(families.map((family) => `${family}-${imagesPerFamily - 1}`).sort());
    expect(await stateOf(continued)).toEqual(await stateOf(whole));
    const calls = retirementCalls(continued);
    expect(Object.entries(calls).filter(([, count]) => count > 1)).toEqual([]);
    expect(Object.keys(calls)).toHaveLength(families.length * (imagesPerFamily - 1) * 3);
    expect(Object.keys(calls).sort()).toEqual(Object.keys(retirementCalls(whole)).sort());
  });

  it("resumes a part whose invocation died before saving its progress, and the cap still holds", async () => {
    // Prepare
    const endpoint = inject("dynamoEndpoint");
    const whole = await adoptedWorld(endpoint);
    const killed = await adoptedWorld(endpoint);
    worlds.push(whole, killed);
    await runToTheEnd(whole, "run-whole", 3_600_000);
    const store = killed.deps.progress;
    let writes = 0;
    // The invocation dies after claiming its part and doing its work, before it records where it stopped.
    const dying: SweepProgressStore = {
      get: (runId) => store.get(runId),
      put: async (progress, expected) => {
        if (++writes === 2) throw new Error("invocation killed");
        return store.put(progress, expected);
      },
    };
    const timeoutMs = 900_000;

    // Act
    const died = await runContinuedSweep(
      { ...killed.deps, progress: dying },
      { runId: "run-killed" },
      budgetOf(killed, timeoutMs),
      { marginMs },
    ).catch((error: Error) => error.message);
    const whileLeased = await runContinuedSweep(
      killed.deps,
      { runId: "run-killed" },
      budgetOf(killed, timeoutMs),
      { marginMs },
    );
    killed.account.clock.advance(timeoutMs);
    const resumed = await runContinuedSweep(
      killed.deps,
      { runId: "run-killed" },
      budgetOf(killed, timeoutMs),
      { marginMs },
    );

    // Assess
    expect(died).toBe("invocation killed");
    expect(whileLeased).toMatchObject({ kind: "skipped", reason: "lease-held" });
    expect(resumed).toMatchObject({ kind: "swept", remaining: [] });
    // The resumed part found the cap already used by the dead one and deleted nothing more.
    expect(deregisteredPerFamily([resumed])).toEqual({});
    expect(await stateOf(killed)).toEqual(await stateOf(whole));
  });

  it("through the sweep function: stops before Lambda's timeout, and its continuation event delivered twice runs once", async () => {
    // Prepare
    const endpoint = inject("dynamoEndpoint");
    const whole = await adoptedWorld(endpoint);
    const routed = await adoptedWorld(endpoint, { routeSweepRequests: true });
    worlds.push(whole, routed);
    await runToTheEnd(whole, "run-whole", 3_600_000);
    const handler = createRetentionSweepHandler(() =>
      routed.deployment.runtimeFor("retention-sweep"),
    ) as unknown as (event: unknown, context: ReturnType<typeof localLambdaContext>) => Promise<unknown>;
    // The handler sweeps sweep.concurrency families at once, so a clock budget would end it at a point
    // that depends on their interleaving: its time runs out once the first deprecations are done instead.
    const before = retirementStepCount(routed);
    const remainingMs = () =>
      retirementStepCount(routed) - before < imagesPerFamily - 1 ? continuationMarginMs + 600_000 : 0;
    routed.account.drainEvents();

    // Act
    const first = (await handler(
      { kind: "scheduled-sweep", executionId: "exec-1" },
      localLambdaContext("retention-sweep", "req-1", remainingMs),
    )) as { outcome: string; run: { part: number; continued: boolean } };
    const continuations = routed.account
      .drainEvents()
      .filter((event: EventBridgeEvent) => event["detail-type"] === "Family Sweep Requested");
    const deliveries = [];
    for (const event of continuations) deliveries.push(await routed.deployment.deliver(event));
    routed.account.resetCallCounts();
    for (const event of continuations) deliveries.push(await routed.deployment.deliver(event));
    const duplicateCalls = Object.keys(routed.account.callCounts()).filter((key) =>
      /:(DeregisterImage|DisableImage|EnableImageDeprecation)$/.test(key),
    );

    // Assess
    expect(first).toMatchObject({ outcome: "swept", run: { part: 0, continued: true } });
    expect(continuations).toHaveLength(1);
    expect(deliveries.map((delivery) => delivery.result)).toEqual([
      expect.objectContaining({ outcome: "swept", run: expect.objectContaining({ part: 1, remaining: [] }) }),
      deliveries[0]?.result,
    ]);
    expect(duplicateCalls).toEqual([]);
    expect(await stateOf(routed)).toEqual(await stateOf(whole));
  });

  it("a requested sweep's one-off cap (sweep --max-deletions) carries into its continuations; one over the config's ceiling is rejected", async () => {
    // Prepare: alpha's configured cap is 4; the config lets a request raise it to 6.
    const endpoint = inject("dynamoEndpoint");
    const routed = await adoptedWorld(endpoint, { routeSweepRequests: true, maxRequestedDeletions: 6 });
    worlds.push(routed);
    const handler = createRetentionSweepHandler(() =>
      routed.deployment.runtimeFor("retention-sweep"),
    ) as unknown as (event: unknown, context: ReturnType<typeof localLambdaContext>) => Promise<unknown>;
    // The request as the CLI puts it (the same adapter), here with the sweep function's own role.
    const operator = routed.deployment.runtimeFor("retention-sweep").reactions.sweeps;
    routed.account.drainEvents();
    routed.account.resetCallCounts();
    await operator.requestFamilySweep("alpha", "too many", { maxDeletions: 7 });
    await operator.requestFamilySweep("alpha", "clearing a backlog", { maxDeletions: 6 });
    const [tooMany, request] = routed.account.drainEvents();
    // The first part's time runs out after alpha's deprecations: the rest is its continuation's.
    const outOfTimeAfterDeprecations = () =>
      localLambdaContext("retention-sweep", "req-1", () =>
        retirementStepCount(routed) < imagesPerFamily - 1 ? 600_000 : 0,
      );

    // Act
    const rejected = await handler(tooMany, outOfTimeAfterDeprecations());
    const callsAfterRejection = retirementStepCount(routed);
    const first = await handler(request, outOfTimeAfterDeprecations());
    const continued = await routed.deployment.pump();

    // Assess
    expect(rejected).toMatchObject({
      outcome: "rejected",
      issues: [{ path: "detail.maxDeletions", message: expect.stringContaining("over 6") }],
    });
    expect(callsAfterRejection).toBe(0);
    expect(first).toMatchObject({ outcome: "swept", run: { part: 0, continued: true } });
    const parts = continued.filter((delivery) => delivery.rule === "retention-sweep");
    expect(parts.map((delivery) => delivery.result)).toEqual([
      expect.objectContaining({ outcome: "swept", run: expect.objectContaining({ part: 1, remaining: [] }) }),
    ]);
    const alphaLeft = regions.flatMap((region) =>
      routed.account.images(region).filter((image) => image.Name?.startsWith("alpha-")),
    );
    expect(alphaLeft).toHaveLength(imagesPerFamily - 6);
    expect(Object.entries(retirementCalls(routed)).filter(([, count]) => count > 1)).toEqual([]);
  });
});
