import type { Config, FamilyPlan, VersionRecord } from "@ami-lifecycle/core";
import { type CliIo, paint, type Style } from "../cli/io";
import { renderTable } from "../cli/table";
import { readRegistry, renderVersionsTable } from "../planning/registry-view";
import type { SandboxRun } from "./run-sandbox";
import type { ScheduledSweepRecord } from "./session";
import type { TimelineEntry, TimelineStatus } from "./timeline";

/** One SNS message the service published. */
export interface SentNotification {
  time: string;
  eventType: string;
  family: string;
  team: string;
  severity: string;
  region: string;
  subject: string;
}

/** The `sandbox --json` document: stable, documented in docs/cli.md. */
export interface SandboxDocument {
  /** the mode of the config the sandbox copied; the run itself is always enforce */
  configMode: Config["mode"];
  mode: "enforce";
  regions: string[];
  startedAt: string;
  endedAt: string;
  timeline: TimelineEntry[];
  registry: { family: string; team: string; versions: VersionRecord[] }[];
  notifications: SentNotification[];
  /** the result of the last scheduled sweep, when the sandbox ran sweeps */
  lastSweep: { time: string; outcome: string; result?: unknown; plan: string[] } | null;
  /** events whose handler failed every attempt (Lambda would send them to the DLQ) */
  deadLetters: { event: string; error: string }[];
}

/** Gathers what a sandbox run did into one document. */
export async function sandboxDocument(run: SandboxRun): Promise<SandboxDocument> {
  const { session } = run;
  const { deployment } = session;
  const registry = await readRegistry(deployment.operatorRuntime.reactions.registry, session.config);
  const notifications = session.account.published(deployment.topicArn).map((message) => {
    const attribute = (name: string) => message.messageAttributes[name]?.StringValue ?? "";
    return {
      time: message.publishedAt.toISOString(),
      eventType: attribute("eventType"),
      family: attribute("family"),
      team: attribute("team"),
      severity: attribute("severity"),
      region: attribute("region"),
      subject: message.subject ?? "",
    };
  });
  const last = session.sweeps.at(-1);
  return {
    configMode: run.originalMode,
    mode: "enforce",
    regions: session.config.regions,
    startedAt: session.timeline[0]?.time ?? session.now().toISOString(),
    endedAt: session.now().toISOString(),
    timeline: session.timeline,
    registry,
    notifications,
    lastSweep: last ? lastSweepOf(last, session.timeline) : null,
    deadLetters: deployment.deadLetters.map((delivery) => ({
      event: delivery.event.id,
      error: delivery.error instanceof Error ? delivery.error.message : String(delivery.error),
    })),
  };
}

/** How a timeline entry's status is painted on a terminal. */
export const statusStyles: Record<TimelineStatus, Style> = {
  ok: "green",
  ignored: "dim",
  rejected: "yellow",
  failed: "red",
  unrouted: "dim",
};

/** The sandbox run as a person reads it: the timeline, the registry, the notifications, the last sweep. */
export function renderSandbox(document: SandboxDocument, io: Pick<CliIo, "color">): string {
  const blocks: string[] = [];
  blocks.push(
    [
      paint(io, "bold", "ami-lifecycle sandbox"),
      `A simulated account in ${document.regions.join(", ")}, DynamoDB Local, and the real handlers behind the deployed rules' event patterns.`,
      `Mode: enforce, on a copy of the config (its own mode is ${document.configMode}) so retirement is visible. Simulated time ${shortTime(document.startedAt)} → ${shortTime(document.endedAt)}.`,
    ].join("\n"),
  );
  blocks.push(
    `${paint(io, "bold", "Timeline")} (simulated time, region, what happened; ↳ what the service did)\n${renderTimeline(document.timeline, io)}`,
  );
  blocks.push(
    `${paint(io, "bold", "Registry")}\n${document.registry
      .map((family) => renderVersionsTable(family, document.regions, io, new Date(document.endedAt)))
      .join("\n\n")}`,
  );
  blocks.push(
    `${paint(io, "bold", `Notifications sent (${document.notifications.length})`)}\n${renderTable(
      ["TIME", "TEAM", "TYPE", "SUBJECT"],
      document.notifications.map((message) => [
        shortTime(message.time),
        message.team,
        message.eventType,
        message.subject,
      ]),
    )}`,
  );
  if (document.lastSweep) {
    blocks.push(
      `${paint(io, "bold", `Last sweep (${shortTime(document.lastSweep.time)})`)}\n${document.lastSweep.outcome}`,
    );
  }
  if (document.deadLetters.length > 0) {
    blocks.push(
      paint(
        io,
        "red",
        `Dead letters (${document.deadLetters.length})\n${document.deadLetters.map((letter) => `  ${letter.event}: ${letter.error}`).join("\n")}`,
      ),
    );
  }
  return `${blocks.join("\n\n")}\n`;
}

/** Two lines per entry: what happened, then (indented) what the service did, so long outcomes stay readable. */
export function renderTimeline(timeline: readonly TimelineEntry[], io: Pick<CliIo, "color">): string {
  const regionWidth = Math.max(...timeline.map((entry) => entry.region.length), 6);
  const indent = " ".repeat(16 + 2 + regionWidth + 2);
  return timeline
    .map((entry) => {
      const what = entry.kind === "event" ? entry.event : paint(io, "bold", entry.event);
      const head = `${shortTime(entry.time)}  ${entry.region.padEnd(regionWidth)}  ${what}`;
      const outcome = entry.outcome
        .split("\n")
        .filter((line) => line.length > 0)
        .map((line) => `${indent}${paint(io, statusStyles[entry.status], `↳ ${line}`)}`);
      return [head, ...outcome].join("\n");
    })
    .join("\n");
}

/** `2026-11-20T10:14:51.000Z` → `2026-11-20 10:14`. */
export function shortTime(iso: string): string {
  return iso.replace("T", " ").slice(0, 16);
}

function lastSweepOf(
  sweep: ScheduledSweepRecord,
  timeline: readonly TimelineEntry[],
): NonNullable<SandboxDocument["lastSweep"]> {
  const entry = timeline.filter((candidate) => candidate.kind === "sweep").at(-1);
  return {
    time: sweep.time,
    outcome: entry?.outcome ?? "",
    ...(sweep.invocation.result !== undefined ? { result: sweep.invocation.result } : {}),
    plan: sweep.plan.plans.map((familyPlan: FamilyPlan) => familyPlan.summary.text),
  };
}
