import type { FamilyConfig } from "../config";
import type { ImageRecord, ImageReference, RetentionStage, VersionRecord } from "../model";
import type { ImageEvidence } from "../organization/consumer-evidence";
import type { Inventory } from "./inventory";

/** What the executor should do to one image now. */
export type RetentionAction =
  /** a rule keeps the image: nothing may be done to it */
  | "keep"
  /** EnableImageDeprecation, effective now */
  | "deprecate"
  /** DisableImage */
  | "disable"
  /** DeregisterImage, deleting `snapshotIds` */
  | "deregister"
  /** retiring, but nothing to do now: step already done, grace running, or other regions still behind */
  | "wait";

/** Every action, least destructive first (the order of `PlanSummary.counts`). */
export const retentionActions: readonly RetentionAction[] = [
  "keep",
  "wait",
  "deprecate",
  "disable",
  "deregister",
];

/** The rules that explain a decision; each lives in its own file under `retention/rules`. */
export type RuleName =
  | "not-managed"
  | "keep-latest"
  | "newest-available"
  | "min-age"
  | "in-use"
  | "protected"
  | "recently-launched"
  | "withdrawn"
  /** a version restored from retirement is held for `retention.restoredHoldDays` */
  | "restored-hold"
  /** a shared version some consumer account uses, or whose consumers could not all be checked (issue #16) */
  | "consumer-evidence"
  | "staged-retirement"
  | "deletion-cap"
  /** not a keep rule: says the image's references came from the fallback, which sees less than EC2's API */
  | "reference-fallback";

/** Why a decision was taken: the rule and a sentence a person can act on. */
export interface Reason {
  rule: RuleName;
  message: string;
}

/** A snapshot as `ImageService.listManagedSnapshots` reports it, with the region it was listed in. */
export interface ManagedSnapshot {
  region: string;
  snapshotId: string;
  sizeGiB: number;
  tags: Record<string, string>;
}

/** Fields every planner input shares. */
interface PlanInputBase {
  /** the family being planned (its name and retention policy) */
  family: FamilyConfig;
  /** the registry's versions of this family (others are ignored) */
  versions: readonly VersionRecord[];
  /** the planning instant: every grace period and age is measured against it */
  now: Date;
  /**
   * Accounts whose images may be retired (`Config.accounts`). When given, an image owned by any other
   * account is not managed. When omitted, `images` is trusted to hold only the account's own images.
   */
  accounts?: readonly string[];
  /** cross-account evidence per image (`evidenceKey`), gathered by the sweep for shared candidates */
  consumerEvidence?: ReadonlyMap<string, ImageEvidence>;
}

/** Planner input with raw EC2 views; they are indexed on every call. */
export interface RetentionInput extends PlanInputBase {
  /**
   * The current EC2 view of ALL images the account owns in the managed regions, managed or not and of
   * every family: another image sharing a snapshot keeps that snapshot. Must be complete per region:
   * an image missing from it counts as gone.
   */
  images: readonly ImageRecord[];
  /** Everything that uses any of those images (instances, launch templates, SSM parameters, recipes). */
  references: readonly ImageReference[];
  /**
   * The managed snapshots of the managed regions (`listManagedSnapshots`), when the caller has them:
   * only then can the plan name `orphanSnapshots`.
   */
  snapshots?: readonly ManagedSnapshot[];
}

/** Planner input with views indexed once by `indexInventory`, for sweeps over many families. */
export interface IndexedRetentionInput extends PlanInputBase {
  /** built by `indexInventory(images, references, snapshots?)` from views as described on `RetentionInput` */
  inventory: Inventory;
}

/** The decision for one image: a (version, region) of the registry, or an image tagged for the family that the registry does not know. */
export interface ImageDecision {
  family: string;
  /** the registry version, or null for an image tagged for the family that the registry does not know */
  version: number | null;
  region: string;
  imageId: string;
  action: RetentionAction;
  /** every rule that explains the action, in rule order */
  reasons: Reason[];
  /** snapshots deregistration deletes: only on "deregister", and only those no other image uses (sorted) */
  snapshotIds: string[];
  /** total size of `snapshotIds` */
  freedGiB: number;
  /** on "wait" while a grace runs: the step that comes next and when */
  next?: UpcomingStep;
  /** on "keep" by consumer evidence alone: the step the policy has for the version (grace over at `at`) */
  held?: UpcomingStep;
}

/** A retirement step that is not due yet: what it is and the instant its grace ends (ISO). */
export interface UpcomingStep {
  action: "deprecate" | "disable" | "deregister";
  at: string;
}

/** A registry stage change the executor records once every action of the plan for that version succeeded. */
export interface StageAdvance {
  version: number;
  from: RetentionStage;
  to: RetentionStage;
}

/**
 * A snapshot the registry recorded for a version's image in a region, that no image uses any more and
 * whose image in that region is gone: the only kind of snapshot the orphan sweep may delete.
 */
export interface OrphanSnapshot {
  region: string;
  snapshotId: string;
  sizeGiB: number;
  version: number;
}

/**
 * A snapshot tagged for the family that no image uses, whose id the registry did not record for the
 * version and region it claims (forged or copied tags, or another tool's): reported, never deleted.
 */
export interface UnrecordedSnapshot {
  region: string;
  snapshotId: string;
  sizeGiB: number;
  /** the version its tag names, or null when the tag is not a version number */
  claimedVersion: number | null;
  reason: Reason;
}

/** Counts per action and what the plan frees. */
export interface PlanSummary {
  counts: Record<RetentionAction, number>;
  freedGiB: number;
  /** one line for logs and reports */
  text: string;
}

/** Everything retention decides for one family at one instant. */
export interface FamilyPlan {
  family: string;
  /** sorted by version (unregistered images last), then region, then image id */
  decisions: ImageDecision[];
  /** sorted by version */
  stageAdvances: StageAdvance[];
  /** empty unless `snapshots` was given in the input; sorted by region, then snapshot id */
  orphanSnapshots: OrphanSnapshot[];
  /** tagged snapshots no image uses that the registry never recorded: only reported; sorted like `orphanSnapshots` */
  unrecordedSnapshots: UnrecordedSnapshot[];
  /** versions whose deregistration the `maxDeletionsPerRun` cap held back */
  deletionsCapped: number;
  summary: PlanSummary;
}
