import type { FamilyConfig } from "../config";
import { copiedFrom, keyMismatch } from "../copies/copy-lineage";
import { copyDestinations, startCopies, startWaitingCopiesInRegion } from "../copies/start-copies";
import { matchFamily } from "../families";
import type { ImageRecord, RegionImageRecord, VersionRecord } from "../model";
import { notifyOnce, once } from "../notifications/once";
import { versionNotification } from "../notifications/version-messages";
import { publishLatest } from "../pointers/publish-latest";
import type { ImageLocation } from "../ports";
import { shareNewlyAvailable } from "../sharing/sync-sharing";
import { copyTagPlan, tagOptions } from "../tags/tag-plans";
import { ensureTags } from "../tags/tagging";
import { recordLateCreator } from "../versions/late-creator";
import { regionRecordChanged, regionRecordFor } from "../versions/region-records";
import { versionFromTags } from "../versions/version-from-tags";
import type { ReactionDependencies } from "./dependencies";
import type { ReactionOutcome } from "./inputs";

/** What the triggering event adds to what EC2 says. */
export interface ReconcileHint {
  /** principal from CloudTrail (EC2 does not keep it) */
  createdBy?: string;
  /** state the event reported; used when the image is already gone from DescribeImages */
  reportedState?: "available" | "failed" | "deregistered" | "disabled";
  errorMessage?: string;
}

/**
 * Brings the registry, tags, copies and notifications of one image in line with what EC2 says about it
 * now. Events are only triggers: the image itself is the truth, so duplicated, reordered or lost events
 * converge to the same state.
 */
export async function reconcileImage(
  deps: ReactionDependencies,
  region: string,
  imageId: string,
  hint: ReconcileHint = {},
): Promise<ReactionOutcome> {
  const image = await deps.images.describeImage(region, imageId);
  const tagged = image && (await versionFromTags(deps, image));
  if (tagged) return reconcileKnownImage(deps, tagged.location, imageId, image, hint, tagged.version);
  const location = await deps.registry.findByImageId(imageId);
  if (location) return reconcileKnownImage(deps, location, imageId, image, hint);
  if (!image) return ignored(deps, "image not found and not in the registry", { region, imageId });
  return reconcileNewImage(deps, image, hint);
}

async function reconcileNewImage(
  deps: ReactionDependencies,
  image: ImageRecord,
  hint: ReconcileHint,
): Promise<ReactionOutcome> {
  const { config } = deps;
  if (!config.accounts.includes(image.ownerId)) return ignored(deps, "owned by another account", image);
  if (!config.regions.includes(image.region)) return ignored(deps, "region not managed", image);

  // An image copied from another region is a copy, never a new version (Packer's `ami_regions`, a person's CopyImage).
  const copyOf = await copiedFrom(deps.registry, image);
  if (copyOf && "refused" in copyOf) return ignored(deps, copyOf.refused, image);
  if (copyOf) return adoptCopy(deps, copyOf, image, hint);

  const match = matchFamily(image, config);
  if (!match.managed) return ignored(deps, `not managed (${match.reason})`, image);
  if (image.state === "deregistered" || image.state === "disabled") {
    return ignored(deps, `first seen ${image.state}`, image);
  }
  const { version } = await deps.registry.registerVersion({
    family: match.family.name,
    region: image.region,
    imageId: image.imageId,
    name: image.name,
    createdAt: image.creationDate,
    state: regionRecordFor(image, undefined, "source", deps.clock.now()).state,
    // Recorded now, so the first sync finds nothing else to write.
    snapshotIds: image.snapshots.map((snapshot) => snapshot.snapshotId).sort(),
    ...(hint.createdBy ? { createdBy: hint.createdBy } : {}),
  });
  return syncSource(deps, match.family, version, image, hint);
}

/**
 * Records someone else's copy of a managed version when it lands in a configured destination that has
 * none yet and EC2 shows it encrypted with that destination's configured key (it will be shared and
 * pointed to like the service's own copies).
 */
