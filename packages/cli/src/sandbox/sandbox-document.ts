import type { Config, VersionRecord } from "@ami-lifecycle/core";
import { type CliIo, paint, type Style } from "../cli/io";
import { renderTable } from "../cli/table";
import type { Delivery } from "../local/deployment";
import { readRegistry, renderVersionsTable } from "../planning/registry-view";
import { describeOutcome } from "./describe-delivery";
import type { SandboxRun } from "./run-sandbox";
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
  lastSweep: { time: string; outcome: string; result?: unknown } | null;
  /** events whose handler failed every attempt (Lambda would send them to the DLQ) */
  deadLetters: { event: string; error: string }[];
}

/** Gathers what a sandbox run did into one document. */
export async function sandboxDocument(run: SandboxRun): Promise<SandboxDocument> {
  const { session } = run;
  const { deployment } = session;
  const registry = await readRegistry(deployment.runtime.reactions.registry, session.config);
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
  const sweeps = deployment.deliveries.filter((delivery) => delivery.rule === "retention-sweep");
  const last = sweeps.at(-1);
  return {
    configMode: run.originalMode,
    mode: "enforce",
    regions: session.config.regions,
    startedAt: session.timeline[0]?.time ?? session.now().toISOString(),
    endedAt: session.now().toISOString(),
    timeline: session.timeline,
    registry,
    notifications,
    lastSweep: last ? lastSweepOf(last) : null,
    deadLetters: deployment.deadLetters.map((delivery) => ({
      event: delivery.event.id,
      error: delivery.error instanceof Error ? delivery.error.message : String(delivery.error),
    })),
  };
}

const statusStyles: Record<TimelineStatus, Style> = {
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
    `${paint(io, "bold", "Timeline")}\n${renderTable(
      ["TIME", "REGION", "WHAT HAPPENED", "WHAT THE SERVICE DID"],
      document.timeline.map((entry) => [
        shortTime(entry.time),
        entry.region,
        entry.kind === "event" ? entry.event : paint(io, "bold", entry.event),
        paint(io, statusStyles[entry.status], entry.outcome),
      ]),
    )}`,
  );
  blocks.push(
    `${paint(io, "bold", "Registry")}\n${document.registry
      .map((family) => renderVersionsTable(family, document.regions, io))
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

/** `2026-11-20T10:14:51.000Z` → `2026-11-20 10:14`. */
export function shortTime(iso: string): string {
  return iso.replace("T", " ").slice(0, 16);
}

function lastSweepOf(delivery: Delivery): NonNullable<SandboxDocument["lastSweep"]> {
  return {
    time: delivery.event.time,
    outcome: describeOutcome(delivery).outcome,
    ...(delivery.result !== undefined ? { result: delivery.result } : {}),
  };
}
