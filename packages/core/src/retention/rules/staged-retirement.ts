import type { RetentionStage } from "../../model";
import type { PlanContext } from "../context";
import { dayMs, iso, parseTime } from "../time";
import type { RetentionAction, UpcomingStep } from "../types";
import { byBuildTime, type RegionView, type VersionView } from "../version-view";
import { cooldownHold } from "./protection-cooldown";

/** Registry stages in order; a stage's index is the retirement level it stands for. */
const stages: readonly RetentionStage[] = ["active", "deprecated", "disabled", "deregistered"];
/** The action that brings a region to a level. */
const stepTo: Record<1 | 2 | 3, "deprecate" | "disable" | "deregister"> = {
  1: "deprecate",
  2: "disable",
  3: "deregister",
};
const levelText = ["available", "deprecated", "disabled", "gone"] as const;

/** The retirement step of one region. */
export interface RegionStep {
  region: RegionView;
  action: Exclude<RetentionAction, "keep">;
  message: string;
  /** the version's next step and when its grace ends, while that grace is running (notices read it) */
  due?: UpcomingStep;
}

/** What staged retirement does to one candidate version now. */
export interface RetirementPlan {
  /** one per region, in the version's region order */
  regions: RegionStep[];
  /** the registry stage reached once every action succeeded, when it moves */
  advanceTo: RetentionStage | undefined;
}

type Level = 0 | 1 | 2 | 3;

/**
 * staged-retirement: a candidate version goes active → deprecated → disabled → deregistered, the same in
 * every region, one step per sweep at most:
 * - deprecate once `deprecateAfterDays` passed since it became a candidate (see `candidateSince`);
 * - disable once `disableAfterDays` passed since its stage became "deprecated" (stageChangedAt);
 * - deregister once `deregisterAfterDays` passed since its stage became "disabled" (stageChangedAt).
 * Each region's action comes from its image's actual EC2 state, so a re-run after a sweep died half-way
 * only does the remaining regions; and no region takes the next step before every region finished the
 * current one (no disable before all are deprecated, no deregister before all are disabled). An image
 * in its deregistration-protection cooldown waits for the cooldown to end before it is deregistered.
 */
export function planRetirement(version: VersionView, context: PlanContext): RetirementPlan {
  const stageIndex = stages.indexOf(version.record.stage) as Level;
  const lowest = lowestLevel(version.regions);
  const grace = currentGrace(version, context, stageIndex);
  const graceOver = context.nowMs >= grace.dueMs;
  const target = targetLevel(stageIndex, lowest, graceOver);
  const unsettled = version.regions
    .filter((region) => region.level === "unsettled")
    .map((region) => region.region);
  // A pending image blocks every region: the version moves as one, once all of it can be acted on.
  const acting = (unsettled.length > 0 ? lowest : Math.min(target, lowest + 1)) as Level;
  const lagging = version.regions.filter((region) => region.level === lowest).map((region) => region.region);

  // Messages are formatted once per version, and only when a region needs them.
  let graceText: string | undefined;
  let dueText: string | undefined;
  // One upcoming step per version, shared by its regions (the planner runs over every region of every version).
  let due: UpcomingStep | undefined;
  const regions = version.regions.map((region): RegionStep => {
    if (region.level === "unsettled") {
      const state = region.image?.state ?? "not listed yet";
      return { region, action: "wait", message: `image is ${state}: retirement waits until it settles` };
    }
    if (region.level < acting) {
      // Only the deregistration of an image in its protection cooldown waits; it keeps the version's stage.
      const held = acting === 3 ? cooldownHold(region.image, context.nowMs) : undefined;
      if (held)
        return { region, action: "wait", message: held.message, ...(held.due ? { due: held.due } : {}) };
      graceText ??= grace.text();
      const why =
        acting === stageIndex + 1
          ? graceText
          : `catching up with the version's stage (${version.record.stage})`;
      return { region, action: stepTo[acting as 1 | 2 | 3], message: why };
    }
    const done = levelText[region.level];
    if (unsettled.length > 0) {
      return { region, action: "wait", message: `${done}; waiting for ${unsettled.join(", ")} to settle` };
    }
    if (target > acting || region.level > lowest) {
      return { region, action: "wait", message: `${done}; waiting for ${lagging.join(", ")} to catch up` };
    }
    if (!graceOver && region.level <= stageIndex && stageIndex < 3) {
      const next = stepTo[(stageIndex + 1) as 1 | 2 | 3];
      due ??= { action: next, at: iso(grace.dueMs) };
      dueText ??= `${next} due at ${due.at}`;
      return { region, action: "wait", message: `${done}; ${dueText}`, due };
    }
    return { region, action: "wait", message: `${done}: step done` };
  });

  return { regions, advanceTo: stageAfter(version.regions, regions, acting, target, stageIndex) };
}

/**
 * The version's next retirement step and the instant its grace ends (or ended), whatever keeps it:
 * what a consumer-held version would do once nothing holds it. Undefined once deregistered.
 */
