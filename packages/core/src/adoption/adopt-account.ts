import type { ImageRecord } from "../model";
import { type AdoptionDependencies, applyAdoption, type FamilyAdoptionOutcome } from "./apply-adoption";
import { type AdoptionPlan, planAdoption } from "./plan-adoption";

/** Options of `adoptAccount`. */
export interface AdoptAccountOptions {
  /** only these families (default: every configured family) */
  families?: readonly string[];
  /** only versions with an image in this region */
  region?: string;
  /** false (the default) only plans */
  apply?: boolean;
}

/** The plan, and what applying it did (absent when only planned). */
export interface AdoptAccountResult {
  plan: AdoptionPlan;
  applied?: FamilyAdoptionOutcome[];
}

/**
 * Adopts the account's existing images: lists every owned image of the managed regions (one listing per
 * region: lineage and two-family matches need all of them) and the registry's versions, plans, and with
 * `apply` carries the plan out. Re-running after a kill plans only what is left.
 */
export async function adoptAccount(
  deps: AdoptionDependencies,
  options: AdoptAccountOptions = {},
): Promise<AdoptAccountResult> {
  const listings = await Promise.all(
    deps.config.regions.map((region) => deps.images.listOwnedImages(region)),
  );
  const images: ImageRecord[] = listings.flat();
  const versions = (
    await Promise.all(deps.config.families.map((family) => deps.registry.listVersions(family.name)))
  ).flat();
  const plan = planAdoption({
    config: deps.config,
    images,
    versions,
    ...(options.families ? { families: options.families } : {}),
    ...(options.region ? { region: options.region } : {}),
  });
  if (!options.apply) return { plan };
  return { plan, applied: await applyAdoption(deps, plan) };
}
