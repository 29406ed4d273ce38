import { mapWithConcurrency } from "../concurrency";
import type { Config, FamilyConfig } from "../config";
import { assertSweepPorts } from "../configured-ports";
import { restartCopies } from "../copies/restart-copies";
import { checkImageBlockPublicAccess } from "../guard/block-public-access";
import type { VersionRecord } from "../model";
import { sendDigestIfDue } from "../notifications/digest";
import { retentionSummary } from "../notifications/retention-summary";
import { noticeReasons, upcomingSteps } from "../notifications/summary-notice";
import { reassertPointers } from "../pointers/reassert-pointers";
import { reassertProtection } from "../pointers/reassert-protection";
import type { ReferenceReading } from "../ports";
import type { EventDependencies } from "../reactions/dependencies";
import { confirmGoneFromBin } from "../recovery/confirm-gone";
import type { FamilyPlan } from "../retention/types";
import { reconcileSharing } from "../sharing/sweep-sharing";
import { reassertWatermarks } from "../sharing/watermark";
import { reassertTags } from "../tags/reassert-tags";
import { type AccountView, readAccountView } from "./account-view";
import {
  adoptFamilyInSweep,
  markAdoptedInView,
  planSweepAdoption,
  type SweepAdoptionPlan,
} from "./adopt-step";
import { crossAccountEvidence, finishCrossAccount } from "./cross-account-step";
import { applyPlan } from "./execute";
import { followThrough } from "./follow-through";
import {
  type FamilyToPlan,
  planFamilies,
  type SweepPlans,
  versionKey,
  versionsWithSteps,
} from "./plan-families";
import { reconcileRegistry } from "./reconcile-registry";
import { type FamilySweepResult, failureOf, type SweepFailure, type SweepReport } from "./report";

/**
 * What a sweep needs: the same ports as the event reactions, whose code it reuses for repairs
 * (`reconcileImage`, `startCopies`).
 */
export type SweepDependencies = EventDependencies;

/** Which families to sweep (all configured ones when absent) and the instant the plan is made for. */
export interface SweepOptions {
  families?: readonly string[];
  now: Date;
  /**
   * Families worked on at once (default 1: one after another). Each family's steps run one after another
   * (a version's regions move as one), so clearing a backlog needs many families in flight to use every
   * region's token buckets; a pacer beneath the EC2 clients keeps them within the rates.
   */
  familiesInFlight?: number;
  /**
   * Asked before each family's steps and before each step: true when the invocation's time is nearly
   * up. A family not finished is marked `stopped` and left for a continuation, which re-plans it from
   * EC2's state (so no step is done twice).
   */
  shouldStop?: () => boolean;
  /** The family's deletion cap for this sweep, from its registry versions (a continued sweep counts what it already deleted). */
  deletionCap?: (family: FamilyConfig, versions: readonly VersionRecord[]) => number;
}

/**
 * The retention sweep: reads EC2 once per managed region (every owned image, managed snapshots) and the
 * registry per family; repairs what missed events left behind; plans each family, looking up references
 * only for the images it would act on; in `enforce` mode applies the steps (deprecate, disable,
 * deregister with its snapshots, orphaned snapshots), in `dry-run` changes nothing in EC2; (re)starts
 * copies kept versions still need; publishes a retention-summary to each family with news (see
 * `noticeReasons`: a change, a failure or a step due soon). A failing item is
 * recorded and the sweep goes on; `throwIfIncomplete` turns persistent transient failures into a retry.
 */
