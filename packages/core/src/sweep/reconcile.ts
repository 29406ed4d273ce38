import { adoptionCreator } from "../adoption/plan-adoption";
import type { FamilyConfig } from "../config";
import { copyDestinations, nextCopyAttempt, startCopies } from "../copies/start-copies";
import type { ImageRecord, RegionImageRecord, VersionRecord } from "../model";
import type { ReactionDependencies } from "../reactions/dependencies";
import { reconcileImage } from "../reactions/reconcile-image";
import { hasManagedTag, LifecycleTag } from "../tags/lifecycle-tags";
import { regionStateOf } from "../versions/region-records";
import { type AccountView, regionalKey } from "./account-view";
import { failureOf, type Reconciliation, type SweepFailure } from "./report";

/** A copy the registry records as pending but EC2 does not list yet is given this long before it counts as missing. */
export const pendingGraceMs = 6 * 3_600_000;

/** What reconciling one family's registry with EC2 did. */
export interface RegistryReconciliation {
  reconciled: Reconciliation[];
  failures: SweepFailure[];
}

/**
 * Repairs what missed events left behind, from the sweep's view of EC2: managed images of the family the
 * registry does not know, and registered images whose EC2 state moved on, go through the event reaction
 * (`reconcileImage`, the same code an event would have run); registered images EC2 no longer lists are
 * marked `deregistered` when the service retired them, `missing` otherwise.
 */
export async function reconcileRegistry(
  deps: ReactionDependencies,
  family: FamilyConfig,
  versions: readonly VersionRecord[],
  view: AccountView,
  now: Date,
): Promise<RegistryReconciliation> {
  const result: RegistryReconciliation = { reconciled: [], failures: [] };
  const registered = new Set<string>();
  for (const version of versions) {
    for (const record of Object.values(version.regions)) if (record.imageId) registered.add(record.imageId);
  }
  const byKey = new Map(view.images.map((image) => [regionalKey(image.region, image.imageId), image]));

  for (const image of view.images) {
    if (!isUnregisteredManaged(image, family, registered)) continue;
    await reconcileOne(deps, result, family.name, "registered", image.region, image.imageId);
  }
  for (const version of versions) {
    for (const record of Object.values(version.regions)) {
      if (!record.imageId) continue;
      const image = byKey.get(regionalKey(record.region, record.imageId));
      if (image) {
        if (regionStateOf(image.state) !== record.state || snapshotsUnrecorded(image, record))
          await reconcileOne(
            deps,
            result,
            family.name,
            "resynced",
            record.region,
            record.imageId,
            version.version,
          );
      } else if (hasVanished(record, now)) {
        await markGone(deps, result, family, version, record, now);
      }
    }
  }
  return result;
}

/**
 * (Re)starts the copies an active, kept version still needs: waiting for quota, failed with attempts
 * left, or never started. Versions on their way out are not copied any more.
 */
export async function restartCopies(
  deps: ReactionDependencies,
  family: FamilyConfig,
  versions: readonly VersionRecord[],
  retiring: ReadonlySet<number>,
): Promise<RegistryReconciliation> {
  const result: RegistryReconciliation = { reconciled: [], failures: [] };
  for (const version of versions) {
    if (version.stage !== "active" || version.withdrawn || retiring.has(version.version)) continue;
    if (version.regions[version.sourceRegion]?.state !== "available") continue;
    if (copiesNotRequested(family, version)) continue;
    const needsCopy = copyDestinations(family, version).some(
      (destination) =>
        nextCopyAttempt(version.regions[destination.region], family.maxCopyAttempts) !== undefined,
    );
    if (!needsCopy) continue;
    try {
      for (const action of await startCopies(deps, family, version)) {
        // A copy EC2 refused again started nothing; its copy-failed went out the first time.
        if (action.startsWith("copy-refused:") || action.startsWith("notified:")) continue;
        const [, region = "", imageId] = action.split(":");
        result.reconciled.push({
          kind: "copy-started",
          region,
          version: version.version,
          ...(imageId ? { imageId } : {}),
          detail: action,
        });
      }
    } catch (error) {
      result.failures.push(
        failureOf("restart-copies", error, { family: family.name, version: version.version }),
      );
    }
  }
  return result;
}

