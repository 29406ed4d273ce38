import type { FamilyConfig } from "../config";
import type { VersionRecord } from "../model";
import { type Notification, type NotificationType, type Severity, subjectLine } from "./notification";

const severities: Record<NotificationType, Severity> = {
  registered: "info",
  adopted: "info",
  available: "info",
  replicated: "info",
  "copy-failed": "error",
  failed: "error",
  "deregistered-elsewhere": "warning",
  "disabled-elsewhere": "warning",
  "rolled-back": "warning",
  restored: "info",
  "retention-summary": "info",
  digest: "info",
  "public-sharing": "error",
  "public-access-unblocked": "warning",
  "tag-tampering": "error",
  "consumers-unreachable": "warning",
  "consumer-schedule": "warning",
};

/** Builds the notification for one change of a version, with a human subject/body and the full detail. */
export function versionNotification(
  type: Exclude<
    NotificationType,
    | "retention-summary"
    | "digest"
    | "public-sharing"
    | "public-access-unblocked"
    | "tag-tampering"
    | "consumers-unreachable"
    | "consumer-schedule"
    | "adopted"
  >,
  family: FamilyConfig,
  version: VersionRecord,
  region: string,
  extra: { imageId?: string; reason?: string; attempt?: number; final?: boolean; regions?: string[] } = {},
): Notification {
  const label = `${family.name} v${version.version}`;
  const imageId = extra.imageId ?? version.regions[region]?.imageId ?? version.sourceImageId;
  const lines: Record<typeof type, [string, string]> = {
    registered: [
      `${label} registered`,
      `${imageId} (${version.name}) in ${region} is version ${version.version}.`,
    ],
    available: [`${label} available in ${region}`, `${imageId} (${version.name}) is available in ${region}.`],
    replicated: [
      `${label} replicated to every region`,
      `${version.name} is available in ${(extra.regions ?? []).join(", ")}.`,
    ],
    "copy-failed": [
      `${label} copy to ${region} failed`,
      `Copy ${imageId} to ${region} failed (attempt ${extra.attempt ?? 1}): ${extra.reason ?? "unknown reason"}.` +
        (extra.final ? " No more attempts: fix the cause, then run a sweep." : " It will be retried."),
    ],
    failed: [`${label} failed in ${region}`, `${imageId} failed: ${extra.reason ?? "unknown reason"}.`],
    "deregistered-elsewhere": [
      `${label} deregistered outside the service in ${region}`,
      `${imageId} in ${region} was deregistered by someone other than ami-lifecycle.`,
    ],
    "disabled-elsewhere": [
      `${label} disabled outside the service in ${region}`,
      `${imageId} in ${region} was disabled by someone other than ami-lifecycle.`,
    ],
    "rolled-back": [
      `${family.name} rolled back to v${version.version}`,
      `latest points at ${label} (${version.name}) in ${(extra.regions ?? []).join(", ") || "every region already"}: ${extra.reason ?? "rolled back"}.`,
    ],
    restored: [
      `${label} restored`,
      `${version.name} is active again in ${(extra.regions ?? []).join(", ") || region}: ${extra.reason ?? "restored"}.`,
    ],
  };
  const [subject, body] = lines[type];
  return {
    eventType: type,
    family: family.name,
    team: family.team,
    severity: severities[type],
    region,
    subject: subjectLine(subject),
    body,
    detail: {
      eventType: type,
      family: family.name,
      team: family.team,
      version: version.version,
      name: version.name,
      region,
      imageId,
      sourceRegion: version.sourceRegion,
      sourceImageId: version.sourceImageId,
      ...(extra.reason ? { reason: extra.reason } : {}),
      ...(extra.attempt ? { attempt: extra.attempt, final: extra.final ?? false } : {}),
      ...(extra.regions ? { regions: extra.regions } : {}),
    },
  };
}
