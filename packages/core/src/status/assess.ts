import type { Config } from "../config";
import type { VersionRecord } from "../model";
import { latestVersionIn, regionsOf } from "../pointers/latest";
import type { AlarmInAlarm, QueueDepth, SweepRun } from "./ports";
import { nextRun } from "./schedule";

/** What status looks at, read once: the registry's versions, the pointers, the operations, the last sweep. */
export interface StatusInput {
  now: Date;
  config: Pick<Config, "mode" | "families"> & { sweep: Pick<Config["sweep"], "schedule" | "timezone"> };
  versions: ReadonlyMap<string, readonly VersionRecord[]>;
  /** the `latest` pointer of each family and region that has versions (undefined: not set) */
  pointers: readonly { family: string; region: string; name: string; imageId: string | undefined }[];
  deadLetters: readonly QueueDepth[];
  alarms: readonly AlarmInAlarm[];
  lastSweep: SweepRun | undefined;
  /** false when the target does not record its sweeps (a deployed stage, for now): no run is then no finding */
  sweepsRecorded?: boolean;
}

/** Kinds of things that need an operator. */
export type FindingKind =
  | "no-sweep"
  | "sweep-failed"
  | "dead-letters"
  | "alarm"
  | "copy-failed"
  | "copy-waiting"
  | "pointer-disagrees"
  | "retirement-blocked";

/** One thing that needs attention and what to do about it. */
export interface Finding {
  kind: FindingKind;
  family?: string;
  version?: number;
  region?: string;
  message: string;
  action: string;
}

/** The service's health as `ami-lifecycle status` prints it. */
export interface ServiceStatus {
  checkedAt: string;
  mode: "dry-run" | "enforce";
  lastSweep: SweepRun | null;
  nextSweep: { schedule: string; timezone: string; at?: string };
  deadLetters: QueueDepth[];
  alarms: AlarmInAlarm[];
  findings: Finding[];
  /** true when no finding needs attention */
  healthy: boolean;
}

/** Assesses the service from what was read: a pure function, so every finding is tested without AWS. */
export function assessStatus(input: StatusInput): ServiceStatus {
  const findings: Finding[] = [
    ...(input.sweepsRecorded === false && !input.lastSweep ? [] : sweepFindings(input.lastSweep)),
    ...input.deadLetters.filter((queue) => queue.messages > 0).map(deadLetterFinding),
    ...input.alarms.map(alarmFinding),
    ...copyFindings(input.config.families, input.versions),
    ...pointerFindings(input),
  ];
  const last = input.lastSweep ? new Date(input.lastSweep.at) : undefined;
  const at = nextRun(input.config.sweep, input.now, last);
  return {
    checkedAt: input.now.toISOString(),
    mode: input.config.mode,
    lastSweep: input.lastSweep ?? null,
    nextSweep: {
      schedule: input.config.sweep.schedule,
      timezone: input.config.sweep.timezone,
      ...(at ? { at: at.toISOString() } : {}),
    },
    deadLetters: [...input.deadLetters],
    alarms: [...input.alarms],
    findings,
    healthy: findings.length === 0,
  };
}

function sweepFindings(run: SweepRun | undefined): Finding[] {
  if (!run) {
    return [
      {
        kind: "no-sweep",
        message: "no scheduled sweep has run yet",
        action: "check the schedule is enabled (EventBridge Scheduler) and the schedule dead-letter queue",
      },
    ];
  }
  const findings: Finding[] = [];
  if (run.result === "failed" || run.failures > 0) {
    findings.push({
      kind: "sweep-failed",
      message:
        run.result === "failed"
          ? `the last sweep (${run.at}) failed: ${run.error ?? "unknown error"}`
          : `the last sweep (${run.at}) finished with ${run.failures} failure(s)`,
      action:
        "read the families' retention-summary notifications (FAILED lines) or the sweep function's logs",
    });
  }
  for (const { family, versions } of run.blocked) {
    for (const version of versions) {
      findings.push({
        kind: "retirement-blocked",
        family,
        version,
        message: `${family} v${version} is not retired: its references could not be read (it may be in use)`,
        action:
          "check the sweep role may call ec2:DescribeImageReferences in every managed region and that it is not throttled; the next sweep tries again",
      });
    }
  }
  return findings;
}

function deadLetterFinding(queue: QueueDepth): Finding {
  return {
    kind: "dead-letters",
    message: `${queue.messages} message(s) in the ${queue.label} dead-letter queue`,
    action: `read them (aws sqs receive-message --queue-url ${queue.url}), fix the cause, then redrive them (aws sqs start-message-move-task)`,
  };
}

function alarmFinding(alarm: AlarmInAlarm): Finding {
  return {
    kind: "alarm",
    message: `alarm ${alarm.name} is in ALARM since ${alarm.since}: ${alarm.reason}`,
    action: "see the alarm's metric; the dead-letter and sweep findings usually name the cause",
  };
}

function copyFindings(
  families: StatusInput["config"]["families"],
  versions: StatusInput["versions"],
): Finding[] {
  const findings: Finding[] = [];
  for (const family of families) {
    for (const record of versions.get(family.name) ?? []) {
      if (record.stage !== "active") continue;
      for (const [region, image] of Object.entries(record.regions)) {
        if (image.role !== "copy") continue;
        if (image.state === "failed") {
          findings.push({
            kind: "copy-failed",
            family: family.name,
            version: record.version,
            region,
            message: `${family.name} v${record.version} copy to ${region} failed after ${image.copyAttempts} attempt(s): ${image.failureReason ?? image.copyRefused ?? "no reason recorded"}`,
            action:
              image.copyAttempts >= family.maxCopyAttempts
                ? `check the KMS key of ${region} in copyTo (it must exist there and allow the copy); maxCopyAttempts (${family.maxCopyAttempts}) is used up, so the sweep will not retry: fix the key and build the next version, or copy this one by hand`
                : `check the KMS key of ${region} in copyTo (it must exist there and allow the copy); the next sweep retries it`,
          });
        } else if (image.state === "copy-waiting") {
          findings.push({
            kind: "copy-waiting",
            family: family.name,
            version: record.version,
            region,
            message: `${family.name} v${record.version} copy to ${region} is waiting (concurrent copy quota or throttling)`,
            action:
              "nothing if it clears: the next sweep starts it; if it stays, ask for a higher CopyImage quota in that region",
          });
        }
      }
    }
  }
  return findings;
}

function pointerFindings(input: StatusInput): Finding[] {
  const findings: Finding[] = [];
  for (const pointer of input.pointers) {
    const versions = input.versions.get(pointer.family) ?? [];
    const expected = latestVersionIn(versions, pointer.region);
    const imageId = expected?.regions[pointer.region]?.imageId;
    if (!expected || !imageId || pointer.imageId === imageId) continue;
    findings.push({
      kind: "pointer-disagrees",
      family: pointer.family,
      version: expected.version,
      region: pointer.region,
      message: `${pointer.name} in ${pointer.region} holds ${pointer.imageId ?? "nothing"}, the registry's latest is v${expected.version} (${imageId})`,
      action: `the next sweep puts it back; to choose the version yourself: ami-lifecycle promote ${pointer.family} latest ${expected.version}`,
    });
  }
  return findings;
}

/** The regions whose `latest` pointer status reads for a family. */
export function pointerRegions(versions: readonly VersionRecord[]): string[] {
  return regionsOf(versions);
}
