import type { FamilyConfig } from "../config";
import { ImageNotFoundError, RegistryConflictError, SnapshotInUseError } from "../errors";
import type { RegionImageRecord, VersionRecord } from "../model";
import type { ReactionDependencies } from "../reactions/dependencies";
import { RecycleBinGuard, recoverableDays, recoverableUntil } from "../recovery/bin-guard";
import { retiredTag } from "../recovery/ports";
import { readSharing } from "../recovery/record-sharing";
import type { FamilyPlan, ImageDecision, OrphanSnapshot } from "../retention/types";
import { sharesWithSomeone } from "../sharing/family-shares";
import { revokeSharing } from "../sharing/sync-sharing";
import { type AccountView, regionalKey } from "./account-view";
import { retirementSteps, versionKey } from "./plan-families";
import { type AppliedStep, failureOf, type OrphanOutcome, type SweepFailure } from "./report";

/** What applying one family's plan did. */
export interface Execution {
  applied: AppliedStep[];
  stagesAdvanced: { version: number; stage: string }[];
  orphanSnapshots: OrphanOutcome[];
  failures: SweepFailure[];
  /** the invocation's time ran out: the steps left were not started (a continuation re-plans them) */
  stopped?: boolean;
}

/** Everything applying a plan needs besides the ports. */
export interface ExecutionContext {
  family: FamilyConfig;
  versions: readonly VersionRecord[];
  plan: FamilyPlan;
  view: AccountView;
  /** versions (`family/version`) whose references are unknown: their steps wait for the next sweep */
  blocked: ReadonlySet<string>;
  now: Date;
  /** true when the invocation's time is nearly up: no further step is started */
  shouldStop?: () => boolean;
}

/**
 * Applies the plan's retirement steps (enforce mode) and records each in the registry. A version's stage
 * moves forward only once every step of that version succeeded. Any failure is recorded and the rest
 * goes on; a re-run re-plans from EC2's actual state, so it only does what is left.
 */
export async function applyPlan(deps: ReactionDependencies, context: ExecutionContext): Promise<Execution> {
  const { family, plan } = context;
  const execution: Execution = { applied: [], stagesAdvanced: [], orphanSnapshots: [], failures: [] };
  const incomplete = new Set<number>();
  const bin = deps.recycleBin ? new RecycleBinGuard(deps.recycleBin) : undefined;
  const steps = plan.decisions.filter(
    (decision): decision is ImageDecision & { version: number } =>
      decision.version !== null && retirementSteps.has(decision.action),
  );
  for (const decision of steps) {
    if (execution.stopped || context.shouldStop?.()) {
      // Its stage must not move: the version's other steps were not done.
      execution.stopped = true;
      incomplete.add(decision.version);
      continue;
    }
    if (context.blocked.has(versionKey(family.name, decision.version))) {
      if (!incomplete.has(decision.version)) {
        execution.failures.push({
          family: family.name,
          version: decision.version,
          step: decision.action,
          message: "references could not be looked up: the version is left as it is until the next sweep",
          transient: false,
        });
      }
      incomplete.add(decision.version);
      continue;
    }
    try {
      execution.applied.push(await applyStep(deps, context, decision, bin));
    } catch (error) {
      incomplete.add(decision.version);
      execution.failures.push(
        failureOf(decision.action, error, {
          family: family.name,
          version: decision.version,
          region: decision.region,
          resourceId: decision.imageId,
        }),
      );
    }
  }
  for (const advance of plan.stageAdvances) {
    if (incomplete.has(advance.version)) continue;
    try {
      if (await deps.registry.advanceStage(family.name, advance.version, advance.to)) {
        execution.stagesAdvanced.push({ version: advance.version, stage: advance.to });
      }
    } catch (error) {
      execution.failures.push(
        failureOf("advance-stage", error, { family: family.name, version: advance.version }),
      );
    }
  }
  if (execution.stopped) return execution;
  for (const orphan of plan.orphanSnapshots) {
    execution.orphanSnapshots.push(await deleteOrphan(deps, family.name, orphan, execution.failures));
  }
  return execution;
}

