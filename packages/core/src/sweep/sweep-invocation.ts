import type { SweepOutcome } from "../sweep-results";
import type { SweepInvocation } from "./invocation";
import { allFailures, type SweepReport, throwIfIncomplete } from "./report";
import { runSweep, type SweepDependencies } from "./run-sweep";

export type { SweepOutcome } from "../sweep-results";

/**
 * Runs the sweep an invocation asks for, now. Throws SweepIncompleteError when transient failures
 * persisted, so Scheduler (or Lambda's retries for a family request) runs it again; the sweep converges.
 */
export async function sweepOnRequest(
  deps: SweepDependencies,
  invocation: SweepInvocation,
): Promise<SweepOutcome> {
  const report = await runSweep(deps, {
    now: deps.clock.now(),
    // The deployed sweep's families in flight (`sweep.concurrency`); its EC2 clients are paced.
    familiesInFlight: deps.config.sweep.concurrency,
    ...(invocation.families ? { families: invocation.families } : {}),
  });
  throwIfIncomplete(report);
  return sweepOutcome(report);
}

/** The compact outcome of a sweep report. */
export function sweepOutcome(report: SweepReport): SweepOutcome {
  return {
    outcome: "swept",
    mode: report.mode,
    families: report.families.map((family) => ({
      family: family.family,
      ...(family.plan ? { counts: family.plan.summary.counts } : {}),
      applied: family.applied.length,
      reconciled: family.reconciled.length,
      failures: family.failures.length,
      ...(family.blockedVersions ? { blocked: family.blockedVersions } : {}),
    })),
    failures: allFailures(report).length,
  };
}
