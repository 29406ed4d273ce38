import type { FamilyConfig } from "../config";
import type { ImageReference, VersionRecord } from "../model";
import { evidenceKey } from "../organization/consumer-evidence";
import {
  type CrossAccountEvidence,
  type EvidenceCandidate,
  sharesOutside,
} from "../organization/gather-evidence";
import type { ReferenceReading } from "../ports";
import { indexInventory } from "../retention/inventory";
import { planRetention } from "../retention/plan";
import { retirementSteps } from "../retention/retirement-steps";
import type { FamilyPlan } from "../retention/types";
import { type AccountView, regionalKey } from "./account-view";
import { markFallbackEvidence } from "./reference-fallback";
import { failureOf, type SweepFailure } from "./report";

/** A family to plan, with its registry versions. */
export interface FamilyToPlan {
  family: FamilyConfig;
  versions: VersionRecord[];
}

/** The sweep's plans after in-use detection. */
export interface SweepPlans {
  plans: Map<string, FamilyPlan>;
  /** versions (`family/version`) with a retirement step whose references could not be looked up: never acted on */
  blocked: Set<string>;
  /** images whose references were looked up */
  candidates: number;
  /** regions whose references came from the fallback (no DescribeImageReferences there), sorted */
  referenceFallbackRegions: string[];
  failures: { family: string; failure: SweepFailure }[];
  /** what the lookups found, to re-plan within the same sweep without asking EC2 again */
  known: KnownReferences;
}

/** References looked up so far in a sweep, and the images (`region/imageId`) they cover. */
export interface KnownReferences {
  references: ImageReference[];
  checked: Set<string>;
  /** the sweep's cross-account evidence (shared families, `organization` configured): re-plans reuse it */
  crossAccount?: CrossAccountEvidence;
}

export { retirementSteps } from "../retention/retirement-steps";

/** Key of a version in `SweepPlans.blocked`. */
export function versionKey(family: string, version: number): string {
  return `${family}/${version}`;
}

/** Re-planning only adds in-use reasons; a few rounds always suffice (see planFamilies). */
const maxRounds = 5;

/**
 * Plans every family, looking up references only for the images of versions the plan would act on:
 * plan without references, look up the candidates' images (the adapter batches 10 per call), re-plan with
 * them. References only ever keep more, but keeping an in-use version can let the deletion cap release
 * another one, so re-planning repeats until no version with a step is left unchecked.
 */
