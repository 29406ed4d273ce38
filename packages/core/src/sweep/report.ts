import { AmiLifecycleError, TransientAwsError } from "../errors";
import type { UnreachableConsumer } from "../organization/gather-evidence";
import type { ConsumerTold } from "../organization/tell-consumers";
import type { FamilyPlan, OrphanSnapshot } from "../retention/types";
import type { SharingChange } from "../sharing/sync-sharing";
import type { SweepAdoption } from "./adopt-step";

/** One thing the sweep could not do; the sweep goes on with the rest. */
export interface SweepFailure {
  family?: string;
  version?: number;
  region?: string;
  /** the image or snapshot concerned */
  resourceId?: string;
  /** what was being done: "list-images", "deregister", "find-references", "publish-summary"… */
  step: string;
  message: string;
  /** a transient AWS failure that survived the SDK's retries: the sweep as a whole should be retried */
  transient: boolean;
}

/** A retirement step the sweep applied (enforce mode). */
export interface AppliedStep {
  version: number;
  region: string;
  imageId: string;
  action: "deprecate" | "disable" | "deregister";
  /** snapshots deleted with (or right after) the deregistration */
  deletedSnapshotIds: string[];
  /** snapshots of the image that stay because another image still uses them, or deletion failed */
  keptSnapshotIds: string[];
}

/** One repair of the registry or of a copy the sweep made because events were missed. */
export interface Reconciliation {
  kind: /** a managed image the registry did not know, handed to the event reaction */
    | "registered"
    /** a registered image whose EC2 state the registry had not caught up with */
    | "resynced"
    /** a registered image EC2 no longer has */
    | "marked-missing"
    /** a registered image the service retired whose deregistration was not recorded yet */
    | "marked-deregistered"
    /** a recoverable image past its recovery date that the Recycle Bin no longer holds: gone for good */
    | "confirmed-gone"
    /** a copy started again (quota freed, or a failed copy with attempts left) */
    | "copy-started"
    /** a copy restarted but queued again: the destination's concurrent-copy quota is still full */
    | "copy-queued"
    /** a `latest` pointer re-asserted: it was missing or held another version than the newest available */
    | "pointer-moved"
    /** lifecycle tags put back on a managed image and its snapshots from the registry's record */
    | "tags-reasserted"
    /** dry-run: lifecycle tags differ from the registry's record; an enforce sweep puts them back */
    | "tags-drifted"
    /** deregistration protection put (back) on an image a pointer names */
    | "protection-enabled"
    /** deregistration protection lifted from a recorded image no pointer names any more */
    | "protection-removed"
    /** the family's watermark attached to a version's image EC2 listed without it */
    | "watermarked";
  region: string;
  imageId?: string;
  version?: number;
  detail?: string;
}

/** What happened to a managed snapshot no image uses any more. */
export interface OrphanOutcome extends OrphanSnapshot {
  outcome: "reported" | "deleted" | "kept";
}

/** The sweep of one family. */
export interface FamilySweepResult {
  family: string;
  /** the plan after in-use detection; undefined when the family could not be planned */
  plan?: FamilyPlan;
  applied: AppliedStep[];
  stagesAdvanced: { version: number; stage: string }[];
  reconciled: Reconciliation[];
  orphanSnapshots: OrphanOutcome[];
  failures: SweepFailure[];
  /** the retention-summary notification went out (a quiet sweep sends none: see `noticeReasons`) */
  summaryPublished: boolean;
  /** versions with a retirement step left alone because their references could not be read */
  blockedVersions?: number[];
  /** launch and createVolume permissions granted or revoked to match the family's sharing */
  sharing?: SharingChange[];
  /** `adopt: true` families: the adoption planned (and, in enforce mode, applied) before retention */
  adoption?: SweepAdoption;
  /** the invocation's time ran out before the family was finished: a continuation takes it on */
  stopped?: boolean;
}

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
  /** consumer accounts this sweep told of a shared version's schedule (once per version, step and account) */
  consumersTold?: ConsumerTold[];
}

/** A sweep finished with transient failures: thrown at the end so Scheduler (or Lambda) retries it. */
export class SweepIncompleteError extends AmiLifecycleError {
  override name = "SweepIncompleteError";
  constructor(readonly failures: readonly SweepFailure[]) {
    super(
      `sweep incomplete: ${failures.length} transient failure(s), first: ${failures[0]?.step} ${failures[0]?.message}`,
    );
  }
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

/** Builds a SweepFailure from a caught error. */
export function failureOf(
  step: string,
  error: unknown,
  where: Omit<SweepFailure, "step" | "message" | "transient"> = {},
): SweepFailure {
  return {
    ...where,
    step,
    message: error instanceof Error ? error.message : String(error),
    transient: error instanceof TransientAwsError,
  };
}

/** What reconciling one family's registry with EC2 did. */
export interface RegistryReconciliation {
  reconciled: Reconciliation[];
  failures: SweepFailure[];
}
