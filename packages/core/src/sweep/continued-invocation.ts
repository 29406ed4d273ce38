import { type ContinuedSweepDependencies, type InvocationBudget, runContinuedSweep } from "./continuation";
import type { SweepInvocation } from "./invocation";
import { throwIfIncomplete } from "./report";
import { requestedCapIssues } from "./requested-cap";
import { type SweepOutcome, sweepOutcome } from "./sweep-invocation";

/** What the sweep function returns for one part: the part's outcome, or why it ran nothing. */
export type SweepPartOutcome =
  | (SweepOutcome & { run: { runId: string; part: number; remaining: string[]; continued: boolean } })
  | { outcome: "skipped"; run: { runId: string; part: number }; reason: string }
  | { outcome: "rejected"; requestId: string; issues: { path: string; message: string }[] };

/**
 * Runs the part of a sweep an invocation asks for (the first, or a continuation), within the
 * invocation's time; throws SweepIncompleteError when transient failures persisted, so Lambda (or
 * Scheduler) runs the part again. A request whose one-off cap is over what the config allows is
 * rejected before anything runs (retrying cannot fix it).
 */
export async function sweepPartOnRequest(
  deps: ContinuedSweepDependencies,
  invocation: SweepInvocation,
  budget: InvocationBudget,
): Promise<SweepPartOutcome> {
  const runId = invocation.continuation?.runId ?? invocation.requestId;
  if (invocation.maxDeletions !== undefined) {
    const issues = requestedCapIssues(
      deps.sweep.config,
      invocation.families,
      invocation.maxDeletions,
      "detail.maxDeletions",
    );
    if (issues.length > 0) {
      deps.sweep.log.warn("sweep request rejected", { requestId: invocation.requestId, issues });
      return { outcome: "rejected", requestId: invocation.requestId, issues };
    }
  }
  const part = await runContinuedSweep(
    deps,
    {
      runId,
      ...(invocation.continuation ? { continuation: { part: invocation.continuation.part } } : {}),
      ...(invocation.families ? { families: invocation.families } : {}),
      ...(invocation.maxDeletions !== undefined ? { maxDeletions: invocation.maxDeletions } : {}),
    },
    budget,
    // The deployed sweep's families in flight (`sweep.concurrency`); its EC2 clients are paced.
    { familiesInFlight: deps.sweep.config.sweep.concurrency },
  );
  if (part.kind === "skipped") {
    return { outcome: "skipped", run: { runId, part: part.part }, reason: part.reason };
  }
  throwIfIncomplete(part.report);
  return {
    ...sweepOutcome(part.report),
    run: { runId, part: part.part, remaining: part.remaining, continued: part.continuationRequested },
  };
}

/** True for the parts of the schedule's sweep of every family (status reports the last of them). */
export function isScheduledRun(invocation: SweepInvocation): boolean {
  const runId = invocation.continuation?.runId ?? invocation.requestId;
  return runId.startsWith("scheduled:");
}
