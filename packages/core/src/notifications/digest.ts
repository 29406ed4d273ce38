import type { Config, FamilyConfig } from "../config";
import type { VersionRecord } from "../model";
import type { FamilySweepResult } from "../sweep-results";
import { type Notification, subjectLine } from "./notification";
import type { NotificationDependencies } from "./notification-dependencies";
import { notifyOnce } from "./once";
import { upcomingSteps } from "./summary-notice";

/** How far ahead a digest lists steps: a digest is the team's look at everything still to come. */
const digestHorizonDays = 3650;

/** Local weekday, date and time of `now` in a time zone, as the digest schedule reads them. */
interface LocalTime {
  weekday: string;
  year: number;
  month: number;
  day: number;
  minutes: number;
}

function localTime(now: Date, timeZone: string): LocalTime {
  const parts = new Intl.DateTimeFormat("en-US", {
    timeZone,
    weekday: "long",
    year: "numeric",
    month: "numeric",
    day: "numeric",
    hour: "numeric",
    minute: "numeric",
    hourCycle: "h23",
  }).formatToParts(now);
  const part = (type: Intl.DateTimeFormatPartTypes) =>
    parts.find((entry) => entry.type === type)?.value ?? "";
  return {
    weekday: part("weekday").toLowerCase(),
    year: Number(part("year")),
    month: Number(part("month")),
    day: Number(part("day")),
    minutes: Number(part("hour")) * 60 + Number(part("minute")),
  };
}

/** The ISO week (`2026-W48`) a local calendar date belongs to: the digest's once-per-week key. */
export function isoWeek(year: number, month: number, day: number): string {
  const date = new Date(Date.UTC(year, month - 1, day));
  const weekday = date.getUTCDay() || 7;
  // The Thursday of the date's week decides the ISO year.
  date.setUTCDate(date.getUTCDate() + 4 - weekday);
  const isoYear = date.getUTCFullYear();
  const week = Math.ceil(((date.getTime() - Date.UTC(isoYear, 0, 1)) / 86_400_000 + 1) / 7);
  return `${isoYear}-W${String(week).padStart(2, "0")}`;
}

/**
 * The ISO week whose digest is due at `now`, or undefined: digest enabled, `now` is the configured
 * weekday in the sweep's time zone, at or after `time` when given.
 */
export function digestWeekDue(
  config: Pick<Config, "notifications" | "sweep">,
  now: Date,
): string | undefined {
  const digest = config.notifications.digest;
  if (!digest?.enabled) return undefined;
  const local = localTime(now, config.sweep.timezone);
  if (local.weekday !== digest.day) return undefined;
  if (digest.time) {
    const [hours, minutes] = digest.time.split(":").map(Number) as [number, number];
    if (local.minutes < hours * 60 + minutes) return undefined;
  }
  return isoWeek(local.year, local.month, local.day);
}

/** The weekly digest of one family: every version with its regions and stage, then each step still to come. */
export function familyDigest(
  config: Config,
  family: FamilyConfig,
  versions: readonly VersionRecord[],
  result: FamilySweepResult,
  now: Date,
  week: string,
): Notification {
  const upcoming = upcomingSteps(result, now, digestHorizonDays);
  const live = versions.filter((version) => version.stage !== "deregistered");
  const lines = [
    `${family.name}: ${live.length} version(s) (mode ${config.mode}), week ${week}.`,
    ...live.map(
      (version) =>
        `v${version.version} ${version.name} ${version.stage}${version.withdrawn ? " (withdrawn)" : ""}: ${Object.keys(version.regions).sort().join(", ")}`,
    ),
    upcoming.length === 0 ? "Nothing scheduled." : "Coming:",
    ...upcoming.map(
      (step) =>
        `v${step.version} ${step.action} on ${step.at.slice(0, 10)} (${step.regions.sort().join(", ")})`,
    ),
  ];
  return {
    eventType: "digest",
    family: family.name,
    team: family.team,
    severity: "info",
    region: config.homeRegion,
    subject: subjectLine(
      `${family.name} weekly digest ${week}: ${live.length} version(s), ${upcoming.length} step(s) coming`,
    ),
    body: lines.join("\n"),
    detail: {
      eventType: "digest",
      family: family.name,
      team: family.team,
      week,
      mode: config.mode,
      versions: live.map((version) => ({
        version: version.version,
        name: version.name,
        stage: version.stage,
        withdrawn: version.withdrawn ?? false,
        regions: Object.keys(version.regions).sort(),
      })),
      upcoming,
    },
  };
}

/** Sends the family's digest once per ISO week (a once-only claim keyed by family and week); true when sent now. */
export async function sendDigestIfDue(
  deps: NotificationDependencies,
  family: FamilyConfig,
  result: FamilySweepResult,
  now: Date,
): Promise<boolean> {
  const week = digestWeekDue(deps.config, now);
  if (!week) return false;
  const versions = await deps.registry.listVersions(family.name);
  return notifyOnce(
    deps,
    `digest:${family.name}:${week}`,
    familyDigest(deps.config, family, versions, result, now, week),
  );
}
