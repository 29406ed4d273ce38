import type { FamilyConfig } from "../config";
import { latestChannel } from "../config-limits";
import type { ReactionDependencies } from "../dependencies";
import type { ImageRecord, RegionImageRecord, VersionRecord } from "../model";
import type { ImagePointers, VersionCatalog, VersionRecorder } from "../ports";
import { LifecycleTag, managedTagValue } from "../tags";
import type { PointerMove } from "./latest";
import { pointerName } from "./names";
import { markPointerProtection } from "./protection-marker";

/**
 * What protecting after pointer moves needs: the protection calls, the EC2 reads that check an image
 * still carries the managed tag the grant is conditioned on, and the pointers that may still name it.
 */
export type ProtectionDependencies = Pick<
  ReactionDependencies,
  "config" | "protection" | "images" | "clock" | "log"
> & {
  registry: VersionCatalog & Pick<VersionRecorder, "putRegionImage">;
  pointers: ImagePointers;
};

/**
 * The images the family's pointers (latest and every pinned channel) name in one region. `latest`: what
 * the latest pointer names, when the caller just wrote it (no read of it then). The pointers are read at
 * once: a family has few channels, and each read is a round trip the pointer move waits on.
 */
export async function pointedImages(
  pointers: ImagePointers,
  namePattern: string,
  family: FamilyConfig,
  region: string,
  known: { latest?: string } = {},
): Promise<Set<string>> {
  const channels = known.latest ? family.channels : [latestChannel, ...family.channels];
  const held = await Promise.all(
    channels.map((channel) => pointers.getPointer(region, pointerName(namePattern, family.name, channel))),
  );
  const pointed = new Set<string>(known.latest ? [known.latest] : []);
  for (const imageId of held) if (imageId) pointed.add(imageId);
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
  if (moves.length === 0) return;
  const withCooldown = deps.config.pointers.protectionCooldown;
  for (const move of moves) {
    // The pointer moved already; a protection call that fails is logged, not retried here: the sweep
    // re-asserts protection in both directions before it plans.
    try {
      await protectMoveTarget(deps, family, move, withCooldown);
      await liftMoveLeft(deps, family, move);
    } catch (error) {
      warnProtectionNotUpdated(deps, family, move, error);
    }
  }
}

/** Protects the image a pointer moved to, when the registry records it as the family's (lookups by image id). */
export async function protectMoveTarget(
  deps: ProtectionDependencies,
  family: FamilyConfig,
  move: PointerMove,
  withCooldown: boolean,
): Promise<void> {
  const target = await recordedInFamily(deps, family, move.region, move.imageId);
  if (target) await protectForPointer(deps, target, withCooldown);
}

/**
 * Lifts the service's protection of the image a pointer left, unless another pointer of the family still
 * names it there, when the registry records it as the family's (lookups by image id).
 */
export async function liftMoveLeft(
  deps: ProtectionDependencies,
  family: FamilyConfig,
  move: PointerMove,
): Promise<void> {
  const previous = await leftUnpointed(deps, family, move);
  if (!previous) return;
  const left = await recordedInFamily(deps, family, move.region, previous);
  if (left) await liftPointerProtection(deps, left);
}

/**
 * The image a pointer move left, when no pointer of the family names it in the region any more (`known`:
 * what the latest pointer names, when the caller just wrote it; see pointedImages).
 */
export async function leftUnpointed(
  deps: Pick<ProtectionDependencies, "config" | "pointers">,
  family: FamilyConfig,
  move: PointerMove,
  known: { latest?: string } = {},
): Promise<string | undefined> {
  const left = move.previousImageId;
  if (!left || left === move.imageId) return undefined;
  const { namePattern } = deps.config.pointers;
  const pointed = await pointedImages(deps.pointers, namePattern, family, move.region, known);
  return pointed.has(left) ? undefined : left;
}

/** A protection call after a pointer move failed: logged, the sweep re-asserts protection in both directions. */
export function warnProtectionNotUpdated(
  deps: Pick<ProtectionDependencies, "log">,
  family: FamilyConfig,
  move: PointerMove,
  error: unknown,
): void {
  deps.log.warn("deregistration protection not updated after a pointer move", {
    family: family.name,
    region: move.region,
    imageId: move.imageId,
    error: error instanceof Error ? error.message : String(error),
  });
}

/**
 * True when the service should protect an image a pointer names (`record`: the registry's record of it):
 * not enabled yet, and either the service's own (recorded) or not protected by anyone (a protection
 * cooling down after a lift counts as none). A protection someone else set is left as it is.
 */
export function protectionWanted(record: RegionImageRecord | undefined, image: ImageRecord): boolean {
  if (protectionEnabled(image)) return false;
  return (
    protectedByService(record) ||
    !image.deregistrationProtection ||
    image.deregistrationProtectionSetting === "cooling-down"
  );
}

/** True when the registry's record says the service protects the image for a pointer (see markPointerProtection). */
export function protectedByService(record: RegionImageRecord | undefined): boolean {
  return record?.pointerProtectedAt !== undefined;
}

/** True when EC2 says the image carries the managed tag the IAM grant of the protection calls is conditioned on. */
export function carriesManagedTag(image: ImageRecord | undefined): image is ImageRecord {
  return image?.tags[LifecycleTag.managed] === managedTagValue;
}

/** True when EC2 enforces a protection set now (with or without cooldown), not one cooling down after a lift. */
function protectionEnabled(image: ImageRecord): boolean {
  return image.deregistrationProtectionSetting?.startsWith("enabled") === true;
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
  if (!protectionWanted(version.regions[region], image)) return false;
  const now = deps.clock.now();
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
  if (!protectedByService(version.regions[region])) return false;
  const enabled = await disableWhenEnabled(deps, region, image);
  await markPointerProtection(deps.registry, version, region, image.imageId, undefined, deps.clock.now());
  return enabled;
}

/**
 * EC2's half of lifting the service's protection, the record's to be cleared after it. An image no longer
 * protected (lifted by an attempt that died before clearing the record) needs no call. True when it lifted one.
 */
export async function disableWhenEnabled(
  deps: Pick<ProtectionDependencies, "protection">,
  region: string,
  image: ImageRecord,
): Promise<boolean> {
  if (!protectionEnabled(image)) return false;
  await deps.protection.disableProtection(region, image.imageId);
  return true;
}

/** The image as EC2 describes it, when it still carries the managed tag (see carriesManagedTag). */
export async function describedManaged(
  deps: Pick<ProtectionDependencies, "images">,
  region: string,
  imageId: string,
): Promise<ImageRecord | undefined> {
  const image = await deps.images.describeImage(region, imageId);
  return carriesManagedTag(image) ? image : undefined;
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
  const image = await describedManaged(deps, region, imageId);
  if (!image) return undefined;
  const version = await deps.registry.getVersion(family.name, location.version);
  if (version?.regions[region]?.imageId !== imageId) return undefined;
  return { version, region, image };
}
