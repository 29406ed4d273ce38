import type { FamilyConfig } from "../config";
import { copyDestinations } from "../copies/start-copies";
import type { Effect } from "../effects";
import type { RegionImageRecord, VersionRecord } from "../model";
import { availableClaimKey, replicatedClaimKey } from "./claim-keys";
import type { NotificationDependencies } from "./notification-dependencies";
import { notifyOnce, type OnceStep, once, onceInTurn } from "./once";
import { versionNotification } from "./version-messages";

/** The `reason` of a notification about a failed image, when EC2 gave one. */
export function failureReasonOf(record: RegionImageRecord): { reason?: string } {
  return record.failureReason ? { reason: record.failureReason } : {};
}

/** A new version's source image was recorded: tell the team once per version. */
export async function notifyRegistered(
  deps: NotificationDependencies,
  family: FamilyConfig,
  version: VersionRecord,
  region: string,
): Promise<Effect[]> {
  const notification = versionNotification("registered", family, version, region);
  const sent = await notifyOnce(deps, `registered:${family.name}:${version.version}`, notification);
  return sent ? [{ kind: "notified", type: "registered" }] : [];
}

/** Something done first, under the same once-per-region claim as the `available` notification. */
export interface AlongsideAvailable {
  /** must be safe to repeat (a failed publish gives the claim back, and the retry runs it again) */
  run: () => Promise<void>;
  /** what it did, reported when the claim was performed */
  effect: Effect;
}

/**
 * A version's image became available in a region: tell the team once per region. `alongside` runs first,
 * under the same claim: one claim (taken by the region write, completed once) covers both.
 */
export async function notifyAvailable(
  deps: NotificationDependencies,
  family: FamilyConfig,
  version: VersionRecord,
  region: string,
  alongside?: AlongsideAvailable,
): Promise<Effect[]> {
  const notification = versionNotification("available", family, version, region);
  const sent = await once(deps, availableClaimKey(family.name, version.version, region), async () => {
    await alongside?.run();
    await deps.notifier.publish(notification);
  });
  if (!sent) return [];
  return [...(alongside ? [alongside.effect] : []), { kind: "notified", type: "available" }];
}

/** A version's source image failed: tell the team once per version. */
export async function notifyFailed(
  deps: NotificationDependencies,
  family: FamilyConfig,
  version: VersionRecord,
  record: RegionImageRecord,
): Promise<Effect[]> {
  const notification = versionNotification("failed", family, version, record.region, failureReasonOf(record));
  const sent = await notifyOnce(deps, `failed:${family.name}:${version.version}`, notification);
  return sent ? [{ kind: "notified", type: "failed" }] : [];
}

/** The `replicated` notification when every configured region has the version available, else undefined. */
function replicatedNotice(family: FamilyConfig, version: VersionRecord) {
  const destinations = copyDestinations(family, version);
  if (destinations.length === 0) return undefined;
  const everywhere = [version.sourceRegion, ...destinations.map((destination) => destination.region)];
  if (!everywhere.every((region) => version.regions[region]?.state === "available")) return undefined;
  return versionNotification("replicated", family, version, version.sourceRegion, { regions: everywhere });
}

/** Whether `version` (as the reaction is about to record it) has every configured region available. */
export function isReplicated(family: FamilyConfig, version: VersionRecord): boolean {
  return replicatedNotice(family, version) !== undefined;
}

/** Every configured region has the version available: tell the team once per version. */
export async function notifyIfReplicated(
  deps: NotificationDependencies,
  family: FamilyConfig,
  version: VersionRecord,
): Promise<Effect[]> {
  const notification = replicatedNotice(family, version);
  if (!notification) return [];
  const sent = await once(deps, replicatedClaimKey(family.name, version.version), () =>
    deps.notifier.publish(notification),
  );
  return sent ? [{ kind: "notified", type: "replicated" }] : [];
}

/**
 * A copy became available: tell the team once per region and, when it was the last region, that the
 * version is replicated, once per version. Two claims, one completion write (onceInTurn).
 */
export async function notifyCopyAvailable(
  deps: NotificationDependencies,
  family: FamilyConfig,
  version: VersionRecord,
  region: string,
): Promise<Effect[]> {
  const available = versionNotification("available", family, version, region);
  const replicated = replicatedNotice(family, version);
  const steps: OnceStep[] = [
    {
      key: availableClaimKey(family.name, version.version, region),
      effect: () => deps.notifier.publish(available),
    },
  ];
  if (replicated) {
    steps.push({
      key: replicatedClaimKey(family.name, version.version),
      effect: () => deps.notifier.publish(replicated),
    });
  }
  const [availableSent, replicatedSent] = await onceInTurn(deps, steps);
  return [
    ...(availableSent ? [{ kind: "notified", type: "available" } as const] : []),
    ...(replicatedSent ? [{ kind: "notified", type: "replicated" } as const] : []),
  ];
}

/** Disabling or deregistering is news only when the service's own retention did not do it. */
export async function notifyIfRetiredElsewhere(
  deps: NotificationDependencies,
  family: FamilyConfig,
  version: VersionRecord,
  record: RegionImageRecord,
): Promise<Effect[]> {
  if (record.retiredBy === "service") return [];
  if (record.state !== "deregistered" && record.state !== "disabled") return [];
  const type = record.state === "deregistered" ? "deregistered-elsewhere" : "disabled-elsewhere";
  const notification = versionNotification(type, family, version, record.region);
  const sent = await notifyOnce(
    deps,
    `${type}:${family.name}:${version.version}:${record.region}:${record.imageId}`,
    notification,
  );
  return sent ? [{ kind: "notified", type }] : [];
}
