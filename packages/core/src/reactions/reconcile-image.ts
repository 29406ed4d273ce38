import type { FamilyConfig } from "../config";
import { adoptCopy } from "../copies/adopt-copy";
import { copiedFrom } from "../copies/copy-lineage";
import { keepFailure, onlySnapshotsOfPendingCopy, retryFailedCopy } from "../copies/failed-copy";
import { startCopies, startWaitingCopiesInRegion } from "../copies/start-copies";
import type { Effect } from "../effects";
import { matchFamily } from "../families";
import type { ImageRecord, RegionImageRecord, VersionRecord } from "../model";
import { availableTransitionLeases, replicatedClaimKey } from "../notifications/claim-keys";
import {
  type AlongsideAvailable,
  isReplicated,
  notifyAvailable,
  notifyCopyAvailable,
  notifyFailed,
  notifyIfReplicated,
  notifyIfRetiredElsewhere,
  notifyRegistered,
} from "../notifications/version-notices";
import {
  finishLatest,
  type LatestDecision,
  moveLatest,
  protectionClearOption,
  recordWithProtection,
} from "../pointers/publish-latest";
import type { ImageLocation } from "../ports";
import { shareNewlyAvailable } from "../sharing/sync-sharing";
import { watermarkImage } from "../sharing/watermark";
import { LifecycleTag, managedTagValue } from "../tags";
import { copyTagPlan, tagOptions } from "../tags/tag-plans";
import { ensureTags } from "../tags/tagging";
import { recordLateCreator } from "../versions/late-creator";
import { regionRecordChanged, regionRecordFor, withRegion } from "../versions/region-records";
import { vanishedImage } from "../versions/vanished-image";
import { versionFromTags } from "../versions/version-from-tags";
import type { EventDependencies } from "./dependencies";
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
  deps: EventDependencies,
  region: string,
  imageId: string,
  hint: ReconcileHint = {},
): Promise<ReactionOutcome> {
  const image = await deps.images.describeImage(region, imageId);
  const tagged = image && (await versionFromTags(deps, image));
  if (tagged) return reconcileKnownImage(deps, tagged.location, imageId, image, hint, tagged.version);
  const location = await deps.registry.findByImageId(imageId, newImageFamily(deps, image));
  if (location) return reconcileKnownImage(deps, location, imageId, image, hint);
  if (!image) return ignored(deps, "image not found and not in the registry", { region, imageId });
  return reconcileNewImage(deps, image, hint);
}

/** The family an unregistered image would be registered in, so its lookup may read that family's counter too. */
function newImageFamily(deps: EventDependencies, image: ImageRecord | undefined): { familyHint?: string } {
  // A cross-region copy is never registered as a version: nothing to read for it.
  if (!image || (image.sourceImageRegion !== undefined && image.sourceImageRegion !== image.region))
    return {};
  const match = matchFamily(image, deps.config);
  return match.managed ? { familyHint: match.family.name } : {};
}