async function adoptCopy(
  deps: ReactionDependencies,
  source: ImageLocation,
  image: ImageRecord,
  hint: ReconcileHint,
): Promise<ReactionOutcome> {
  const family = deps.config.families.find((candidate) => candidate.name === source.family);
  const destination = family?.copyTo.find((candidate) => candidate.region === image.region);
  if (!family || !destination) return ignored(deps, "copy to a region the family does not use", image);
  const version = await deps.registry.getVersion(source.family, source.version);
  if (!version) return ignored(deps, "source version vanished from the registry", image);
  if (version.regions[image.region]?.imageId !== undefined)
    return ignored(deps, "the version already has an image in this region", image);
  const mismatch = keyMismatch(image, destination.kmsKeyId);
  if (mismatch) return ignored(deps, `copy not adopted: ${mismatch}`, image);
  const record = regionRecordFor(image, undefined, "copy", deps.clock.now());
  const adopted = await deps.registry.putRegionImage(family.name, version.version, record, {
    expectImageId: null,
  });
  if (!adopted) return ignored(deps, "the version already has an image in this region", image);
  const updated = withRegion(version, { ...record, copyAttempts: 0 });
  return syncCopy(deps, family, updated, image, hint);
}

async function reconcileKnownImage(
  deps: ReactionDependencies,
  location: ImageLocation,
  imageId: string,
  image: ImageRecord | undefined,
  hint: ReconcileHint,
  knownVersion?: VersionRecord,
): Promise<ReactionOutcome> {
  const family = deps.config.families.find((candidate) => candidate.name === location.family);
  if (!family)
    return ignored(deps, `family ${location.family} is no longer configured`, {
      region: location.region,
      imageId,
    });
  const version = knownVersion ?? (await deps.registry.getVersion(location.family, location.version));
  if (!version) return ignored(deps, "registry lost the version", { region: location.region });
  const recorded = version.regions[location.region];
  if (recorded?.imageId && recorded.imageId !== imageId) {
    return ignored(deps, "superseded copy attempt", { region: location.region, imageId });
  }
  const current = keepFailure(recorded, imageId, image) ?? vanishedImage(version, location, hint);
  if (!current) return ignored(deps, "image not found in EC2", { region: location.region });
  return location.role === "source"
    ? syncSource(deps, family, version, current, hint)
    : syncCopy(deps, family, version, current, hint);
}

/**
 * A failed copy stays failed when it is later deregistered (the service discards failed copies before
 * retrying them): its record must keep `failed` so the retry still happens and nobody is told
 * "deregistered elsewhere" about an image that never worked.
 */
function keepFailure(
  recorded: RegionImageRecord | undefined,
  imageId: string,
  image: ImageRecord | undefined,
): ImageRecord | undefined {
  if (recorded?.state !== "failed" || recorded.role !== "copy") return image;
  if (image && image.state !== "deregistered") return image;
  return {
    imageId,
    region: recorded.region,
    name: image?.name ?? "",
    ownerId: image?.ownerId ?? "",
    state: "failed",
    creationDate: image?.creationDate ?? recorded.updatedAt,
    tags: image?.tags ?? {},
    snapshots: recorded.snapshotIds.map((snapshotId) => ({ snapshotId, sizeGiB: 0 })),
    encrypted: image?.encrypted ?? false,
    deregistrationProtection: false,
    ...(recorded.failureReason ? { stateReason: recorded.failureReason } : {}),
  };
}

/** DescribeImages stops returning deregistered images; the event's reported state then stands in for it. */
function vanishedImage(
  version: VersionRecord,
  location: ImageLocation,
  hint: ReconcileHint,
): ImageRecord | undefined {
  const recorded = version.regions[location.region];
  if (!recorded?.imageId || hint.reportedState !== "deregistered") return undefined;
  return {
    imageId: recorded.imageId,
    region: location.region,
    name: version.name,
    ownerId: "",
    state: "deregistered",
    creationDate: version.createdAt,
    tags: {},
    snapshots: recorded.snapshotIds.map((snapshotId) => ({ snapshotId, sizeGiB: 0 })),
    encrypted: false,
    deregistrationProtection: false,
  };
}

