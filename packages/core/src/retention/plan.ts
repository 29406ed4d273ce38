import type { RetentionStage } from "../model";
import { LifecycleTag } from "../tags/lifecycle-tags";
import { buildContext, type PlanContext } from "./context";
import { indexInventory } from "./inventory";
import { findOrphanSnapshots } from "./orphan-snapshots";
import { consumerEvidenceChecked, heldForConsumers } from "./rules/consumer-evidence";
import { deletionCapReason, selectCapped } from "./rules/deletion-cap";
import { keepRules } from "./rules/index";
import { outsideLatestMessage } from "./rules/keep-latest";
import { unregisteredReason } from "./rules/not-managed";
import { exclusiveSnapshots } from "./rules/snapshots";
import { planRetirement, type RetirementPlan } from "./rules/staged-retirement";
import { withdrawnReason } from "./rules/withdrawn";
import { summarize } from "./summary";
import type {
  FamilyPlan,
  ImageDecision,
  IndexedRetentionInput,
  Reason,
  RetentionInput,
  StageAdvance,
} from "./types";
import type { VersionView } from "./version-view";
import { viewVersions } from "./version-view";

/**
 * Decides, for one family at one instant, what retention does to every image of every version: keep,
 * or the next step of staged retirement, each with its reasons. Pure: no I/O, no clock; the same input
 * (in any order) gives the same plan.
 */
export function planRetention(input: RetentionInput | IndexedRetentionInput): FamilyPlan {
  const nowMs = input.now.getTime();
  if (Number.isNaN(nowMs)) throw new RangeError("planRetention: now is an invalid Date");
  const inventory =
    "inventory" in input ? input.inventory : indexInventory(input.images, input.references, input.snapshots);
  const familyName = input.family.name;
  const policy = input.family.retention;
  const views = viewVersions(familyName, input.versions, inventory, nowMs);
  const context = buildContext(familyName, policy, nowMs, inventory, input.accounts, views);
  if (input.consumerEvidence) context.consumerEvidence = input.consumerEvidence;

  const kept: { view: VersionView; reasons: Reason[] }[] = [];
  const retiring: { view: VersionView; reason: Reason; plan: RetirementPlan }[] = [];
  for (const view of views) {
    const reasons = keepReasons(view, context);
    if (reasons.length > 0) kept.push({ view, reasons });
    else retiring.push({ view, reason: candidateReason(view, context), plan: planRetirement(view, context) });
  }
  const deregistering = retiring
    .filter(({ plan }) => plan.regions.some((step) => step.action === "deregister"))
    .map(({ view }) => view);
  const capped = selectCapped(deregistering, policy.maxDeletionsPerRun);

  const decisions: ImageDecision[] = [];
  const stageAdvances: StageAdvance[] = [];
  for (const { view, reasons } of kept) {
    const held = heldForConsumers(view, reasons, context);
    for (const region of view.regions) {
      const keep = decision(familyName, view.version, region.region, region.imageId, "keep", reasons);
      if (held) keep.held = held;
      decisions.push(keep);
    }
  }
  for (const { view, reason: candidate, plan } of retiring) {
    const isCapped = capped.has(view);
    const checked = consumerEvidenceChecked(view, context.consumerEvidence);
    // The candidate reason, then (for shared versions) what the consumer accounts showed.
    const leading = checked ? [candidate, checked] : [candidate];
    for (const step of plan.regions) {
      const { region, imageId, image } = step.region;
      const stepReason: Reason = { rule: "staged-retirement", message: `${step.action}: ${step.message}` };
      if (step.action === "deregister" && isCapped) {
        const capReason = deletionCapReason(policy.maxDeletionsPerRun);
        decisions.push(
          decision(familyName, view.version, region, imageId, "keep", [...leading, stepReason, capReason]),
        );
      } else if (step.action === "deregister" && image) {
        const freed = exclusiveSnapshots(image, inventory);
        decisions.push({
          ...decision(familyName, view.version, region, imageId, "deregister", [...leading, stepReason]),
          ...freed,
        });
      } else {
        const waiting = decision(familyName, view.version, region, imageId, step.action, [
          ...leading,
          stepReason,
        ]);
        if (step.due) waiting.next = step.due;
        decisions.push(waiting);
      }
    }
    if (plan.advanceTo && !isCapped)
      stageAdvances.push(advance(view.version, view.record.stage, plan.advanceTo));
  }
  decisions.push(...unregisteredDecisions(views, context));
  decisions.sort(byVersionRegionImage);
  const snapshots = findOrphanSnapshots(views, context);

  return {
    family: familyName,
    decisions,
    stageAdvances,
    orphanSnapshots: snapshots.orphans,
    unrecordedSnapshots: snapshots.unrecorded,
    deletionsCapped: capped.size,
    summary: summarize(familyName, decisions, capped.size),
  };
}

function keepReasons(view: VersionView, context: PlanContext): Reason[] {
  const reasons: Reason[] = [];
  for (const rule of keepRules) {
    const reason = rule(view, context);
    if (reason) reasons.push(reason);
  }
  return reasons;
}

/** Why a version no rule keeps is retiring. */
function candidateReason(view: VersionView, context: PlanContext): Reason {
  return (
    withdrawnReason(view) ?? {
      rule: "keep-latest",
      message: outsideLatestMessage(context.policy.keepLatest, context.latest),
    }
  );
}

/** Images tagged for the family that no version of the registry holds: never touched. */
function unregisteredDecisions(views: readonly VersionView[], context: PlanContext): ImageDecision[] {
  const tagged = context.inventory.imagesByFamilyTag.get(context.familyName);
  if (!tagged) return [];
  // Built only when an image is not where its version tag says: the rare path.
  let registered: Set<string> | undefined;
  const decisions: ImageDecision[] = [];
  for (const image of tagged) {
    const claimed = viewByNumber(views, Number(image.tags[LifecycleTag.version]));
    if (claimed?.record.regions[image.region]?.imageId === image.imageId) continue;
    registered ??= new Set(
      views.flatMap((view) => view.regions.map((region) => `${region.region}/${region.imageId}`)),
    );
    const key = `${image.region}/${image.imageId}`;
    if (registered.has(key)) continue;
    registered.add(key);
    decisions.push(
      decision(context.familyName, null, image.region, image.imageId, "keep", [unregisteredReason()]),
    );
  }
  return decisions;
}

/** The view of a version number; views are sorted by build time, usually also 1..n, so look there first. */
function viewByNumber(views: readonly VersionView[], version: number): VersionView | undefined {
  if (!Number.isInteger(version)) return undefined;
  const direct = views[version - 1];
  if (direct?.version === version) return direct;
  return views.find((view) => view.version === version);
}

function decision(
  family: string,
  version: number | null,
  region: string,
  imageId: string,
  action: ImageDecision["action"],
  reasons: Reason[],
): ImageDecision {
  return { family, version, region, imageId, action, reasons, snapshotIds: [], freedGiB: 0 };
}

function advance(version: number, from: RetentionStage, to: RetentionStage): StageAdvance {
  return { version, from, to };
}

function byVersionRegionImage(a: ImageDecision, b: ImageDecision): number {
  const versionA = a.version ?? Number.POSITIVE_INFINITY;
  const versionB = b.version ?? Number.POSITIVE_INFINITY;
  if (versionA !== versionB) return versionA - versionB;
  if (a.region !== b.region) return a.region < b.region ? -1 : 1;
  return a.imageId < b.imageId ? -1 : a.imageId > b.imageId ? 1 : 0;
}
