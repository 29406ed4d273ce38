import {
  type Config,
  type OrphanSnapshot,
  type Reason,
  type Restorability,
  type RetentionAction,
  restorabilityOf,
  retentionActions,
  type StageAdvance,
  type SweepFailure,
  type VersionRecord,
} from "@ami-lifecycle/core";
import type { AccountPlan } from "./account-plan";

/** One image's decision in the `plan --json` document. */
export interface PlanDocumentDecision {
  /** registry version, or null for an image tagged for the family that the registry does not know */
  version: number | null;
  imageId: string;
  action: RetentionAction;
  reasons: Reason[];
  snapshotIds: string[];
  freedGiB: number;
  /** whether and until when a restore can bring the image back now (the registry's record; `none`: nothing to undo) */
  restore: Restorability;
}

/** A region of a version in the Recycle Bin: not in the plan (EC2 no longer lists it), restorable until `until`. */
export interface PlanDocumentRecoverable {
  version: number;
  region: string;
  imageId: string;
  until: string;
}

/** One family in one region. */
export interface PlanDocumentRegion {
  region: string;
  freedGiB: number;
  decisions: PlanDocumentDecision[];
}

/** One family's plan. */
export interface PlanDocumentFamily {
  family: string;
  team: string;
  counts: Record<RetentionAction, number>;
  freedGiB: number;
  summary: string;
  regions: PlanDocumentRegion[];
  stageAdvances: StageAdvance[];
  orphanSnapshots: OrphanSnapshot[];
  deletionsCapped: number;
  /** versions with a step whose references could not be looked up: the sweep would leave them alone */
  blockedVersions: number[];
  /** retired regions a restore can still bring back from the Recycle Bin, oldest version first */
  recoverable: PlanDocumentRecoverable[];
}

/** The `plan --json` document: stable, documented in docs/cli.md. */
export interface PlanDocument {
  /** the planning instant (the simulated clock in the sandbox) */
  plannedAt: string;
  source: "sandbox" | "account";
  /** the config's mode: in dry-run the sweep only reports this plan */
  mode: Config["mode"];
  families: PlanDocumentFamily[];
  totals: { counts: Record<RetentionAction, number>; freedGiB: number };
  /** what could not be read (a region's snapshots, references): the plan is partial there */
  failures: SweepFailure[];
  /** regions where what uses the images was read by the fallback, which sees less than DescribeImageReferences */
  referenceFallbackRegions: string[];
}

/** Groups the planner's output per family and region, the shape both the table and the JSON use. */
export function planDocument(
  { plans, blocked, failures, referenceFallbackRegions, versions }: AccountPlan,
  context: { config: Config; plannedAt: Date; source: PlanDocument["source"] },
): PlanDocument {
  const totals = { counts: zeroCounts(), freedGiB: 0 };
  const families = plans.map((plan): PlanDocumentFamily => {
    const records = new Map((versions[plan.family] ?? []).map((record) => [record.version, record]));
    const restoreOf = (version: number | null, region: string): Restorability => {
      const record = version === null ? undefined : records.get(version);
      return record ? restorabilityOf(record, record.regions[region], context.plannedAt) : { status: "none" };
    };
    const regions = new Map<string, PlanDocumentRegion>();
    for (const region of context.config.regions) regions.set(region, { region, freedGiB: 0, decisions: [] });
    for (const decision of plan.decisions) {
      let entry = regions.get(decision.region);
      if (!entry) {
        entry = { region: decision.region, freedGiB: 0, decisions: [] };
        regions.set(decision.region, entry);
      }
      entry.freedGiB += decision.freedGiB;
      entry.decisions.push({
        version: decision.version,
        imageId: decision.imageId,
        action: decision.action,
        reasons: decision.reasons,
        snapshotIds: decision.snapshotIds,
        freedGiB: decision.freedGiB,
        restore: restoreOf(decision.version, decision.region),
      });
    }
    for (const action of retentionActions) totals.counts[action] += plan.summary.counts[action];
    totals.freedGiB += plan.summary.freedGiB;
    const team = context.config.families.find((family) => family.name === plan.family)?.team ?? "";
    return {
      family: plan.family,
      team,
      counts: plan.summary.counts,
      freedGiB: plan.summary.freedGiB,
      summary: plan.summary.text,
      regions: [...regions.values()].filter((region) => region.decisions.length > 0),
      stageAdvances: plan.stageAdvances,
      orphanSnapshots: plan.orphanSnapshots,
      deletionsCapped: plan.deletionsCapped,
      blockedVersions: blocked
        .filter((key) => key.startsWith(`${plan.family}/`))
        .map((key) => Number(key.slice(plan.family.length + 1))),
      recoverable: recoverableRegions(versions[plan.family] ?? [], context.config.regions, context.plannedAt),
    };
  });
  return {
    plannedAt: context.plannedAt.toISOString(),
    source: context.source,
    mode: context.config.mode,
    families,
    totals,
    failures,
    referenceFallbackRegions,
  };
}

/** The family's regions in the Recycle Bin that a restore can still bring back at `now`. */
function recoverableRegions(
  versions: readonly VersionRecord[],
  regions: readonly string[],
  now: Date,
): PlanDocumentRecoverable[] {
  return versions.flatMap((version) =>
    regions.flatMap((region) => {
      const record = version.regions[region];
      const restore = restorabilityOf(version, record, now);
      if (restore.status !== "restorable" || restore.from !== "recycle-bin" || !record?.imageId) return [];
      return [{ version: version.version, region, imageId: record.imageId, until: restore.until }];
    }),
  );
}

function zeroCounts(): Record<RetentionAction, number> {
  return Object.fromEntries(retentionActions.map((action) => [action, 0])) as Record<RetentionAction, number>;
}