async function reconcileNewImage(
  deps: EventDependencies,
  image: ImageRecord,
  hint: ReconcileHint,
): Promise<ReactionOutcome> {
  const { config } = deps;
  if (!config.accounts.includes(image.ownerId)) return ignored(deps, "owned by another account", image);
  if (!config.regions.includes(image.region)) return ignored(deps, "region not managed", image);

  // An image copied from another region is a copy, never a new version (Packer's `ami_regions`, a person's CopyImage).
  const copyOf = await copiedFrom(deps.registry, image);
  if (copyOf && "refused" in copyOf) return ignored(deps, copyOf.refused, image);
  if (copyOf) {
    const adopted = await adoptCopy(deps, copyOf, image);
    if ("refused" in adopted) return ignored(deps, adopted.refused, image);
    return syncCopy(deps, adopted.family, adopted.version, image, hint);
  }

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

async function reconcileKnownImage(
  deps: EventDependencies,
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
  const current =
    keepFailure(recorded, imageId, image) ?? vanishedImage(version, location, hint.reportedState);
  if (!current) return ignored(deps, "image not found in EC2", { region: location.region });
  return location.role === "source"
    ? syncSource(deps, family, version, current, hint)
    : syncCopy(deps, family, version, current, hint);
}

/** Source image of a version: tags, registry state, lifecycle notifications, copies, a family sweep. */
async function syncSource(
  deps: EventDependencies,
  family: FamilyConfig,
  registered: VersionRecord,
  image: ImageRecord,
  hint: ReconcileHint,
): Promise<ReactionOutcome> {
  const effects: Effect[] = [];
  const version = hint.createdBy
    ? await recordLateCreator(deps, registered, hint.createdBy, effects)
    : registered;
  const previous = version.regions[image.region];
  const computed = regionRecordFor(image, previous, "source", deps.clock.now(), failure(hint));
  const live = image.state !== "deregistered";
  const tagged =
    live && (await ensureTags(deps, image, version, tagOptions(previous, computed, hint.createdBy)));
  if (tagged) effects.push({ kind: "tagged" });
  const latest = await moveLatestBeforeWrite(deps, family, version, computed, image, tagged);
  const record = recordWithProtection(computed, latest);
  let written = false;
  if (regionRecordChanged(previous, record)) {
    const leaseClaims = availableTransitionLeases(family.name, version.version, previous, record);
    written = await deps.registry.putRegionImage(family.name, version.version, record, {
      expectImageId: image.imageId,
      ...protectionClearOption(latest),
      ...(leaseClaims.length > 0 ? { leaseClaims } : {}),
    });
    effects.push({ kind: "recorded", state: record.state });
  }
  const current = withRegion(version, record);
  effects.push(...(await notifyRegistered(deps, family, current, image.region)));
  if (record.state === "available") {
    // Before the copies start: they inherit the source's watermark.
    effects.push(...(await watermarkImage(deps, family, image)));
    effects.push(
      ...(await announceAvailable(deps, family, current, image.region, sweepRequest(deps, family, current))),
    );
    const copies = await startCopies(deps, family, current);
    effects.push(...copies);
    // A copy just started (or queued) is not available yet: only check when none was needed.
    if (copies.length === 0) effects.push(...(await notifyIfReplicated(deps, family, current)));
  }
  // The record as computed, without the marker its write carried: written separately when that write was not made.
  if (latest)
    effects.push(...(await finishLatest(deps, family, withRegion(version, computed), latest, written)));
  if (record.state === "failed") effects.push(...(await notifyFailed(deps, family, current, record)));
  effects.push(...(await notifyIfRetiredElsewhere(deps, family, current, record)));
  return { outcome: "recorded", family: family.name, version: version.version, role: "source", effects };
}

/** A copy of a version: registry state, replication and failure notifications, bounded retries. */
async function syncCopy(
  deps: EventDependencies,
  family: FamilyConfig,
  version: VersionRecord,
  image: ImageRecord,
  hint: ReconcileHint,
): Promise<ReactionOutcome> {
  const effects: Effect[] = [];
  const previous = version.regions[image.region];
  const computed = regionRecordFor(image, previous, "copy", deps.clock.now(), failure(hint));
  const live = image.state !== "deregistered" && image.state !== "failed";
  // A copy's CloudTrail principal is whoever copied it (often the service): the creator stays the version's.
  const tagPlan = copyTagPlan(previous, computed, version, image);
  const tagged = live && tagPlan !== "later" && (await ensureTags(deps, image, version, tagPlan));
  if (tagged) effects.push({ kind: "tagged" });
  const latest = await moveLatestBeforeWrite(deps, family, version, computed, image, tagged);
  const record = recordWithProtection(computed, latest);
  const current = withRegion(version, record);
  let written = false;
  if (regionRecordChanged(previous, record) && !onlySnapshotsOfPendingCopy(previous, record)) {
    // The write that records the region available leases its claim, and the `replicated` one with the last region.
    const leaseClaims = availableTransitionLeases(family.name, version.version, previous, record);
    if (leaseClaims.length > 0 && isReplicated(family, current))
      leaseClaims.push(replicatedClaimKey(family.name, version.version));
    written = await deps.registry.putRegionImage(family.name, version.version, record, {
      ...protectionClearOption(latest),
      expectImageId: image.imageId,
      ...(leaseClaims.length > 0 ? { leaseClaims } : {}),
    });
    effects.push({ kind: "recorded", state: record.state });
  }
  if (record.state === "available") {
    effects.push(...(await watermarkImage(deps, family, image)));
    effects.push(...(await notifyCopyAvailable(deps, family, current, image.region)));
    effects.push(...(await shareNewlyAvailable(deps, family, current, image.region)));
  }
  // The record as computed, without the marker its write carried: written separately when that write was not made.
  if (latest)
    effects.push(...(await finishLatest(deps, family, withRegion(version, computed), latest, written)));
  if (record.state === "failed") effects.push(...(await retryFailedCopy(deps, family, current, record)));
  if (record.state === "available" || record.state === "failed") {
    // A copy that finished frees a slot of the region's concurrent-copy quota.
    effects.push(...(await startWaitingCopiesInRegion(deps, image.region)));
  }
  effects.push(...(await notifyIfRetiredElsewhere(deps, family, current, record)));
  return { outcome: "recorded", family: family.name, version: version.version, role: "copy", effects };
}

/**
 * For an image available in its region: moves `latest` before the reaction's region write, so that write
 * also records the pointer protection (see LatestDecision). `tagged`: the reaction just wrote the
 * version's tags (the managed tag among them) on the image, which EC2's description predates.
 */
async function moveLatestBeforeWrite(
  deps: EventDependencies,
  family: FamilyConfig,
  version: VersionRecord,
  record: RegionImageRecord,
  image: ImageRecord,
  tagged: boolean,
): Promise<LatestDecision | undefined> {
  if (record.state !== "available") return undefined;
  const seen = tagged
    ? { ...image, tags: { ...image.tags, [LifecycleTag.managed]: managedTagValue } }
    : image;
  return moveLatest(deps, family, withRegion(version, record), image.region, seen);
}

/** A version's image became available in a region: tell the team (once), then share it with the consumers. */
async function announceAvailable(
  deps: EventDependencies,
  family: FamilyConfig,
  version: VersionRecord,
  region: string,
  alongside?: AlongsideAvailable,
): Promise<Effect[]> {
  const notified = await notifyAvailable(deps, family, version, region, alongside);
  return [...notified, ...(await shareNewlyAvailable(deps, family, version, region))];
}

/**
 * Asks for a sweep of the family now that a new version is available, once per version: it runs under
 * the source region's `available` claim (no claim of its own), before the notification. A publish that
 * fails after it gives the claim back and the retry puts the request again; the request key makes that
 * the same request, which the sweep function runs once (its idempotency is keyed by it).
 */
function sweepRequest(deps: EventDependencies, family: FamilyConfig, version: VersionRecord) {
  return {
    run: () =>
      deps.sweeps.requestFamilySweep(family.name, `v${version.version} available`, {
        requestKey: `sweep-request:${family.name}:${version.version}`,
      }),
    effect: { kind: "sweep-requested" },
  } satisfies AlongsideAvailable;
}

function failure(hint: ReconcileHint) {
  return hint.errorMessage ? { failureReason: hint.errorMessage } : {};
}

function ignored(
  deps: EventDependencies,
  reason: string,
  image: { region?: string; imageId?: string },
): ReactionOutcome {
  deps.log.debug("image left untouched", { reason, region: image.region, imageId: image.imageId });
  return { outcome: "ignored", reason };
}
