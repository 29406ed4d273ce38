import type { SweepRun } from "../status/ports";
import type { SweepIncompleteError, SweepOutcome } from "../sweep-results";

/**
 * Where a deployed sweep records its last scheduled run, so `status --stage` can read it with the
 * operator's credentials (the registry table: the sweep writes it already, the operator reads it).
 */
export interface SweepRunLog {
  /** overwrites the last run (status shows only the last) */
  record(run: SweepRun): Promise<void>;
  /** the last recorded run, or undefined before the first */
  last(): Promise<SweepRun | undefined>;
}

/** A sweep that returned, as status reports it. */
export function sweptRun(at: Date, outcome: SweepOutcome): SweepRun {
  return {
    at: at.toISOString(),
    mode: outcome.mode,
    result: "swept",
    failures: outcome.failures,
    blocked: blockedOf(outcome),
  };
}

/** A sweep that threw (Scheduler retries it, then its dead-letter queue), as status reports it. */
export function failedRun(
  at: Date,
  mode: SweepRun["mode"],
  error: unknown,
  incomplete?: SweepIncompleteError,
): SweepRun {
  return {
    at: at.toISOString(),
    mode,
    result: "failed",
    failures: incomplete ? incomplete.failures.length : 1,
    error: error instanceof Error ? error.message : String(error),
    blocked: [],
  };
}

function blockedOf(outcome: SweepOutcome): SweepRun["blocked"] {
  return outcome.families.flatMap((family) =>
    family.blocked && family.blocked.length > 0 ? [{ family: family.family, versions: family.blocked }] : [],
  );
}

/**
 * Records a scheduled run without letting the record fail the sweep: the sweep's work is done and
 * idempotent, and a retry only to write a status line would redo it.
 */
export async function recordSweepRun(
  log: SweepRunLog,
  run: SweepRun,
  warn: (message: string, extra: Record<string, unknown>) => void,
): Promise<void> {
  try {
    await log.record(run);
  } catch (error) {
    warn("could not record the sweep run for status", { error: String(error) });
  }
}
