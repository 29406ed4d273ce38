import { applyAdoption } from "../adoption/apply-adoption";
import { type AdoptionPlan, planAdoption } from "../adoption/plan-adoption";
import type { FamilyConfig } from "../config";
import type { VersionRecord } from "../model";
import { failureOf, type SweepAdoption, type SweepFailure } from "../sweep-results";
import { versionTags } from "../tags/tagging";
import { type AccountView, regionalKey } from "./account-view";
import { stepsInFlight } from "./execute";
import type { SweepDependencies } from "./run-sweep";

export type { SweepAdoption } from "../sweep-results";

/** The sweep's adoption plan: per adopting family, what it would create (applied family by family). */
export interface SweepAdoptionPlan {
  adoptions: Map<string, SweepAdoption>;
  failures: SweepFailure[];
}

/**
 * Plans the sweep's adoption: for the swept families whose config says `adopt: true`, from the sweep's
 * own listing of EC2 and the registry of every family (an image another family holds, or that two
 * families match, is never adopted). Planned once for every family, so conflicts between families are
 * seen; applied per family by `adoptFamilyInSweep`. A failure is recorded and the sweep goes on.
 */
export async function planSweepAdoption(
  deps: SweepDependencies,
  families: readonly FamilyConfig[],
  view: AccountView,
): Promise<SweepAdoptionPlan> {
  const adoptions = new Map<string, SweepAdoption>();
  const failures: SweepFailure[] = [];
  const adopting = families.filter((family) => family.adopt);
  if (adopting.length === 0) return { adoptions, failures };
  try {
    const versions = (
      await Promise.all(deps.config.families.map((family) => deps.registry.listVersions(family.name)))
    ).flat();
    const plan = planAdoption({
      config: deps.config,
      images: view.images,
      versions,
      families: adopting.map((family) => family.name),
    });
    for (const familyPlan of plan.families)
      adoptions.set(familyPlan.family, { plan: familyPlan, adopted: [], imageIds: [] });
  } catch (error) {
    failures.push(failureOf("adopt", error));
  }
  return { adoptions, failures };
}

/**
 * Applies one family's planned adoption (enforce mode only), just before the family's own retention, so
 * one family's tagging overlaps another's retirement. A failure is the family's: its images not known
 * tagged stay unmanaged in this sweep's view, and the next sweep resumes the adoption.
 */
export async function adoptFamilyInSweep(
  deps: SweepDependencies,
  adoption: SweepAdoption,
): Promise<SweepFailure[]> {
  if (deps.config.mode !== "enforce") return [];
  const plan: AdoptionPlan = { families: [adoption.plan], conflicts: [] };
  try {
    // A whole family's tags at once, like a retirement pass (stepsInFlight): the pacer serves them in
    // arrival order, so this family is tagged and retiring while the next one's tags wait their tokens.
    for (const outcome of await applyAdoption(deps, plan, { tagsInFlight: stepsInFlight })) {
      adoption.adopted = [...new Set(outcome.images.map((image) => image.version))].sort((a, b) => a - b);
      adoption.imageIds = outcome.images.map((image) => image.imageId);
    }
    return [];
  } catch (error) {
    return [failureOf("adopt", error, { family: adoption.plan.family })];
  }
}

/**
 * Brings the sweep's view up to date with the tags adoption wrote: only the images whose CreateTags EC2
 * answered (`adoption.imageIds`), with the tags of the version the registry recorded for them. The plan
 * then sees them as the version's images, as the next sweep's listing would, and retires an adopted
 * version in the same sweep when (and only when) retention says so. The snapshot listing is left as it
 * was: a snapshot the listing did not show as managed is never deleted as a leftover in this sweep.
 */
export function markAdoptedInView(
  view: AccountView,
  versions: readonly VersionRecord[],
  adoption: SweepAdoption,
): void {
  if (adoption.imageIds.length === 0) return;
  const tagged = new Set(adoption.imageIds);
  const byKey = new Map(view.images.map((image) => [regionalKey(image.region, image.imageId), image]));
  for (const version of versions) {
    for (const [region, record] of Object.entries(version.regions)) {
      if (!record.imageId || !tagged.has(record.imageId)) continue;
      const image = byKey.get(regionalKey(region, record.imageId));
      if (!image) continue;
      image.tags = { ...image.tags, ...versionTags(version, version.createdBy) };
    }
  }
}