export async function runSweep(deps: SweepDependencies, options: SweepOptions): Promise<SweepReport> {
  // Before any read or change: a feature the config turns on never silently runs as if off.
  assertSweepPorts(deps);
  const { config } = deps;
  const { now } = options;
  const familiesInFlight = options.familiesInFlight ?? 1;
  const report: SweepReport = {
    mode: config.mode,
    now: now.toISOString(),
    families: [],
    failures: [],
    referenceCandidates: 0,
  };
  const families = selectFamilies(config, options.families, report.failures);
  if (families.length === 0) return finish(deps, report);

  let view: Awaited<ReturnType<typeof readAccountView>>;
  try {
    view = await readAccountView(deps.images, config.regions, report.failures);
  } catch (error) {
    // Without a complete view every image not listed would look gone: plan nothing.
    report.failures.push(failureOf("list-images", error));
    return finish(deps, report);
  }

  // Families with `adopt: true`: planned together (an image two families match is never adopted), then
  // each family adopts its own images just before its retention, in the same run.
  const adoption = await planSweepAdoption(deps, families, view);
  report.failures.push(...adoption.failures);

  const results = new Map<string, FamilySweepResult>();
  for (const family of families) results.set(family.name, emptyResult(family.name));
  // Progress first: until a pass of this invocation applied a step, its time is not up. A family's
  // planning costs the same in every invocation, so stopping before any step would ask for a
  // continuation that stops at the same place again, forever.
  const progress = { applied: false };
  const stop = options.shouldStop;
  const familyOptions: SweepOptions = stop
    ? { ...options, shouldStop: () => progress.applied && stop() }
    : options;
  // One reading of what launches images for the whole invocation: every family's lookups share its
  // account-wide reads (Auto Scaling groups, launch configurations, fleets), the next invocation reads anew.
  const references = deps.images.referenceReading();
  const context: FamilyContext = {
    deps,
    options: familyOptions,
    view,
    results,
    adoption,
    progress,
    references,
  };
  const record = (planned: SweepPlans) => {
    report.referenceCandidates += planned.candidates;
    for (const { family, failure } of planned.failures) {
      results.get(family)?.failures.push({ family, ...failure });
    }
  };

  const crossAccount = crossAccountEvidence(deps, now);
  if (crossAccount || !adoptsInThisRun(config, adoption)) {
    // Planned together before any is retired: consumers' evidence is gathered for every family's
    // candidates at once (one usage-report listing per region), and a region's candidates of every
    // family share DescribeImageReferences batches (⌈candidates/10⌉ calls, not one partial batch per
    // family). Only an invocation that tags adopted images gains more from overlapping families.
    const readies = await mapWithConcurrency(families, familiesInFlight, (family) =>
      prepareFamily(context, family),
    );
    const toPlan = readies.filter((ready): ready is FamilyToPlan => ready !== undefined);
    const planned = await planFamilies(references, toPlan, view, {
      now,
      accounts: config.accounts,
      crossAccount,
    });
    record(planned);
    await mapWithConcurrency(toPlan, familiesInFlight, (ready) => retireFamily(context, ready, planned));
  } else {
    // Each family from adoption to retirement without waiting for the others: one family's CreateTags
    // overlap another's retirement steps, so every bucket of a region is busy at once. The families'
    // lookups still share the invocation's reading of Auto Scaling groups, launch configurations, fleets.
    await mapWithConcurrency(families, familiesInFlight, async (family) => {
      if (familyOptions.shouldStop?.()) {
        (results.get(family.name) as FamilySweepResult).stopped = true;
        return;
      }
      const ready = await prepareFamily(context, family);
      if (!ready) return;
      const planned = await planFamilies(references, [ready], view, { now, accounts: config.accounts });
      record(planned);
      await retireFamily(context, ready, planned);
    });
  }

  if (crossAccount) await finishCrossAccount(deps, crossAccount, [...results.values()], report, now);

  try {
    const unblocked = await checkImageBlockPublicAccess(deps, config.regions, now);
    if (unblocked.length > 0) report.publicAccessUnblocked = unblocked;
  } catch (error) {
    report.failures.push(failureOf("check-image-block-public-access", error));
  }

  // As many families' summaries at once as families in flight: one Publish after another for 200
  // families is half a minute of round trips.
  await mapWithConcurrency(families, familiesInFlight, async (family) => {
    const result = results.get(family.name) as FamilySweepResult;
    await publishSummary(deps, family, result, now);
    await publishDigest(deps, family, result, now);
  });
  for (const family of families) report.families.push(results.get(family.name) as FamilySweepResult);
  return finish(deps, report);
}

/** What every family's part of the sweep shares. */
interface FamilyContext {
  deps: SweepDependencies;
  options: SweepOptions;
  view: AccountView;
  results: Map<string, FamilySweepResult>;
  adoption: SweepAdoptionPlan;
  /** set once a pass of this invocation applied a step: from then on its time may run out */
  progress: { applied: boolean };
  /** the invocation's reference lookups (one reading of what launches images, shared by its families) */
  references: ReferenceReading;
}

/**
 * A family's part before planning: its planned adoption applied (the view then knows the tags EC2
 * accepted), its registry read and repaired from EC2's state, tags, protection and watermarks
 * reasserted. Undefined when the registry could not be read (the failure is the family's).
 */
