import { mapWithConcurrency } from "../concurrency";
import type { FamilyConfig } from "../config";
import { missingRecycleBin } from "../configured-ports";
import { ImageNotFoundError, RegistryConflictError, SnapshotInUseError } from "../errors";
import type { RegionImageRecord, RetiredStage, VersionRecord } from "../model";
import type { RegistryBatchResult, RegistryBatchWrite } from "../ports";
import type { EventDependencies } from "../reactions/dependencies";
import { RecycleBinGuard, recoverableDays, recoverableUntil } from "../recovery/bin-guard";
import { retiredTag } from "../recovery/ports";
import { readSharing } from "../recovery/record-sharing";
import type { FamilyPlan, ImageDecision, OrphanSnapshot } from "../retention/types";
import { sharesWithSomeone } from "../sharing/family-shares";
import { revokeSharing } from "../sharing/sync-sharing";
import { type AccountView, regionalKey } from "./account-view";
import { retirementSteps, versionKey } from "./plan-families";
import { writeRegistryBatch } from "./registry-batch";
import { type AppliedStep, failureOf, type OrphanOutcome, type SweepFailure } from "./report";

/** What applying one family's plan did. */
export interface Execution {
  applied: AppliedStep[];
  stagesAdvanced: { version: number; stage: string }[];
  orphanSnapshots: OrphanOutcome[];
  failures: SweepFailure[];
  /** the family's versions with this pass's registry writes applied: a further pass plans from them */
  versions: VersionRecord[];
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
 * Images of one family's pass changed at once: a whole pass of a 50-image family. The pacer serves calls
 * in arrival order, so one family's pass is served before the next one's and families at different
 * stages keep different buckets busy; a few calls per family at a time would move every family in
 * lockstep (all deprecating, then all disabling), one bucket busy at a time.
 */
export const stepsInFlight = 50;

type Step = ImageDecision & { version: number };

/** A step ready for EC2: its registry record (sharing included) and whether the registry must first say "service". */
interface PreparedStep {
  decision: Step;
  record: RegionImageRecord;
  /** the record must be written with `retiredBy: "service"` before EC2 changes the image */
  markFirst: boolean;
}

/** A step EC2 did, with the record that says so (none for a deprecation, which the registry does not track per region). */
interface DoneStep {
  applied: AppliedStep;
  record?: RegionImageRecord;
}

/**
 * Applies the plan's retirement steps (enforce mode) and records them in the registry. A version's stage
 * moves forward only once every step of that version succeeded and was recorded. The registry writes of
 * a pass are batched (`writeRegistryBatch`): the "retired by the service" marks before EC2 is asked, then
 * the final records with the stage advances, each write under its own condition. Any failure is recorded
 * and the rest goes on; a re-run re-plans from EC2's actual state, so it only does what is left.
 */
export async function applyPlan(deps: EventDependencies, context: ExecutionContext): Promise<Execution> {
  const { family, plan } = context;
  const execution: Execution = {
    applied: [],
    stagesAdvanced: [],
    orphanSnapshots: [],
    failures: [],
    versions: context.versions.map((version) => ({ ...version, regions: { ...version.regions } })),
  };
  const incomplete = new Set<number>();
  const fail = (decision: Pick<Step, "version" | "region" | "imageId" | "action">, error: unknown) => {
    incomplete.add(decision.version);
    execution.failures.push(
      failureOf(decision.action, error, {
        family: family.name,
        version: decision.version,
        region: decision.region,
        resourceId: decision.imageId,
      }),
    );
  };
  const bin = deps.recycleBin ? new RecycleBinGuard(deps.recycleBin) : undefined;
  const steps = plan.decisions.filter(
    (decision): decision is Step => decision.version !== null && retirementSteps.has(decision.action),
  );
  const prepared: PreparedStep[] = [];
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
      prepared.push(await prepareStep(deps, context, decision, bin));
    } catch (error) {
      fail(decision, error);
    }
  }

  // Recorded first, so the state-change event a step causes is not reported as a retirement "elsewhere".
  const marking = prepared.filter((step) => step.markFirst);
  const marked = await writeRegistryBatch(
    deps.registry,
    family.name,
    marking.map((step) => recordWrite(context, step.decision, step.record)),
  );
  const unmarked = new Set<PreparedStep>();
  marking.forEach((step, index) => {
    const error = writeError(marked[index], step.decision);
    if (error) {
      unmarked.add(step);
      fail(step.decision, error);
    } else recordInto(execution.versions, step.decision.version, step.record);
  });

  const unrecorded = new Set<AppliedStep>();
  // The pass's images at once (each image's own calls stay in order): one call at a time cannot use a
  // bucket's rate; the pacer beneath holds each call until its bucket has a token.
  const changes = await mapWithConcurrency(prepared, stepsInFlight, async (step) => {
    if (unmarked.has(step)) return undefined;
    let changed: DoneStep;
    try {
      changed = await changeImage(deps, context, step);
    } catch (error) {
      fail(step.decision, error);
      return undefined;
    }
    // An image deregistered into the bin is recorded at once: a sweep killed before the pass's batch
    // would leave only "retired by the service", which reconciliation takes for gone for good.
    if (changed.record?.state !== "recoverable") return changed;
    const [result] = await writeRegistryBatch(deps.registry, family.name, [
      recordWrite(context, changed.applied, changed.record),
    ]);
    const error = writeError(result, changed.applied);
    if (error) {
      unrecorded.add(changed.applied);
      fail(changed.applied, error);
    } else recordInto(execution.versions, changed.applied.version, changed.record);
    changed.record = undefined;
    return changed;
  });
  const done = changes.filter((change): change is DoneStep => change !== undefined);

  // The final records and the stage advances they complete, in one batch: an advance waits for its records.
  const recorded = done.filter((step) => step.record !== undefined);
  const advancing = plan.stageAdvances.filter((advance) => !incomplete.has(advance.version));
  const writes: RegistryBatchWrite[] = [
    ...recorded.map(({ applied, record }) => recordWrite(context, applied, record as RegionImageRecord)),
    ...advancing.map(
      (advance): RegistryBatchWrite => ({
        kind: "advance-stage",
        version: advance.version,
        stage: advance.to,
      }),
    ),
  ];
  const results = await writeRegistryBatch(deps.registry, family.name, writes);
  recorded.forEach((step, index) => {
    const error = writeError(results[index], step.applied);
    if (error) {
      unrecorded.add(step.applied);
      fail(step.applied, error);
    } else recordInto(execution.versions, step.applied.version, step.record as RegionImageRecord);
  });
  for (const step of done) if (!unrecorded.has(step.applied)) execution.applied.push(step.applied);
  advancing.forEach((advance, offset) => {
    const result = results[recorded.length + offset];
    if (result?.ok && result.written) {
      execution.stagesAdvanced.push({ version: advance.version, stage: advance.to });
      advanceInto(execution.versions, advance.version, advance.to, deps.clock.now().toISOString());
    } else if (result && !result.ok) {
      execution.failures.push(
        failureOf("advance-stage", result.error, { family: family.name, version: advance.version }),
      );
    }
  });
  if (execution.stopped) return execution;
  for (const orphan of plan.orphanSnapshots) {
    execution.orphanSnapshots.push(await deleteOrphan(deps, family.name, orphan, execution.failures));
  }
  return execution;
}