export function nextRetirementStep(version: VersionView, context: PlanContext): UpcomingStep | undefined {
  const stageIndex = stages.indexOf(version.record.stage) as Level;
  if (stageIndex >= 3) return undefined;
  const grace = currentGrace(version, context, stageIndex);
  return { action: stepTo[(stageIndex + 1) as 1 | 2 | 3], at: iso(grace.dueMs) };
}

/** The lowest level among the regions (unsettled images count as available); 3 when there are none. */
function lowestLevel(regions: readonly RegionView[]): Level {
  let lowest: Level = 3;
  for (const region of regions) {
    const level = region.level === "unsettled" ? 0 : region.level;
    if (level < lowest) lowest = level;
  }
  return lowest;
}

/** The level the version should reach now, given its stage and whether that stage's grace is over. */
function targetLevel(stageIndex: Level, lowest: Level, graceOver: boolean): Level {
  if (stageIndex === 3) return 3;
  // The next level only once every region completed the current stage and its grace is over.
  return lowest >= stageIndex && graceOver ? ((stageIndex + 1) as Level) : stageIndex;
}

/** When the grace of the version's current stage ends, and the sentence explaining an action it allows. */
function currentGrace(
  version: VersionView,
  context: PlanContext,
  stageIndex: Level,
): { dueMs: number; text: () => string } {
  const { policy } = context;
  const record = version.record;
  if (stageIndex === 0) {
    const since = candidateSince(version, context);
    return {
      dueMs: since + policy.deprecateAfterDays * dayMs,
      text: () => `candidate since ${iso(since)}; ${policy.deprecateAfterDays}-day deprecation grace over`,
    };
  }
  if (stageIndex === 1) {
    const since = parseTime(record.stageChangedAt) ?? latestDeprecation(version) ?? version.createdAtMs;
    return {
      dueMs: since + policy.disableAfterDays * dayMs,
      text: () => `deprecated since ${iso(since)}; ${policy.disableAfterDays}-day disable grace over`,
    };
  }
  if (stageIndex === 2) {
    const since = parseTime(record.stageChangedAt) ?? version.createdAtMs;
    return {
      dueMs: since + policy.deregisterAfterDays * dayMs,
      text: () => `disabled since ${iso(since)}; ${policy.deregisterAfterDays}-day deregistration grace over`,
    };
  }
  return { dueMs: Number.NEGATIVE_INFINITY, text: () => "version is deregistered" };
}

/**
 * When the version became a retirement candidate. The registry does not record it, so it is estimated
 * as the latest of: entering its current stage (stageChangedAt, else createdAt); the end of min-age
 * (not for withdrawn versions); and the creation of the version that pushed it out of keep-latest (see `pushedOutOfLatestAt`).
 */
export function candidateSince(version: VersionView, context: PlanContext): number {
  const record = version.record;
  let since = parseTime(record.stageChangedAt) ?? version.createdAtMs;
  if (!record.withdrawn) {
    since = Math.max(since, version.createdAtMs + context.policy.minAgeDays * dayMs);
    const pushedOutAt = pushedOutOfLatestAt(version, context);
    if (pushedOutAt !== undefined) since = Math.max(since, pushedOutAt);
  }
  return since;
}

/**
 * Creation time of the `keepLatest`-th newer non-withdrawn version: the one whose arrival pushed this one
 * out of keep-latest. Counts newer versions whether available or not, so that retiring other versions
 * never moves this estimate (re-planning after a partial sweep gives the same graces).
 */
function pushedOutOfLatestAt(version: VersionView, context: PlanContext): number | undefined {
  const newer = context.current;
  let low = 0;
  let high = newer.length;
  while (low < high) {
    const middle = (low + high) >> 1;
    if (byBuildTime(newer[middle] as VersionView, version) <= 0) low = middle + 1;
    else high = middle;
  }
  return newer[low + context.policy.keepLatest - 1]?.createdAtMs;
}

function latestDeprecation(version: VersionView): number | undefined {
  let latest: number | undefined;
  for (const image of version.images) {
    const at = parseTime(image.deprecationTime);
    if (at !== undefined && (latest === undefined || at > latest)) latest = at;
  }
  return latest;
}

/** The stage the registry reaches once this plan's actions succeed: one step at a time, never past `target`. */
function stageAfter(
  views: readonly RegionView[],
  steps: readonly RegionStep[],
  acting: Level,
  target: Level,
  stageIndex: Level,
): RetentionStage | undefined {
  let reached: Level = 3;
  views.forEach((view, index) => {
    const level = steps[index]?.action !== "wait" ? acting : view.level === "unsettled" ? 0 : view.level;
    if (level < reached) reached = level;
  });
  // Every image gone: nothing left that a grace could protect.
  if (reached === 3) return stageIndex < 3 ? "deregistered" : undefined;
  const next = Math.min(reached, target);
  return next > stageIndex ? stages[stageIndex + 1] : undefined;
}