async function prepareFamily(
  context: FamilyContext,
  family: FamilyConfig,
): Promise<FamilyToPlan | undefined> {
  const { deps, options, view } = context;
  const { config } = deps;
  const now = options.now;
  const result = context.results.get(family.name) as FamilySweepResult;
  const adopted = context.adoption.adoptions.get(family.name);
  if (adopted) {
    result.adoption = adopted;
    result.failures.push(...(await adoptFamilyInSweep(deps, adopted)));
  }
  try {
    let versions = await deps.registry.listVersions(family.name);
    if (adopted) markAdoptedInView(view, versions, adopted);
    const repaired = await reconcileRegistry(deps, family, versions, view, now);
    result.reconciled.push(...repaired.reconciled);
    result.failures.push(...repaired.failures.map((failure) => ({ family: family.name, ...failure })));
    if (repaired.reconciled.length > 0) versions = await deps.registry.listVersions(family.name);
    // Before planning: the destructive grants are conditioned on the managed tag someone may have removed.
    const reconciledImages = new Set([
      ...repaired.reconciled.flatMap((repair) => repair.imageId ?? []),
      ...(adopted?.imageIds ?? []),
    ]);
    const retagged = await reassertTags(deps, family, versions, view, reconciledImages);
    result.reconciled.push(...retagged.reconciled);
    result.failures.push(...retagged.failures);
    // Before planning, so the plan never schedules a retirement step EC2 refuses or a pointer still needs.
    if (config.mode === "enforce") {
      const protectedNow = await reassertProtection(deps, family, versions, view);
      result.reconciled.push(...protectedNow.reconciled);
      result.failures.push(...protectedNow.failures);
    }
    if (config.mode === "enforce") {
      const marked = await reassertWatermarks(deps, family, versions, view);
      result.reconciled.push(
        ...marked.watermarked.map((image) => ({ kind: "watermarked" as const, ...image })),
      );
      result.failures.push(...marked.failures);
    }
    return { family: withDeletionCap(family, versions, options.deletionCap), versions };
  } catch (error) {
    result.failures.push(failureOf("read-registry", error, { family: family.name }));
    return undefined;
  }
}

/**
 * A family's part after planning: in `enforce` mode its steps applied and followed through every
 * stage due in this run, then copies, sharing and pointers brought in line with the plan.
 */
async function retireFamily(
  context: FamilyContext,
  { family, versions }: FamilyToPlan,
  planned: SweepPlans,
): Promise<void> {
  const { deps, options, view } = context;
  const { config } = deps;
  const result = context.results.get(family.name) as FamilySweepResult;
  const plan = planned.plans.get(family.name);
  if (!plan) return;
  result.plan = plan;
  if (options.shouldStop?.()) {
    result.stopped = true;
    return;
  }
  const blocked = [...versionsWithSteps(plan)].filter((version) =>
    planned.blocked.has(versionKey(family.name, version)),
  );
  if (blocked.length > 0) result.blockedVersions = blocked.sort((a, b) => a - b);
  try {
    if (config.mode === "enforce") {
      const execution = await applyPlan(deps, {
        family,
        versions,
        plan,
        view,
        blocked: planned.blocked,
        now: options.now,
        ...(options.shouldStop ? { shouldStop: options.shouldStop } : {}),
      });
      if (execution.applied.length > 0) context.progress.applied = true;
      // Zero grace periods: the stages due next are taken in this run too.
      const further = await followThrough(deps, {
        family,
        first: execution,
        view,
        known: planned.known,
        accounts: config.accounts,
        references: context.references,
        ...(options.shouldStop ? { shouldStop: options.shouldStop } : {}),
      });
      for (const pass of [execution, ...further.executions]) {
        result.applied.push(...pass.applied);
        result.stagesAdvanced.push(...pass.stagesAdvanced);
        result.orphanSnapshots.push(...pass.orphanSnapshots);
        result.failures.push(...pass.failures);
        if (pass.stopped) result.stopped = true;
      }
      // The continuation finishes the family (and its copies, sharing, pointers) from EC2's state.
      if (result.stopped) return;
      const gone = await confirmGoneFromBin(deps, family, versions, options.now);
      result.reconciled.push(
        ...gone.confirmed.map((entry) => ({ kind: "confirmed-gone" as const, ...entry })),
      );
      result.failures.push(...gone.failures);
    } else {
      result.orphanSnapshots.push(
        ...plan.orphanSnapshots.map((orphan) => ({ ...orphan, outcome: "reported" as const })),
      );
    }
    const copies = await restartCopies(deps, family, versions, retiringVersions(plan));
    result.reconciled.push(...copies.reconciled);
    result.failures.push(...copies.failures);
    const sharing = await reconcileSharing(deps, family, versions, retiringVersions(plan));
    if (sharing.changes.length > 0) result.sharing = sharing.changes;
    result.failures.push(...sharing.failures);
    const pointers = await reassertPointers(deps, family);
    result.reconciled.push(...pointers.reconciled);
    result.failures.push(...pointers.failures);
  } catch (error) {
    result.failures.push(failureOf("apply-plan", error, { family: family.name }));
  }
}