/** Reads what a step needs before anything changes: its record, the sharing EC2 reports, the bin's readiness. */
async function prepareStep(
  deps: EventDependencies,
  context: ExecutionContext,
  decision: Step,
  bin: RecycleBinGuard | undefined,
): Promise<PreparedStep> {
  const stored = regionRecord(context, decision);
  if (decision.action === "deprecate") return { decision, record: stored, markFirst: false };
  // A version is never deregistered into a bin that cannot give it back: checked before any change.
  // The config, not the wiring, says whether deregistration is final: without the bin's port, refused.
  if (decision.action === "deregister" && recoverableDays(context.family) > 0) {
    if (!bin) throw missingRecycleBin(deps.config, context.family);
    await bin.assertReady(decision.region, recoverableDays(context.family));
  }
  const withSharing = await withRecordedSharing(deps, context, decision, stored);
  // Already marked by an earlier step (disable before deregister) with nothing new to keep: no write.
  const markFirst = withSharing !== stored || stored.retiredBy !== "service";
  return { decision, record: { ...withSharing, retiredBy: "service" }, markFirst };
}

/** Asks EC2 for the step's change and returns the record that says what it did. */
async function changeImage(
  deps: EventDependencies,
  context: ExecutionContext,
  step: PreparedStep,
): Promise<DoneStep> {
  const { decision, record } = step;
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
    // "Effective now", as of this call: the plan's instant may be minutes old in a long, paced
    // invocation, and EC2 refuses a DeprecateAt in the past. The adapter rounds up to EC2's minute.
    await deps.images.deprecateImage(region, imageId, deps.clock.now());
    return { applied };
  }
  // Consumers lose the image (and its snapshots) before it is disabled or deregistered, never after.
  if (sharesWithSomeone(context.family)) await revokeSharing(deps, region, imageId, decision.snapshotIds);
  if (decision.action === "disable") {
    await deps.images.disableImage(region, imageId);
    return { applied, record: { ...record, state: "disabled" } };
  }
  // prepareStep refused a recoverable family's deregistration without the bin's port.
  const recoverable = recoverableDays(context.family) > 0;
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
  return {
    applied,
    record: {
      ...record,
      ...(recoverable
        ? { state: "recoverable", recoverableUntil: recoverableUntil(context.family, context.now) }
        : { state: "deregistered" }),
    },
  };
}

