import type { FamilyConfig } from "../config";
import { latestChannel } from "../config";
import type { ImagePointers } from "../ports";
import type { ReactionDependencies } from "../reactions/dependencies";
import type { PointerMove } from "./latest";
import { pointerName } from "./names";

/** What protecting after pointer moves needs. */
export type ProtectionDependencies = Pick<ReactionDependencies, "config" | "registry" | "protection"> & {
  pointers?: ImagePointers;
};

/** The images the family's pointers (latest and every pinned channel) name in one region. */
export async function pointedImages(
  pointers: ImagePointers,
  namePattern: string,
  family: FamilyConfig,
  region: string,
): Promise<Set<string>> {
  const pointed = new Set<string>();
  for (const channel of [latestChannel, ...family.channels]) {
    const imageId = await pointers.getPointer(region, pointerName(namePattern, family.name, channel));
    if (imageId) pointed.add(imageId);
  }
  return pointed;
}

/**
 * After pointers moved (an `available` event, rollback, promote, the sweep's re-assertion): protects each
 * new target from deregistration and lifts the protection of each image a pointer left, unless another
 * pointer of the family still names it there. Only images the registry records as the family's are
 * touched (a pointer set by hand to a foreign image is not the service's to protect). Idempotent: a retry
 * enables and disables the same images again.
 */
export async function protectAfterMoves(
  deps: ProtectionDependencies,
  family: FamilyConfig,
  moves: readonly PointerMove[],
): Promise<void> {
  const { protection, pointers } = deps;
  if (!protection || !pointers || moves.length === 0) return;
  const withCooldown = deps.config.pointers.protectionCooldown;
  for (const move of moves) {
    if (await recordedInFamily(deps, family, move.imageId))
      await protection.enableProtection(move.region, move.imageId, withCooldown);
    const previous = move.previousImageId;
    if (!previous || previous === move.imageId) continue;
    const pointed = await pointedImages(pointers, deps.config.pointers.namePattern, family, move.region);
    if (pointed.has(previous) || !(await recordedInFamily(deps, family, previous))) continue;
    await protection.disableProtection(move.region, previous);
  }
}

async function recordedInFamily(
  deps: ProtectionDependencies,
  family: FamilyConfig,
  imageId: string,
): Promise<boolean> {
  const location = await deps.registry.findByImageId(imageId);
  return location?.family === family.name;
}
