import type { VersionRecord } from "../model";
import { allFailures, type SweepReport } from "./report";
import { runSweep, type SweepDependencies } from "./run-sweep";

/**
 * Where a sweep that spans invocations stands, one item in the registry: the families still to sweep
 * (the cursor: a family stopped mid-way is re-planned from EC2's state, so its finished steps are not
 * repeated), and who runs which part. The deletion cap's count is the registry's own versions (see
 * `deletedSince`), so it holds even after an invocation that died before saving its progress.
 */
export interface SweepProgress {
  runId: string;
  /** the part running or last run: 0 is the first invocation, n the n-th continuation */
  part: number;
  /** running: `part` is in flight until `leaseUntil`; waiting: `part + 1` is requested; done: nothing left */
  state: "running" | "waiting" | "done";
  /** ISO-8601; a `running` part whose lease ran out died, and a redelivery of it may take over */
  leaseUntil: string;
  /** ISO-8601; deletions recorded since then count against the cap */
  startedAt: string;
  /** families still to sweep, in order */
  families: string[];
  /** the one-off cap of the request (`sweep --max-deletions`), else each family's configured one */
  maxDeletions?: number;
  /** versions deregistered so far, per family (reported; the cap reads the registry) */
  deletions: Record<string, number>;
  /** optimistic lock: every write expects the epoch it read */
  epoch: number;
}

/** The registry item of a sweep's progress (a DynamoDB item in production). */
export interface SweepProgressStore {
  /** the run's progress, read consistently, or undefined before its first part */
  get(runId: string): Promise<SweepProgress | undefined>;
  /** writes `progress` as given only if the stored epoch is `expectedEpoch` (undefined: no item yet); false when it was not */
  put(progress: SweepProgress, expectedEpoch: number | undefined): Promise<boolean>;
}

/** Asks for the next part of a run (a "Family Sweep Requested" event carrying the continuation). */
export interface ContinuationRequester {
  requestContinuation(runId: string, part: number): Promise<void>;
}

/** How much time the invocation has left (Lambda's `getRemainingTimeInMillis`, or the simulated clock). */
export interface InvocationBudget {
  remainingMs(): number;
}

/**
 * Time kept back at the end of an invocation: a step in flight finishes (a throttled call retries for
 * seconds), the progress is saved and the continuation requested well before Lambda's 15-minute end.
 */
export const continuationMarginMs = 120_000;

/** One part of a continued sweep to run: the first (no `continuation`) or the n-th continuation of a run. */
export interface ContinuedSweepRequest {
  /** the first part's request id, which names the run */
  runId: string;
  continuation?: { part: number };
  /** families of the first part (all configured when absent); a continuation reads its own from the progress */
  families?: string[];
  maxDeletions?: number;
}

/** What one part did: skipped (a duplicate, or its run is elsewhere), or swept with or without a continuation. */
export type ContinuedSweepOutcome =
  | { kind: "skipped"; runId: string; part: number; reason: "duplicate" | "unknown-run" | "lease-held" }
  | {
      kind: "swept";
      runId: string;
      part: number;
      report: SweepReport;
      /** families left for the next part (empty: the run is done) */
      remaining: string[];
      continuationRequested: boolean;
    };

/** Dependencies of a continued sweep: the sweep's ports, its progress item, the continuation request. */
export interface ContinuedSweepDependencies {
  sweep: SweepDependencies;
  progress: SweepProgressStore;
  continuations: ContinuationRequester;
}

/**
 * Runs one part of a sweep that may need several invocations. The part is claimed in the progress item
 * first (a redelivered request finds it claimed or done and runs nothing); the sweep stops starting steps
 * once less than `continuationMarginMs` is left, saves the families it did not finish and requests the
 * next part through EventBridge. Each family's cap counts the versions the service deregistered since the
 * run started, read from the registry, so the cap holds across every part.
 */