/** The registry write of a step's record, guarded by the image the plan acted on. */
function recordWrite(
  context: ExecutionContext,
  step: { version: number; imageId: string },
  record: RegionImageRecord,
): RegistryBatchWrite {
  return {
    kind: "region-image",
    version: step.version,
    record: { ...record, updatedAt: context.now.toISOString() },
    expectImageId: step.imageId,
  };
}

/** Why a step's record was not written, or undefined when it was. */
function writeError(
  result: RegistryBatchResult | undefined,
  step: { version: number; region: string; imageId: string },
): unknown {
  if (result === undefined) return new RegistryConflictError(`no registry answer for ${step.imageId}`);
  if (!result.ok) return result.error;
  if (result.written) return undefined;
  return new RegistryConflictError(
    `registry holds another image than ${step.imageId} for v${step.version} in ${step.region}`,
  );
}

/** Applies a written record to the pass's copy of the versions. */
function recordInto(versions: VersionRecord[], version: number, record: RegionImageRecord): void {
  const target = versions.find((candidate) => candidate.version === version);
  if (target) target.regions[record.region] = record;
}

/** Applies a written stage advance to the pass's copy of the versions, as the registry stores it. */
function advanceInto(versions: VersionRecord[], version: number, stage: string, at: string): void {
  const target = versions.find((candidate) => candidate.version === version);
  if (!target) return;
  const reached = stage as RetiredStage;
  target.stage = reached;
  target.stageChangedAt = at;
  target.stageDates = { ...target.stageDates, [reached]: at };
}

/**
 * The record with the sharing EC2 reports now, read before the service removes it (DisableImage and the
 * bin drop launch permissions and EnableImage does not give them back); kept when already recorded.
 */
async function withRecordedSharing(
  deps: EventDependencies,
  context: ExecutionContext,
  decision: ImageDecision & { version: number },
  record: RegionImageRecord,
): Promise<RegionImageRecord> {
  if (record.recordedSharing || !sharesWithSomeone(context.family)) return record;
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
  deps: EventDependencies,
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
  deps: EventDependencies,
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
