import type { FamilyConfig } from "../config";
import type { Effect } from "../effects";
import type { ImageRecord, RegionImageRecord, VersionRecord } from "../model";
import type { RegionWriteOptions } from "../ports";
import { assertLatestPointer, availableIn, type PointerMove } from "./latest";
import type { LatestPointerDependencies } from "./latest-dependencies";
import { latestPointerName } from "./names";
import {
  carriesManagedTag,
  describedManaged,
  disableWhenEnabled,
  leftUnpointed,
  liftMoveLeft,
  protectedByService,
  protectionWanted,
  protectMoveTarget,
  warnProtectionNotUpdated,
} from "./protect-pointed";
import { markPointerProtection } from "./protection-marker";

/** What moving `latest` for an event needs: the pointer ports and the protection of what they name. */
export type PublishLatestDependencies = LatestPointerDependencies;

/**
 * Versions read past the one `latest` should name, at most, to find the version whose image the pointer
 * leaves (usually the next one, in the same Query page): its record decides the protection lift.
 */
const leftVersionLookahead = 2;

/**
 * What moving `latest` decided before the reaction's region write, so that one write records the region
 * and the pointer protection: the reaction's own record carries the service's marker (written BEFORE EC2
 * enables it), and the left image's marker is cleared in the same transaction (AFTER EC2 lifted it).
 */
export interface LatestDecision {
  region: string;
  move?: PointerMove;
  /** the marker the reaction's own region record carries: `latest` names its image, the service protects it */
  protectOwnAt?: string;
  /** the left image whose protection the service lifted (or found lifted); its marker is cleared with the write */
  lifted?: { version: VersionRecord; imageId: string };
  /** the target is not the reaction's own image: protected after the write, with its registry lookups */
  protectTargetLater?: boolean;
  /** the left image's version was not among those read: lifted after the write, with its registry lookups */
  liftLeftLater?: boolean;
}

/**
 * Moves the family's `latest` pointer of the region to the newest available, non-withdrawn version, now
 * that `version` changed there (a standalone move: its protection markers are their own writes).
 */
export async function publishLatest(
  deps: PublishLatestDependencies,
  family: FamilyConfig,
  version: VersionRecord,
  region: string,
): Promise<Effect[]> {
  const imageId = version.regions[region]?.imageId;
  const own = imageId ? await deps.images.describeImage(region, imageId) : undefined;
  const decision = await moveLatest(deps, family, version, region, own);
  return finishLatest(deps, family, version, decision, false);
}

/**
 * The pointer step before the reaction's region write. `version` is the version as the reaction is about
 * to record it (it replaces the registry's copy, so the decision never misses the write that triggered
 * it); `own`: the reaction's image as EC2 described it, with the tags the reaction wrote.
 *
 * Reads the family newest first and stops at the first version that can be `latest` there: every
 * version newer than it is read too (one of them may be what the pointer holds, see assertLatestPointer),
 * and, with protection, on to the version the pointer holds now (at most two more); older ones cannot
 * change the decision, so a family's retired versions are never read. The image the pointer leaves loses
 * the service's protection here (EC2 first; its marker goes with the write, see LatestDecision).
 */
export async function moveLatest(
  deps: PublishLatestDependencies,
  family: FamilyConfig,
  version: VersionRecord,
  region: string,
  own: ImageRecord | undefined,
): Promise<LatestDecision> {
  const { namePattern } = deps.config.pointers;
  const held = await deps.pointers.getPointer(region, latestPointerName(namePattern, family.name));
  const versions = await newestVersionsFor(deps, family, version, region, held);
  const move = await assertLatestPointer(deps.pointers, namePattern, family.name, versions, region, {
    imageId: held,
  });
  const decision: LatestDecision = { region, ...(move ? { move } : {}) };
  const target = move?.imageId ?? held;
  const ownRecord = version.regions[region];
  if (target && target === ownRecord?.imageId) {
    // Also when the pointer already named it: a retry whose first attempt moved it and died before protecting.
    if (!own) decision.protectTargetLater = move !== undefined;
    else if (carriesManagedTag(own) && protectionWanted(ownRecord, own))
      decision.protectOwnAt = deps.clock.now().toISOString();
  } else if (move) decision.protectTargetLater = true;
  if (move) {
    try {
      await liftLeft(deps, family, version, versions, move, decision);
    } catch (error) {
      warnProtectionNotUpdated(deps, family, move, error);
    }
  }
  return decision;
}

/** The reaction's region record as its write stores it: with the service's marker when it protects it now. */
export function recordWithProtection(
  record: RegionImageRecord,
  decision: LatestDecision | undefined,
): RegionImageRecord {
  if (!decision?.protectOwnAt || record.pointerProtectedAt) return record;
  return { ...record, pointerProtectedAt: decision.protectOwnAt };
}

