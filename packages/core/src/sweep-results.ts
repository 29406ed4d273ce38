import type { FamilyAdoptionPlan } from "./adoption/plan-adoption";
import { AmiLifecycleError, TransientAwsError } from "./errors";
import type { ImageRecord } from "./model";
import type { FamilyPlan, ManagedSnapshot, OrphanSnapshot, RetentionAction } from "./retention/types";
import type { SharingChange } from "./sharing/sync-sharing";

// What a capability's sweep step reads (the account's listing) and reports (failures, repairs, the
// family's result). Shared by the capabilities and the sweep that runs them, so that the dependency points
// from the orchestrator (sweep/) to the capabilities, never back.

/** What the sweep knows of EC2, read once per sweep: every owned image and managed snapshot of each region. */
export interface AccountView {
  /** every image the account owns in the managed regions, managed or not */
  images: ImageRecord[];
  /** `region/imageId` of every listed image */
  present: ReadonlySet<string>;
  /** managed snapshots of every region, or undefined when a region's could not be listed (orphans then wait) */
  snapshots: ManagedSnapshot[] | undefined;
  /** `region/snapshotId` of every managed snapshot, when known */
  managedSnapshots: ReadonlySet<string> | undefined;
}

/** Key of a regional resource in the view's sets. */
export function regionalKey(region: string, id: string): string {
  return `${region}/${id}`;
}

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

/** What reconciling one family's registry with EC2 did. */
export interface RegistryReconciliation {
  reconciled: Reconciliation[];
  failures: SweepFailure[];
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

/** What happened to a managed snapshot no image uses any more. */
export interface OrphanOutcome extends OrphanSnapshot {
  outcome: "reported" | "deleted" | "kept";
}

/** What the sweep's adoption step did for one family with `adopt: true`. */
export interface SweepAdoption {
  /** the versions the plan creates and the copies it joins (dry-run: only this) */
  plan: FamilyAdoptionPlan;
  /** enforce: the versions adoption created or completed */
  adopted: number[];
  /** enforce: the images it tagged (the sweep does not re-tag them from its older listing) */
  imageIds: string[];
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

/** A sweep finished with transient failures: thrown at the end so Scheduler (or Lambda) retries it. */
export class SweepIncompleteError extends AmiLifecycleError {
  override name = "SweepIncompleteError";
  constructor(readonly failures: readonly SweepFailure[]) {
    super(
      `sweep incomplete: ${failures.length} transient failure(s), first: ${failures[0]?.step} ${failures[0]?.message}`,
    );
  }
}

/** What the sweep function returns (and the idempotency store keeps): small, whatever the account's size. */
export interface SweepOutcome {
  outcome: "swept";
  mode: "dry-run" | "enforce";
  families: {
    family: string;
    counts?: Record<RetentionAction, number>;
    applied: number;
    reconciled: number;
    failures: number;
    /** versions left alone because their references could not be read (status reports them) */
    blocked?: number[];
  }[];
  failures: number;
}