export async function planFamilies(
  images: ReferenceReading,
  families: readonly FamilyToPlan[],
  view: AccountView,
  context: {
    now: Date;
    accounts: readonly string[];
    known?: KnownReferences;
    crossAccount?: CrossAccountEvidence;
  },
): Promise<SweepPlans> {
  const references: ImageReference[] = context.known?.references ?? [];
  const checked = context.known?.checked ?? new Set<string>();
  const crossAccount = context.known?.crossAccount ?? context.crossAccount;
  const unknown = new Set<string>();
  const fallbackRegions = new Set<string>();
  const failures: SweepPlans["failures"] = [];
  let plans = new Map<string, FamilyPlan>();
  // The evidence the latest plans were made with: a shared image gathered after them blocks its version.
  let evidenceAtPlan = new Set<string>();
  for (let round = 0; round < maxRounds; round++) {
    evidenceAtPlan = new Set(crossAccount?.evidence.keys() ?? []);
    const inventory = indexInventory(view.images, references, view.snapshots);
    plans = new Map();
    for (const { family, versions } of families) {
      try {
        plans.set(
          family.name,
          planRetention({
            family,
            versions,
            now: context.now,
            accounts: context.accounts,
            inventory,
            ...(crossAccount ? { consumerEvidence: crossAccount.evidence } : {}),
          }),
        );
      } catch (error) {
        if (round === 0) failures.push({ family: family.name, failure: failureOf("plan", error) });
      }
    }
    const wanted = new Map<string, { region: string; imageId: string }[]>();
    const candidates = candidateImages(families, plans, view);
    // Shared candidates not yet gathered: their consumers' evidence, before any step (fail safe inside).
    let newEvidence = false;
    if (crossAccount) {
      const before = crossAccount.evidence.size;
      await crossAccount.gather(candidates);
      newEvidence = crossAccount.evidence.size > before;
    }
    for (const image of candidates) {
      const key = regionalKey(image.region, image.imageId);
      if (checked.has(key) || unknown.has(key)) continue;
      const list = wanted.get(image.region) ?? [];
      list.push(image);
      wanted.set(image.region, list);
    }
    if (wanted.size === 0 && !newEvidence) break;
    if (round === maxRounds - 1) {
      // Never reached in practice; whatever is still unchecked stays blocked rather than acted on.
      for (const list of wanted.values())
        for (const image of list) unknown.add(regionalKey(image.region, image.imageId));
      break;
    }
    if (wanted.size === 0) continue;
    // Regions in parallel: each has its own token buckets. Results are applied in region order.
    const lookups = await Promise.all(
      [...wanted].map(async ([region, list]) => {
        const ids = list.map((image) => image.imageId);
        try {
          return { region, ids, found: await images.findReferences(region, ids) };
        } catch (error) {
          return { region, ids, error };
        }
      }),
    );
    for (const { region, ids, found, error } of lookups) {
      if (found) {
        references.push(...found);
        for (const id of ids) checked.add(regionalKey(region, id));
        if (images.usesReferenceFallback(region)) fallbackRegions.add(region);
      } else {
        for (const id of ids) unknown.add(regionalKey(region, id));
        for (const family of familiesOwning(families, region, ids)) {
          failures.push({ family, failure: failureOf("find-references", error, { region }) });
        }
      }
    }
  }
  markFallbackEvidence(plans, fallbackRegions, checked);
  const blocked = new Set<string>();
  for (const { family, versions } of families) {
    const plan = plans.get(family.name);
    if (!plan) continue;
    for (const version of versionsWithSteps(plan)) {
      const record = versions.find((candidate) => candidate.version === version);
      const images = record ? presentImages(record, view) : [];
      const unchecked = (image: { region: string; imageId: string }) =>
        !checked.has(regionalKey(image.region, image.imageId)) ||
        (crossAccount !== undefined &&
          sharesOutside(family) &&
          !evidenceAtPlan.has(evidenceKey(image.region, image.imageId)));
      if (images.some(unchecked)) {
        blocked.add(versionKey(family.name, version));
      }
    }
  }
  return {
    plans,
    blocked,
    candidates: checked.size + unknown.size,
    referenceFallbackRegions: [...fallbackRegions].sort(),
    failures,
    known: { references, checked, ...(crossAccount ? { crossAccount } : {}) },
  };
}

/** Versions of the plan with at least one retirement step. */
export function versionsWithSteps(plan: FamilyPlan): Set<number> {
  const versions = new Set<number>();
  for (const decision of plan.decisions) {
    if (decision.version !== null && retirementSteps.has(decision.action)) versions.add(decision.version);
  }
  return versions;
}

/** Images of versions with a step, or whose deregistration only the cap holds back (they may be released). */
function candidateImages(
  families: readonly FamilyToPlan[],
  plans: ReadonlyMap<string, FamilyPlan>,
  view: AccountView,
): EvidenceCandidate[] {
  const candidates: EvidenceCandidate[] = [];
  for (const { family, versions } of families) {
    const plan = plans.get(family.name);
    if (!plan) continue;
    const retiring = versionsWithSteps(plan);
    for (const decision of plan.decisions) {
      if (decision.version === null) continue;
      if (decision.reasons.some((reason) => reason.rule === "deletion-cap")) retiring.add(decision.version);
    }
    for (const record of versions) {
      if (retiring.has(record.version))
        candidates.push(...presentImages(record, view).map((image) => ({ family, ...image })));
    }
  }
  return candidates;
}

/** The version's region images that EC2 still lists. */
function presentImages(record: VersionRecord, view: AccountView): { region: string; imageId: string }[] {
  const images: { region: string; imageId: string }[] = [];
  for (const [region, regionRecord] of Object.entries(record.regions)) {
    const imageId = regionRecord.imageId;
    if (imageId && view.present.has(regionalKey(region, imageId))) images.push({ region, imageId });
  }
  return images;
}

function familiesOwning(families: readonly FamilyToPlan[], region: string, imageIds: readonly string[]) {
  const ids = new Set(imageIds);
  return families
    .filter(({ versions }) =>
      versions.some((record) => {
        const imageId = record.regions[region]?.imageId;
        return imageId !== undefined && ids.has(imageId);
      }),
    )
    .map(({ family }) => family.name);
}