async function applyStep(
  deps: ReactionDependencies,
  context: ExecutionContext,
  decision: ImageDecision & { version: number },
  bin: RecycleBinGuard | undefined,
): Promise<AppliedStep> {
  const { region, imageId, version } = decision;
  const applied: AppliedStep = {
    version,
    region,
    imageId,
    action: decision.action as AppliedStep["action"],
    deletedSnapshotIds: [],
    keptSnapshotIds: [],
  };
  if (decision.action === "deprecate") {
    // "Effective now": the adapter rounds up to EC2's minute precision.
    await deps.images.deprecateImage(region, imageId, context.now);
    return applied;
  }
  const days = bin ? recoverableDays(context.family) : 0;
  // A version is never deregistered into a bin that cannot give it back: checked before any change.
  if (decision.action === "deregister" && bin && days > 0) await bin.assertReady(region, days);
  const record = await withRecordedSharing(deps, context, decision, regionRecord(context, decision));
  // Recorded first, so the state-change event this causes is not reported as a retirement "elsewhere".
  await putRecord(deps, context, decision, { ...record, retiredBy: "service" });
  // Consumers lose the image (and its snapshots) before it is disabled or deregistered, never after.
  if (sharesWithSomeone(context.family)) await revokeSharing(deps, region, imageId, decision.snapshotIds);
  if (decision.action === "disable") {
    await deps.images.disableImage(region, imageId);
    await putRecord(deps, context, decision, { ...record, retiredBy: "service", state: "disabled" });
    return applied;
  }
  const recoverable = bin !== undefined && days > 0;
  if (recoverable) {
    // Tag-level rules match at deregistration time: the image and every snapshot carry the tag first.
    const snapshotIds = [...new Set([...record.snapshotIds, ...decision.snapshotIds])].sort();
    await deps.images.tagImage(region, imageId, snapshotIds, { [retiredTag.key]: retiredTag.value });
  }
  try {
    const { snapshotResults } = await deps.images.deregisterImage(region, imageId);
    const deleted = new Set(
      snapshotResults.filter((result) => result.returnCode === "success").map((result) => result.snapshotId),
    );
    for (const snapshotId of decision.snapshotIds) {
      if (deleted.has(snapshotId) || (await deleteLeftover(deps, context, region, snapshotId))) {
        applied.deletedSnapshotIds.push(snapshotId);
      } else {
        applied.keptSnapshotIds.push(snapshotId);
      }
    }
  } catch (error) {
    // Deregistered by a run that died before recording it: the snapshots are the orphan sweep's.
    if (!(error instanceof ImageNotFoundError)) throw error;
  }
  await putRecord(deps, context, decision, {
    ...record,
    retiredBy: "service",
    ...(recoverable
      ? { state: "recoverable", recoverableUntil: recoverableUntil(context.family, context.now) }
      : { state: "deregistered" }),
  });
  return applied;
}

/**
 * The record with the sharing EC2 reports now, read before the service removes it (DisableImage and the
 * bin drop launch permissions and EnableImage does not give them back); kept when already recorded.
 */
async function withRecordedSharing(
  deps: ReactionDependencies,
  context: ExecutionContext,
  decision: ImageDecision & { version: number },
  record: RegionImageRecord,
): Promise<RegionImageRecord> {
  if (!deps.sharing || record.recordedSharing || !sharesWithSomeone(context.family)) return record;
  const snapshotIds = [...new Set([...record.snapshotIds, ...decision.snapshotIds])].sort();
  try {
    const recordedSharing = await readSharing(
      deps.sharing,
      decision.region,
      decision.imageId,
      snapshotIds,
      context.now,
    );
    return { ...record, recordedSharing };
  } catch (error) {
    // Deregistered by a run that died before recording it: nothing is shared any more.
    if (error instanceof ImageNotFoundError) return record;
    throw error;
  }
}

/**
 * A snapshot deregistration did not delete although no other image used it when planned: deleted when
 * the service created it (managed tag); kept (and found again as an orphan) when still in use.
 */
async function deleteLeftover(
  deps: ReactionDependencies,
  context: ExecutionContext,
  region: string,
  snapshotId: string,
): Promise<boolean> {
  if (!context.view.managedSnapshots?.has(regionalKey(region, snapshotId))) return false;
  try {
    await deps.images.deleteSnapshot(region, snapshotId);
    return true;
  } catch (error) {
    if (error instanceof SnapshotInUseError) return false;
    throw error;
  }
}

async function deleteOrphan(
  deps: ReactionDependencies,
  family: string,
  orphan: OrphanSnapshot,
  failures: SweepFailure[],
): Promise<OrphanOutcome> {
  try {
    await deps.images.deleteSnapshot(orphan.region, orphan.snapshotId);
    return { ...orphan, outcome: "deleted" };
  } catch (error) {
    if (!(error instanceof SnapshotInUseError)) {
      failures.push(
        failureOf("delete-orphan-snapshot", error, {
          family,
          version: orphan.version,
          region: orphan.region,
          resourceId: orphan.snapshotId,
        }),
      );
    }
    return { ...orphan, outcome: "kept" };
  }
}

function regionRecord(
  context: ExecutionContext,
  decision: ImageDecision & { version: number },
): RegionImageRecord {
  const version = context.versions.find((candidate) => candidate.version === decision.version);
  const record = version?.regions[decision.region];
  if (!record || record.imageId !== decision.imageId) {
    throw new RegistryConflictError(
      `registry has no record of ${decision.imageId} for v${decision.version} in ${decision.region}`,
    );
  }
  return record;
}

async function putRecord(
  deps: ReactionDependencies,
  context: ExecutionContext,
  decision: ImageDecision & { version: number },
  record: RegionImageRecord,
): Promise<void> {
  const written = await deps.registry.putRegionImage(
    context.family.name,
    decision.version,
    { ...record, updatedAt: context.now.toISOString() },
    { expectImageId: decision.imageId },
  );
  if (!written)
    throw new RegistryConflictError(
      `registry holds another image than ${decision.imageId} for v${decision.version} in ${decision.region}`,
    );
}