/** Source image of a version: tags, registry state, lifecycle notifications, copies, a family sweep. */
async function syncSource(
  deps: ReactionDependencies,
  family: FamilyConfig,
  registered: VersionRecord,
  image: ImageRecord,
  hint: ReconcileHint,
): Promise<ReactionOutcome> {
  const actions: string[] = [];
  const version = hint.createdBy
    ? await recordLateCreator(deps, registered, hint.createdBy, actions)
    : registered;
  const previous = version.regions[image.region];
  const record = regionRecordFor(image, previous, "source", deps.clock.now(), failure(hint));
  const live = image.state !== "deregistered";
  if (live && (await ensureTags(deps, image, version, tagOptions(previous, record, hint.createdBy))))
    actions.push("tagged");
  if (regionRecordChanged(previous, record)) {
    await deps.registry.putRegionImage(family.name, version.version, record, {
      expectImageId: image.imageId,
    });
    actions.push(`recorded:${record.state}`);
  }
  const current = withRegion(version, record);
  const key = `${family.name}:${version.version}`;
  if (
    await notifyOnce(
      deps,
      `registered:${key}`,
      versionNotification("registered", family, current, image.region),
    )
  ) {
    actions.push("notified:registered");
  }
  if (record.state === "available") {
    actions.push(...(await announceAvailable(deps, family, current, image.region)));
    const copyActions = await startCopies(deps, family, current);
    actions.push(...copyActions);
    // A copy just started (or queued) is not available yet: only check when none was needed.
    if (copyActions.length === 0) await notifyIfReplicated(deps, family, current, actions);
    if (
      await once(deps, `sweep-request:${key}`, () =>
        deps.sweeps.requestFamilySweep(family.name, `v${version.version} available`),
      )
    ) {
      actions.push("sweep-requested");
    }
    actions.push(...(await publishLatest(deps, family, current, image.region)));
  }
  if (record.state === "failed") {
    const notification = versionNotification("failed", family, current, image.region, reasonOf(record));
    if (await notifyOnce(deps, `failed:${key}`, notification)) actions.push("notified:failed");
  }
  actions.push(...(await notifyIfRetiredElsewhere(deps, family, current, record)));
  return { outcome: "recorded", family: family.name, version: version.version, role: "source", actions };
}

/** A copy of a version: registry state, replication and failure notifications, bounded retries. */
async function syncCopy(
  deps: ReactionDependencies,
  family: FamilyConfig,
  version: VersionRecord,
  image: ImageRecord,
  hint: ReconcileHint,
): Promise<ReactionOutcome> {
  const actions: string[] = [];
  const previous = version.regions[image.region];
  const record = regionRecordFor(image, previous, "copy", deps.clock.now(), failure(hint));
  const live = image.state !== "deregistered" && image.state !== "failed";
  // A copy's CloudTrail principal is whoever copied it (often the service): the creator stays the version's.
  const tagPlan = copyTagPlan(previous, record, version, image);
  if (live && tagPlan !== "later" && (await ensureTags(deps, image, version, tagPlan)))
    actions.push("tagged");
  if (regionRecordChanged(previous, record) && !onlySnapshotsOfPendingCopy(previous, record)) {
    await deps.registry.putRegionImage(family.name, version.version, record, {
      expectImageId: image.imageId,
    });
    actions.push(`recorded:${record.state}`);
  }
  const current = withRegion(version, record);
  const key = `${family.name}:${version.version}`;
  if (record.state === "available") {
    actions.push(...(await announceAvailable(deps, family, current, image.region)));
    await notifyIfReplicated(deps, family, current, actions);
    actions.push(...(await publishLatest(deps, family, current, image.region)));
  }
  if (record.state === "failed") {
    const attempt = Math.max(record.copyAttempts, 1);
    const final = attempt >= family.maxCopyAttempts;
    const notification = versionNotification("copy-failed", family, current, image.region, {
      ...reasonOf(record),
      attempt,
      final,
    });
    if (await notifyOnce(deps, `copy-failed:${key}:${image.region}:${attempt}`, notification)) {
      actions.push("notified:copy-failed");
    }
    if (!final) actions.push(...(await startCopies(deps, family, current, image.region)));
  }
  if (record.state === "available" || record.state === "failed") {
    // A copy that finished frees a slot of the region's concurrent-copy quota.
    actions.push(...(await startWaitingCopiesInRegion(deps, image.region)));
  }
  actions.push(...(await notifyIfRetiredElsewhere(deps, family, current, record)));
  return { outcome: "recorded", family: family.name, version: version.version, role: "copy", actions };
}

