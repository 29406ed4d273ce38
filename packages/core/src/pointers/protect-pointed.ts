import type { FamilyConfig } from "../config";
import { latestChannel } from "../config";
import type { ImagePointers } from "../ports";
import type { ReactionDependencies } from "../reactions/dependencies";
import { LifecycleTag, managedTagValue } from "../tags";
import type { PointerMove } from "./latest";
import { pointerName } from "./names";

/** What protecting after pointer moves needs. */
export type ProtectionDependencies = Pick<
  ReactionDependencies,
  "config" | "registry" | "protection" | "log"
> &
  Partial<Pick<ReactionDependencies, "images">> & {
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
    // The pointer moved already; a protection call that fails is logged, not retried here: the sweep
    // re-asserts protection in both directions before it plans.
    try {
      if (await recordedInFamily(deps, family, move.region, move.imageId))
        await protection.enableProtection(move.region, move.imageId, withCooldown);
      const previous = move.previousImageId;
      if (!previous || previous === move.imageId) continue;
      const pointed = await pointedImages(pointers, deps.config.pointers.namePattern, family, move.region);
      if (pointed.has(previous) || !(await recordedInFamily(deps, family, move.region, previous))) continue;
      await protection.disableProtection(move.region, previous);
    } catch (error) {
      deps.log.warn("deregistration protection not updated after a pointer move", {
        family: family.name,
        region: move.region,
        imageId: move.imageId,
        error: error instanceof Error ? error.message : String(error),
      });
    }
  }
}

/**
 * The registry records the image as the family's and it still carries the managed tag the IAM grant is
 * conditioned on (removed tags are put back by the sweep, which then re-asserts protection).
 */
async function recordedInFamily(
  deps: ProtectionDependencies,
  family: FamilyConfig,
  region: string,
  imageId: string,
): Promise<boolean> {
  const location = await deps.registry.findByImageId(imageId);
  if (location?.family !== family.name) return false;
  // Without EC2 reads the managed tag cannot be checked: leave it to the sweep.
  const image = await deps.images?.describeImage(region, imageId);
  return image?.tags[LifecycleTag.managed] === managedTagValue;
}
