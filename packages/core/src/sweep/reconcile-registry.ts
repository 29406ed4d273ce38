import type { FamilyConfig } from "../config";
import { effectLabel } from "../effects";
import type { ImageRecord, RegionImageRecord, VersionRecord } from "../model";
import type { EventDependencies } from "../reactions/dependencies";
import { reconcileImage } from "../reactions/reconcile-image";
import { hasManagedTag, LifecycleTag } from "../tags/lifecycle-tags";
import { regionStateOf } from "../versions/region-records";
import { hasVanished, markGone } from "../versions/vanished-records";
import { type AccountView, regionalKey } from "./account-view";
import { failureOf, type RegistryReconciliation } from "./report";

/**
 * Repairs what missed events left behind, from the sweep's view of EC2: managed images of the family the
 * registry does not know, and registered images whose EC2 state moved on, go through the event reaction
 * (`reconcileImage`, the same code an event would have run); registered images EC2 no longer lists are
 * marked `deregistered` when the service retired them, `missing` otherwise.
 */
export async function reconcileRegistry(
  deps: EventDependencies,
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

async function reconcileOne(
  deps: EventDependencies,
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
        detail: outcome.effects.map(effectLabel).join(", "),
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
