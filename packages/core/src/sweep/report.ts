import type { ConsumerCopy, UnreachableConsumer } from "../organization/gather-evidence";
import type { ConsumerTold } from "../organization/tell-consumers";
import { type FamilySweepResult, type SweepFailure, SweepIncompleteError } from "../sweep-results";

// The per-family results, failures and repairs live in ../sweep-results (the capabilities report them too).
export {
  type AppliedStep,
  type FamilySweepResult,
  failureOf,
  type OrphanOutcome,
  type Reconciliation,
  type RegistryReconciliation,
  type SweepFailure,
  SweepIncompleteError,
} from "../sweep-results";

/** Everything one sweep did, per family, and what it could not do. */
export interface SweepReport {
  mode: "dry-run" | "enforce";
  now: string;
  families: FamilySweepResult[];
  /** failures not tied to one family (a region's snapshots could not be listed, an unknown family asked for) */
  failures: SweepFailure[];
  /** images whose references were looked up (versions with a retirement step) */
  referenceCandidates: number;
  /** regions where image block public access is off (reported to the security topic) */
  publicAccessUnblocked?: string[];
  /** consumer accounts (or organizations / OUs) that could not be checked; what they could use was kept */
  unreachableConsumers?: UnreachableConsumer[];
  /** images consumer accounts own that carry a family's watermark (their copies): reported, never retired */
  consumerCopies?: ConsumerCopy[];
  /** consumer accounts this sweep told of a shared version's schedule (once per version, step and account) */
  consumersTold?: ConsumerTold[];
}

/** Every failure of the sweep, family ones included. */
export function allFailures(report: SweepReport): SweepFailure[] {
  return [...report.failures, ...report.families.flatMap((family) => family.failures)];
}

/** Throws SweepIncompleteError when a transient failure persisted; returns the report otherwise. */
export function throwIfIncomplete(report: SweepReport): SweepReport {
  const transient = allFailures(report).filter((failure) => failure.transient);
  if (transient.length > 0) throw new SweepIncompleteError(transient);
  return report;
}
