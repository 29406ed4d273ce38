import type { FamilyConfig } from "../config";
import { latestChannel } from "../config";
import type { ReactionDependencies } from "../dependencies";
import type { ImageRecord, VersionRecord } from "../model";
import type { ImagePointers, VersionCatalog, VersionRecorder } from "../ports";
import { LifecycleTag, managedTagValue } from "../tags";
import type { PointerMove } from "./latest";
import { pointerName } from "./names";
import { markPointerProtection } from "./protection-marker";

/**
 * What protecting after pointer moves needs: the protection calls, the EC2 reads that check an image
 * still carries the managed tag the grant is conditioned on, and the pointers that may still name it.
 */
export type ProtectionDependencies = Pick<ReactionDependencies, "config" | "protection" | "images"> &
  Partial<Pick<ReactionDependencies, "clock" | "log">> & {
    registry: VersionCatalog & Pick<VersionRecorder, "putRegionImage">;
    pointers: ImagePointers;
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
 * touched (a pointer set by hand to a foreign image is not the service's to protect), and only a
 * protection the registry records the service set is lifted (one a person set keeps its version).
 * Idempotent: a retry enables and disables the same images again.
 */
export async function protectAfterMoves(
  deps: ProtectionDependencies,
  family: FamilyConfig,
  moves: readonly PointerMove[],
): Promise<void> {
  const { pointers } = deps;
  if (moves.length === 0) return;
  const withCooldown = deps.config.pointers.protectionCooldown;
  for (const move of moves) {
    // The pointer moved already; a protection call that fails is logged, not retried here: the sweep
    // re-asserts protection in both directions before it plans.
    try {
      const target = await recordedInFamily(deps, family, move.region, move.imageId);
      if (target) await protectForPointer(deps, target, withCooldown);
      const previous = move.previousImageId;
      if (!previous || previous === move.imageId) continue;
      const pointed = await pointedImages(pointers, deps.config.pointers.namePattern, family, move.region);
      if (pointed.has(previous)) continue;
      const left = await recordedInFamily(deps, family, move.region, previous);
      if (left) await liftPointerProtection(deps, left);
    } catch (error) {
      deps.log?.warn("deregistration protection not updated after a pointer move", {
        family: family.name,
        region: move.region,
        imageId: move.imageId,
        error: error instanceof Error ? error.message : String(error),
      });
    }
  }
}

/** A recorded image of the family as EC2 and the registry both see it. */
export interface RecordedImage {
  version: VersionRecord;
  region: string;
  image: ImageRecord;
}

/**
 * Protects an image a pointer names: the registry records it first (see markPointerProtection), then EC2
 * enables it. An image EC2 already protects without that record was protected by someone else: left as
 * it is and never claimed, so the service never lifts it. True when the service enabled it now.
 */
export async function protectForPointer(
  deps: ProtectionDependencies,
  { version, region, image }: RecordedImage,
  withCooldown: boolean,
): Promise<boolean> {
  const ours = version.regions[region]?.pointerProtectedAt !== undefined;
  const enabled = image.deregistrationProtectionSetting?.startsWith("enabled") === true;
  if (enabled) return false;
  if (!ours && image.deregistrationProtection && image.deregistrationProtectionSetting !== "cooling-down")
    return false;
  const now = nowOf(deps);
  if (!(await markPointerProtection(deps.registry, version, region, image.imageId, now.toISOString(), now)))
    return false;
  await deps.protection.enableProtection(region, image.imageId, withCooldown);
  return true;
}

/**
 * Lifts the protection the service set for a pointer that no longer names the image (EC2 first, then the
 * record is cleared). A protection without the record is someone else's: left. True when it lifted one.
 */
export async function liftPointerProtection(
  deps: ProtectionDependencies,
  { version, region, image }: RecordedImage,
): Promise<boolean> {
  if (version.regions[region]?.pointerProtectedAt === undefined) return false;
  const enabled = image.deregistrationProtectionSetting?.startsWith("enabled") === true;
  // Not enabled any more (lifted by an attempt that died before clearing the record): only the record is cleared.
  if (enabled) await deps.protection.disableProtection(region, image.imageId);
  await markPointerProtection(deps.registry, version, region, image.imageId, undefined, nowOf(deps));
  return enabled;
}

function nowOf(deps: ProtectionDependencies): Date {
  return deps.clock?.now() ?? new Date();
}

/**
 * The family's recorded image, when the registry records it as the family's and it still carries the
 * managed tag the IAM grant is conditioned on (removed tags are put back by the sweep, which then
 * re-asserts protection).
 */
async function recordedInFamily(
  deps: ProtectionDependencies,
  family: FamilyConfig,
  region: string,
  imageId: string,
): Promise<RecordedImage | undefined> {
  const location = await deps.registry.findByImageId(imageId);
  if (location?.family !== family.name) return undefined;
  const image = await deps.images.describeImage(region, imageId);
  if (image?.tags[LifecycleTag.managed] !== managedTagValue) return undefined;
  const version = await deps.registry.getVersion(family.name, location.version);
  if (version?.regions[region]?.imageId !== imageId) return undefined;
  return { version, region, image };
}