export async function runContinuedSweep(
  deps: ContinuedSweepDependencies,
  request: ContinuedSweepRequest,
  budget: InvocationBudget,
  options: { familiesInFlight?: number; marginMs?: number } = {},
): Promise<ContinuedSweepOutcome> {
  const part = request.continuation?.part ?? 0;
  const claimed = await claimPart(deps, request, part, budget);
  if (claimed.kind === "skipped") return claimed;
  const progress = claimed.progress;
  const startedAtMs = Date.parse(progress.startedAt);
  const caps = new Map(deps.sweep.config.families.map((family) => [family.name, family.retention]));
  const report = await runSweep(deps.sweep, {
    now: deps.sweep.clock.now(),
    families: progress.families,
    ...(options.familiesInFlight ? { familiesInFlight: options.familiesInFlight } : {}),
    shouldStop: () => budget.remainingMs() < (options.marginMs ?? continuationMarginMs),
    deletionCap: (family, versions) => {
      const cap = progress.maxDeletions ?? caps.get(family.name)?.maxDeletionsPerRun ?? 0;
      return Math.max(0, cap - deletedSince(versions, startedAtMs));
    },
  });
  const remaining = report.families.filter((family) => family.stopped).map((family) => family.family);
  const deletions = { ...progress.deletions };
  for (const family of report.families) {
    const versions = new Set(
      family.applied.filter((step) => step.action === "deregister").map((step) => step.version),
    );
    if (versions.size > 0) deletions[family.family] = (deletions[family.family] ?? 0) + versions.size;
  }
  // A transient failure makes the handler throw so Lambda retries this part: the lease is released
  // and the part keeps all its families, so the retry claims and sweeps it again.
  const retry = allFailures(report).some((failure) => failure.transient);
  const next: SweepProgress = retry
    ? { ...progress, leaseUntil: deps.sweep.clock.now().toISOString(), deletions, epoch: progress.epoch + 1 }
    : {
        ...progress,
        state: remaining.length > 0 ? "waiting" : "done",
        families: remaining,
        deletions,
        epoch: progress.epoch + 1,
      };
  // Lost only if another invocation took the part over after our lease ran out: it carries on.
  const saved = await deps.progress.put(next, progress.epoch);
  let continuationRequested = false;
  if (saved && !retry && remaining.length > 0) {
    await deps.continuations.requestContinuation(progress.runId, part + 1);
    continuationRequested = true;
  }
  return { kind: "swept", runId: progress.runId, part, report, remaining, continuationRequested };
}

/** Versions the service deregistered (a region record it retired) at or after `sinceMs`. */
export function deletedSince(versions: readonly VersionRecord[], sinceMs: number): number {
  return versions.filter((version) =>
    Object.values(version.regions).some(
      (region) =>
        region.retiredBy === "service" &&
        (region.state === "deregistered" || region.state === "recoverable") &&
        Date.parse(region.updatedAt) >= sinceMs,
    ),
  ).length;
}

/** Takes the part in the progress item, or says why this invocation must not run it. */
async function claimPart(
  deps: ContinuedSweepDependencies,
  request: ContinuedSweepRequest,
  part: number,
  budget: InvocationBudget,
): Promise<
  { kind: "claimed"; progress: SweepProgress } | Extract<ContinuedSweepOutcome, { kind: "skipped" }>
> {
  const nowMs = deps.sweep.clock.now().getTime();
  const leaseUntil = new Date(nowMs + budget.remainingMs()).toISOString();
  const skipped = (reason: "duplicate" | "unknown-run" | "lease-held") => ({
    kind: "skipped" as const,
    runId: request.runId,
    part,
    reason,
  });
  const stored = await deps.progress.get(request.runId);
  let claim: SweepProgress;
  if (!stored) {
    // A continuation of a run nobody started (or whose item expired) has nothing to continue.
    if (part > 0) return skipped("unknown-run");
    claim = {
      runId: request.runId,
      part: 0,
      state: "running",
      leaseUntil,
      startedAt: new Date(nowMs).toISOString(),
      families: request.families ?? deps.sweep.config.families.map((family) => family.name),
      ...(request.maxDeletions !== undefined ? { maxDeletions: request.maxDeletions } : {}),
      deletions: {},
      epoch: 0,
    };
  } else if (stored.state === "waiting" && stored.part === part - 1) {
    claim = { ...stored, part, state: "running", leaseUntil, epoch: stored.epoch + 1 };
  } else if (stored.state === "running" && stored.part === part) {
    // The part's invocation died (its lease ran out) or is still at work.
    if (Date.parse(stored.leaseUntil) > nowMs) return skipped("lease-held");
    claim = { ...stored, leaseUntil, epoch: stored.epoch + 1 };
  } else {
    return skipped("duplicate");
  }
  const won = await deps.progress.put(claim, stored?.epoch);
  return won ? { kind: "claimed", progress: claim } : skipped("lease-held");
}