/**
 * An adopted version is copied only when someone asks (`adopt --copy`): until one of its copies was
 * started, the sweep starts none (the copies adoption found in other regions were never started by it).
 */
function copiesNotRequested(family: FamilyConfig, version: VersionRecord): boolean {
  if (version.createdBy !== adoptionCreator) return false;
  return !copyDestinations(family, version).some(
    (destination) => (version.regions[destination.region]?.copyAttempts ?? 0) > 0,
  );
}

/** A managed image tagged for the family that no version of the registry holds. */
function isUnregisteredManaged(image: ImageRecord, family: FamilyConfig, registered: ReadonlySet<string>) {
  return (
    hasManagedTag(image.tags) &&
    image.tags[LifecycleTag.family] === family.name &&
    image.state !== "deregistered" &&
    !registered.has(image.imageId)
  );
}

/**
 * A settled image whose snapshot ids (EC2's block device mappings) the registry lacks: records written
 * before they were kept, or a missed event. Only recorded ids may ever be deleted as orphans.
 */
function snapshotsUnrecorded(image: ImageRecord, record: RegionImageRecord): boolean {
  if (image.state === "pending" || image.state === "transient") return false;
  const listed = image.snapshots.map((snapshot) => snapshot.snapshotId).sort();
  return listed.join(",") !== [...record.snapshotIds].sort().join(",");
}

/** A registered image EC2 does not list, past the grace a just-started copy gets to appear. */
function hasVanished(record: RegionImageRecord, now: Date): boolean {
  // A recoverable image is not listed either: the bin holds it, and confirmGoneFromBin decides when it is gone.
  if (["deregistered", "recoverable", "missing", "failed"].includes(record.state)) return false;
  if (record.state === "pending" || record.state === "copy-waiting") {
    const updatedAt = Date.parse(record.updatedAt);
    return !Number.isNaN(updatedAt) && now.getTime() - updatedAt >= pendingGraceMs;
  }
  return true;
}

async function reconcileOne(
  deps: ReactionDependencies,
  result: RegistryReconciliation,
  family: string,
  kind: "registered" | "resynced",
  region: string,
  imageId: string,
  version?: number,
): Promise<void> {
  try {
    const outcome = await reconcileImage(deps, region, imageId);
    if (outcome.outcome === "recorded") {
      result.reconciled.push({
        kind,
        region,
        imageId,
        version: outcome.version,
        detail: outcome.actions.join(", "),
      });
    } else {
      deps.log.debug("sweep left an image to the events", { region, imageId, reason: outcome.reason });
    }
  } catch (error) {
    result.failures.push(
      failureOf(`reconcile-${kind}`, error, {
        family,
        region,
        resourceId: imageId,
        ...(version ? { version } : {}),
      }),
    );
  }
}

async function markGone(
  deps: ReactionDependencies,
  result: RegistryReconciliation,
  family: FamilyConfig,
  version: VersionRecord,
  record: RegionImageRecord,
  now: Date,
): Promise<void> {
  const state = record.retiredBy === "service" ? "deregistered" : "missing";
  try {
    await deps.registry.putRegionImage(
      family.name,
      version.version,
      { ...record, state, updatedAt: now.toISOString() },
      { expectImageId: record.imageId ?? null },
    );
    result.reconciled.push({
      kind: state === "deregistered" ? "marked-deregistered" : "marked-missing",
      region: record.region,
      version: version.version,
      ...(record.imageId ? { imageId: record.imageId } : {}),
    });
  } catch (error) {
    result.failures.push(
      failureOf("mark-gone", error, {
        family: family.name,
        version: version.version,
        region: record.region,
        ...(record.imageId ? { resourceId: record.imageId } : {}),
      }),
    );
  }
}