/** True when this invocation tags images for adoption (enforce mode, a family with an image to tag). */
function adoptsInThisRun(config: Config, adoption: SweepAdoptionPlan): boolean {
  if (config.mode !== "enforce") return false;
  for (const { plan } of adoption.adoptions.values()) {
    if (plan.versions.length + plan.joining.length + plan.pendingTagging.length > 0) return true;
  }
  return false;
}

/** The configured families to sweep; a requested name that is not configured is a failure of the sweep. */
function selectFamilies(
  config: Config,
  requested: readonly string[] | undefined,
  failures: SweepFailure[],
): FamilyConfig[] {
  if (!requested) return config.families;
  const selected: FamilyConfig[] = [];
  for (const name of new Set(requested)) {
    const family = config.families.find((candidate) => candidate.name === name);
    if (family) selected.push(family);
    else
      failures.push({
        family: name,
        step: "select-family",
        message: `family ${name} is not configured`,
        transient: false,
      });
  }
  return selected;
}

/** The family with this sweep's deletion cap (the configured one when no cap function is given). */
function withDeletionCap(
  family: FamilyConfig,
  versions: readonly VersionRecord[],
  deletionCap: SweepOptions["deletionCap"],
): FamilyConfig {
  if (!deletionCap) return family;
  return {
    ...family,
    retention: { ...family.retention, maxDeletionsPerRun: deletionCap(family, versions) },
  };
}

/** Versions the plan does not keep whole: they are on their way out and need no more copies. */
function retiringVersions(plan: FamilyPlan): Set<number> {
  const retiring = new Set<number>();
  for (const decision of plan.decisions) {
    if (decision.version !== null && decision.action !== "keep") retiring.add(decision.version);
  }
  return retiring;
}

async function publishSummary(
  deps: SweepDependencies,
  family: FamilyConfig,
  result: FamilySweepResult,
  now: Date,
): Promise<void> {
  deps.log.info("retention sweep of a family", {
    family: family.name,
    mode: deps.config.mode,
    summary: result.plan?.summary.text,
    decisions: result.plan?.decisions
      .filter((decision) => decision.action !== "keep")
      .map((decision) => ({
        version: decision.version,
        region: decision.region,
        imageId: decision.imageId,
        action: decision.action,
        reasons: decision.reasons,
      })),
    applied: result.applied.length,
    stagesAdvanced: result.stagesAdvanced,
    reconciled: result.reconciled.length,
    orphanSnapshots: result.orphanSnapshots.length,
    failures: result.failures,
  });
  const upcoming = upcomingSteps(result, now, deps.config.notifications.noticeDays);
  const reasons = noticeReasons(result, deps.config.mode, upcoming);
  // Nothing changed, failed or coming up: a message would only teach the team to ignore the topic.
  if (reasons.length === 0) return;
  try {
    await deps.notifier.publish(retentionSummary(deps.config, family, result, now, { reasons, upcoming }));
    result.summaryPublished = true;
  } catch (error) {
    result.failures.push(failureOf("publish-summary", error, { family: family.name }));
  }
}

/** The weekly digest (`notifications.digest`), when due; a failure is the family's, retried by the next sweep. */
async function publishDigest(
  deps: SweepDependencies,
  family: FamilyConfig,
  result: FamilySweepResult,
  now: Date,
): Promise<void> {
  try {
    await sendDigestIfDue(deps, family, result, now);
  } catch (error) {
    result.failures.push(failureOf("publish-digest", error, { family: family.name }));
  }
}

function finish(deps: SweepDependencies, report: SweepReport): SweepReport {
  if (report.failures.length > 0) deps.log.warn("sweep failures", { failures: report.failures });
  return report;
}

function emptyResult(family: string): FamilySweepResult {
  return {
    family,
    applied: [],
    stagesAdvanced: [],
    reconciled: [],
    orphanSnapshots: [],
    failures: [],
    summaryPublished: false,
  };
}
