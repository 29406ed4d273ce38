import { applyAdoption } from "../adoption/apply-adoption";
import { planAdoption } from "../adoption/plan-adoption";
import type { FamilyConfig } from "../config";
import { failureOf, type SweepAdoption, type SweepFailure } from "../sweep-results";
import type { AccountView } from "./account-view";
import type { SweepDependencies } from "./run-sweep";

export type { SweepAdoption } from "../sweep-results";

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