/** A version's image became available in a region: tell the team (once) and share it with the consumers. */
async function announceAvailable(
  deps: ReactionDependencies,
  family: FamilyConfig,
  version: VersionRecord,
  region: string,
): Promise<string[]> {
  const actions: string[] = [];
  const key = `available:${family.name}:${version.version}:${region}`;
  if (await notifyOnce(deps, key, versionNotification("available", family, version, region))) {
    actions.push("notified:available");
  }
  actions.push(...(await shareNewlyAvailable(deps, family, version, region)));
  return actions;
}

async function notifyIfReplicated(
  deps: ReactionDependencies,
  family: FamilyConfig,
  version: VersionRecord,
  actions: string[],
): Promise<void> {
  const destinations = copyDestinations(family, version);
  if (destinations.length === 0) return;
  const everywhere = [version.sourceRegion, ...destinations.map((destination) => destination.region)];
  if (!everywhere.every((region) => version.regions[region]?.state === "available")) return;
  const notification = versionNotification("replicated", family, version, version.sourceRegion, {
    regions: everywhere,
  });
  if (await notifyOnce(deps, `replicated:${family.name}:${version.version}`, notification)) {
    actions.push("notified:replicated");
  }
}

/** Disabling or deregistering is news only when the service's own retention did not do it. */
async function notifyIfRetiredElsewhere(
  deps: ReactionDependencies,
  family: FamilyConfig,
  version: VersionRecord,
  record: RegionImageRecord,
): Promise<string[]> {
  if (record.retiredBy === "service") return [];
  if (record.state !== "deregistered" && record.state !== "disabled") return [];
  const type = record.state === "deregistered" ? "deregistered-elsewhere" : "disabled-elsewhere";
  const notification = versionNotification(type, family, version, record.region);
  const sent = await notifyOnce(
    deps,
    `${type}:${family.name}:${version.version}:${record.region}:${record.imageId}`,
    notification,
  );
  return sent ? [`notified:${type}`] : [];
}

function withRegion(version: VersionRecord, record: RegionImageRecord): VersionRecord {
  return { ...version, regions: { ...version.regions, [record.region]: record } };
}

/** A pending copy's snapshot ids are recorded with its next state change: one registry write fewer per copy. */
function onlySnapshotsOfPendingCopy(
  previous: RegionImageRecord | undefined,
  record: RegionImageRecord,
): boolean {
  return (
    previous !== undefined &&
    previous.state === "pending" &&
    record.state === "pending" &&
    !regionRecordChanged(previous, { ...record, snapshotIds: previous.snapshotIds })
  );
}

function failure(hint: ReconcileHint) {
  return hint.errorMessage ? { failureReason: hint.errorMessage } : {};
}

function reasonOf(record: RegionImageRecord) {
  return record.failureReason ? { reason: record.failureReason } : {};
}

function ignored(
  deps: ReactionDependencies,
  reason: string,
  image: { region?: string; imageId?: string },
): ReactionOutcome {
  deps.log.debug("image left untouched", { reason, region: image.region, imageId: image.imageId });
  return { outcome: "ignored", reason };
}
