import type { FamilyConfig } from "../config";
import type { ReferenceReading } from "../ports";
import type { EventDependencies } from "../reactions/dependencies";
import type { FamilyPlan } from "../retention/types";
import { type AccountView, regionalKey } from "./account-view";
import { applyPlan, type Execution } from "./execute";
import { type KnownReferences, planFamilies } from "./plan-families";

/** Further passes after the first: deprecate → disable → deregister is at most two more stages. */
const furtherPasses = 2;

/**
 * Takes a family's versions through every further stage due in the same sweep (grace periods of zero:
 * deprecate, disable and deregister in one run, not three). After a pass that moved a stage without a
 * failure, the view is brought up to date with what the pass did (EC2 answered each step, so its
 * effect is known without listing again), the versions are brought up to date with the pass's own
 * registry writes (Execution.versions, again without reading the family) and the family is re-planned at the clock's current time with the references the sweep already looked up, and the new
 * plan applied. The planner still decides each step; this only lets it see the state its own steps made.
 */
export async function followThrough(
  deps: EventDependencies,
  input: {
    family: FamilyConfig;
    first: Execution;
    view: AccountView;
    known: KnownReferences;
    accounts: readonly string[];
    /** the invocation's reference reading (see ImageService.referenceReading), shared with its first pass */
    references: ReferenceReading;
    /** true when the invocation's time is nearly up (see applyPlan) */
    shouldStop?: () => boolean;
  },
): Promise<{ executions: Execution[]; plans: FamilyPlan[] }> {
  const executions: Execution[] = [];
  const plans: FamilyPlan[] = [];
  let last = input.first;
  // Only a zero grace can make a further stage due within the run; any other family keeps one step per sweep.
  const { disableAfterDays, deregisterAfterDays } = input.family.retention;
  if (disableAfterDays > 0 && deregisterAfterDays > 0) return { executions, plans };
  const deregistered = deregisteredVersions(input.first);
  for (let pass = 0; pass < furtherPasses; pass++) {
    if (last.stopped || last.stagesAdvanced.length === 0 || last.failures.length > 0) break;
    const now = deps.clock.now();
    updateView(input.view, last, now);
    // The pass's own writes applied to the versions it started from: no re-read of the whole family.
    const versions = last.versions;
    // The cap is the sweep's, not each pass's: a sweep that starts at "disabled" deregisters in two passes.
    const family = withCapLeft(input.family, deregistered.size);
    const planned = await planFamilies(input.references, [{ family, versions }], input.view, {
      now,
      accounts: input.accounts,
      known: input.known,
    });
    const plan = planned.plans.get(input.family.name);
    if (!plan || planned.failures.length > 0) break;
    last = await applyPlan(deps, {
      family,
      versions,
      plan,
      view: input.view,
      blocked: planned.blocked,
      now,
      ...(input.shouldStop ? { shouldStop: input.shouldStop } : {}),
    });
    executions.push(last);
    plans.push(plan);
    for (const version of deregisteredVersions(last)) deregistered.add(version);
  }
  return { executions, plans };
}

/** The versions a pass deregistered (in any region): what it took of the deletion cap. */
function deregisteredVersions(execution: Execution): Set<number> {
  return new Set(
    execution.applied.filter((step) => step.action === "deregister").map((step) => step.version),
  );
}

/** The family with the deletion cap its earlier passes left (never below zero). */
function withCapLeft(family: FamilyConfig, used: number): FamilyConfig {
  if (used === 0) return family;
  const cap = Math.max(0, family.retention.maxDeletionsPerRun - used);
  return { ...family, retention: { ...family.retention, maxDeletionsPerRun: cap } };
}

/** Applies a pass's steps to the sweep's view of EC2, as EC2 answered them. */
function updateView(view: AccountView, execution: Execution, now: Date): void {
  const byKey = new Map(view.images.map((image) => [regionalKey(image.region, image.imageId), image]));
  for (const step of execution.applied) {
    const image = byKey.get(regionalKey(step.region, step.imageId));
    if (!image) continue;
    if (step.action === "deprecate") image.deprecationTime = now.toISOString();
    if (step.action === "disable") image.state = "disabled";
    if (step.action === "deregister") {
      image.state = "deregistered";
      const deleted = new Set(step.deletedSnapshotIds.map((id) => regionalKey(step.region, id)));
      if (view.snapshots && deleted.size > 0) {
        const kept = view.snapshots.filter(
          (snapshot) => !deleted.has(regionalKey(snapshot.region, snapshot.snapshotId)),
        );
        view.snapshots.splice(0, view.snapshots.length, ...kept);
        for (const key of deleted) (view.managedSnapshots as Set<string> | undefined)?.delete(key);
      }
    }
  }
}
