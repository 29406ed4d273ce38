import type { FamilyConfig } from "../config";
import { copyDestinations } from "../copies/start-copies";
import type { Effect } from "../effects";
import type { RegionImageRecord, VersionRecord } from "../model";
import type { NotificationDependencies } from "./notification-dependencies";
import { notifyOnce } from "./once";
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

/** A version's image became available in a region: tell the team once per region. */
export async function notifyAvailable(
  deps: NotificationDependencies,
  family: FamilyConfig,
  version: VersionRecord,
  region: string,
): Promise<Effect[]> {
  const key = `available:${family.name}:${version.version}:${region}`;
  const sent = await notifyOnce(deps, key, versionNotification("available", family, version, region));
  return sent ? [{ kind: "notified", type: "available" }] : [];
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

/** Every configured region has the version available: tell the team once per version. */
export async function notifyIfReplicated(
  deps: NotificationDependencies,
  family: FamilyConfig,
  version: VersionRecord,
): Promise<Effect[]> {
  const destinations = copyDestinations(family, version);
  if (destinations.length === 0) return [];
  const everywhere = [version.sourceRegion, ...destinations.map((destination) => destination.region)];
  if (!everywhere.every((region) => version.regions[region]?.state === "available")) return [];
  const notification = versionNotification("replicated", family, version, version.sourceRegion, {
    regions: everywhere,
  });
  const sent = await notifyOnce(deps, `replicated:${family.name}:${version.version}`, notification);
  return sent ? [{ kind: "notified", type: "replicated" }] : [];
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
