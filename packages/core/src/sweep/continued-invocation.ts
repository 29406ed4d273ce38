import { type ContinuedSweepDependencies, type InvocationBudget, runContinuedSweep } from "./continuation";
import type { SweepInvocation } from "./invocation";
import { throwIfIncomplete } from "./report";
import { type SweepOutcome, sweepOutcome } from "./sweep-invocation";

/** What the sweep function returns for one part: the part's outcome, or why it ran nothing. */
export type SweepPartOutcome =
  | (SweepOutcome & { run: { runId: string; part: number; remaining: string[]; continued: boolean } })
  | { outcome: "skipped"; run: { runId: string; part: number }; reason: string };

/**
 * Runs the part of a sweep an invocation asks for (the first, or a continuation), within the
 * invocation's time; throws SweepIncompleteError when transient failures persisted, so Lambda (or
 * Scheduler) runs the part again.
 */
export async function sweepPartOnRequest(
  deps: ContinuedSweepDependencies,
  invocation: SweepInvocation,
  budget: InvocationBudget,
): Promise<SweepPartOutcome> {
  const runId = invocation.continuation?.runId ?? invocation.requestId;
  const part = await runContinuedSweep(
    deps,
    {
      runId,
      ...(invocation.continuation ? { continuation: { part: invocation.continuation.part } } : {}),
      ...(invocation.families ? { families: invocation.families } : {}),
    },
    budget,
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
