import type { CopyDependencies } from "../copies/copy-dependencies";
import { startCopies } from "../copies/start-copies";
import type { Effect } from "../effects";
import type { FamilyAdoptionOutcome } from "./apply-adoption";

/** A copy `adopt --copy` started (or queued), as `startCopies` reports it. */
export interface AdoptedCopyAction {
  family: string;
  version: number;
  effect: Effect;
}

/**
 * `adopt --copy`: starts, for every version adoption touched, the copies its family's `copyTo` is missing,
 * through the same path as events (`startCopies`: deterministic client token, encrypted, quota queueing,
 * refusals recorded). From then on the sweep restarts them like any other version's copies.
 */
export async function copyAdoptedVersions(
  deps: CopyDependencies,
  outcomes: readonly FamilyAdoptionOutcome[],
): Promise<AdoptedCopyAction[]> {
  const actions: AdoptedCopyAction[] = [];
  for (const outcome of outcomes) {
    const family = deps.config.families.find((candidate) => candidate.name === outcome.family);
    if (!family || family.copyTo.length === 0) continue;
    for (const number of new Set(outcome.images.map((image) => image.version))) {
      const version = await deps.registry.getVersion(family.name, number);
      if (!version) continue;
      for (const effect of await startCopies(deps, family, version))
        actions.push({ family: family.name, version: number, effect });
    }
  }
  return actions;
}