/** The region write's option that clears the left image's marker in the same transaction. */
export function protectionClearOption(decision: LatestDecision | undefined): RegionWriteOptions {
  const lifted = decision?.lifted;
  return lifted ? { clearProtectionOf: { version: lifted.version.version, imageId: lifted.imageId } } : {};
}

/**
 * The pointer step after the reaction's region write (`written`: that write carried the decision's
 * markers and succeeded; else they are written here, each on its own): EC2 protects the reaction's own
 * image, and images the decision did not read are handled with their registry lookups. Protection
 * calls that fail are logged: the pointer moved already, and the sweep re-asserts protection.
 */
export async function finishLatest(
  deps: PublishLatestDependencies,
  family: FamilyConfig,
  version: VersionRecord,
  decision: LatestDecision,
  written: boolean,
): Promise<Effect[]> {
  const { region, move } = decision;
  const effects: Effect[] = move ? [{ kind: "pointer-moved", region, version: move.version }] : [];
  const { protection } = deps;
  const now = deps.clock.now();
  const withCooldown = deps.config.pointers.protectionCooldown;
  const report = (error: unknown) =>
    warnProtectionNotUpdated(deps, family, move ?? ownMove(deps, family, version, region), error);
  try {
    const ownImageId = version.regions[region]?.imageId;
    if (decision.protectOwnAt && ownImageId) {
      const marked =
        written ||
        (await markPointerProtection(deps.registry, version, region, ownImageId, decision.protectOwnAt, now));
      if (marked) await protection.enableProtection(region, ownImageId, withCooldown);
    }
    if (move && decision.protectTargetLater) await protectMoveTarget(deps, family, move, withCooldown);
  } catch (error) {
    report(error);
  }
  try {
    const { lifted } = decision;
    if (lifted && !written)
      await markPointerProtection(deps.registry, lifted.version, region, lifted.imageId, undefined, now);
    if (move && decision.liftLeftLater) await liftMoveLeft(deps, family, move);
  } catch (error) {
    report(error);
  }
  return effects;
}

/**
 * Lifts the service's protection of the image `latest` left, as liftMoveLeft does, but from the versions
 * read (no registry lookups) and with the marker cleared by the reaction's write (see LatestDecision):
 * the registry's record, not the image's tags, says it is the family's and that the service protected it.
 */
async function liftLeft(
  deps: PublishLatestDependencies,
  family: FamilyConfig,
  version: VersionRecord,
  versions: readonly VersionRecord[],
  move: PointerMove,
  decision: LatestDecision,
): Promise<void> {
  const left = await leftUnpointed(deps, family, move, { latest: move.imageId });
  if (!left) return;
  const holder = versions.find((candidate) => candidate.regions[move.region]?.imageId === left);
  // Not read, or the reaction's own version (its record is the write itself): the lookups after the write.
  if (!holder || holder.version === version.version) {
    decision.liftLeftLater = true;
    return;
  }
  // Checked before EC2 is asked: an image the service never protected needs no read on the event path.
  if (!protectedByService(holder.regions[move.region])) return;
  const image = await describedManaged(deps, move.region, left);
  if (!image) return;
  await disableWhenEnabled(deps, move.region, image);
  decision.lifted = { version: holder, imageId: left };
}

/**
 * The family newest first, as far as the decision needs: to the first version that can be `latest` in
 * the region, then (when `held` is given) on to the one whose image the pointer holds, at most
 * leftVersionLookahead more.
 */
async function newestVersionsFor(
  deps: PublishLatestDependencies,
  family: FamilyConfig,
  version: VersionRecord,
  region: string,
  held: string | undefined,
): Promise<VersionRecord[]> {
  const versions: VersionRecord[] = [];
  let latestFound = false;
  let beyond = 0;
  for await (const stored of deps.registry.newestVersions(family.name)) {
    const candidate = stored.version === version.version ? recorded(version, stored) : stored;
    versions.push(candidate);
    if (latestFound) beyond++;
    else latestFound = !candidate.withdrawn && availableIn(candidate, region);
    if (!latestFound) continue;
    if (held === undefined || beyond >= leftVersionLookahead) break;
    if (versions.some((read) => read.regions[region]?.imageId === held)) break;
  }
  // Stopped before reaching it (a newer version is latest) or not stored yet: the reaction's own view counts.
  if (!versions.some((candidate) => candidate.version === version.version)) versions.push(version);
  return versions;
}

/** A move naming the reaction's own image, for the log line of a protection that failed without a move. */
function ownMove(
  deps: PublishLatestDependencies,
  family: FamilyConfig,
  version: VersionRecord,
  region: string,
): PointerMove {
  return {
    region,
    name: latestPointerName(deps.config.pointers.namePattern, family.name),
    version: version.version,
    imageId: version.regions[region]?.imageId ?? "",
  };
}

/** The reaction's version with the stored `withdrawn` flag: a rollback may have withdrawn it since this reaction read it. */
function recorded(version: VersionRecord, stored: VersionRecord): VersionRecord {
  return { ...version, withdrawn: Boolean(stored.withdrawn || version.withdrawn) };
}
