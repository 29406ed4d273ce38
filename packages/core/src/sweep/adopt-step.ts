import { applyAdoption } from "../adoption/apply-adoption";
import { type FamilyAdoptionPlan, planAdoption } from "../adoption/plan-adoption";
import type { FamilyConfig } from "../config";
import type { AccountView } from "./account-view";
import { failureOf, type SweepFailure } from "./report";
import type { SweepDependencies } from "./run-sweep";

/** What the sweep's adoption step did for one family with `adopt: true`. */
export interface SweepAdoption {
  /** the versions the plan creates and the copies it joins (dry-run: only this) */
  plan: FamilyAdoptionPlan;
  /** enforce: the versions adoption created or completed */
  adopted: number[];
  /** enforce: the images it tagged (the sweep does not re-tag them from its older listing) */
  imageIds: string[];
}

/**
 * The sweep's adoption: for the swept families whose config says `adopt: true`, plans adoption from the
 * sweep's own listing of EC2 and the registry of every family (an image another family holds, or that
 * two families match, is never adopted); applies it only in `enforce` mode, before retention plans. The
 * sweep's listing predates the new tags, so this sweep keeps adopted versions (not-managed) and the next
 * one plans them like any other. A failure is recorded and the sweep goes on.
 */
export async function adoptInSweep(
  deps: SweepDependencies,
  families: readonly FamilyConfig[],
  view: AccountView,
): Promise<{ adoptions: Map<string, SweepAdoption>; failures: SweepFailure[] }> {
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
    if (deps.config.mode !== "enforce") return { adoptions, failures };
    for (const outcome of await applyAdoption(deps, plan, { familiesAtOnce: 16 })) {
      const adoption = adoptions.get(outcome.family);
      if (!adoption) continue;
      adoption.adopted = [...new Set(outcome.images.map((image) => image.version))].sort((a, b) => a - b);
      adoption.imageIds = outcome.images.map((image) => image.imageId);
    }
  } catch (error) {
    failures.push(failureOf("adopt", error));
  }
  return { adoptions, failures };
}
