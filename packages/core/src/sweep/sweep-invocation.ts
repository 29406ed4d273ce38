import type { SweepOutcome } from "../sweep-results";
import { allFailures, type SweepReport } from "./report";

export type { SweepOutcome } from "../sweep-results";

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
