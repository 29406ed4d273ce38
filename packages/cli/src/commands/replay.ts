import { existsSync } from "node:fs";
import { resolve } from "node:path";
import { configFileName } from "@ami-lifecycle/core";
import { type CommandSpec, flag, type OptionValues, stringOption, writeJson } from "../cli/command";
import { ExitCode, UsageError } from "../cli/errors";
import { type CliIo, paint, progress } from "../cli/io";
import type { ReplayResult } from "../replay/replay-story";
import { sandboxConfig } from "../sandbox/sandbox-config";
import { renderTimeline, statusStyles } from "../sandbox/sandbox-document";
import type { TimelineEntry } from "../sandbox/timeline";
import { configOption, dynamoEndpointOption, jsonOption, loadConfigOption } from "./common";
import { resolveDeploymentTarget, stageOptions } from "./deployment-options";
import { wantsJson } from "./output";

/** `replay <event.json…>`: events through the real handlers. */
export const replayCommand: CommandSpec = {
  name: "replay",
  summary: "run events through the real handlers and show each one's outcome",
  arguments: "<event.json…>",
  positionals: { min: 1, max: 1000 },
  description: [
    "Each file holds one EventBridge event or an array of them (a directory means its *.json files).",
    "By default the events run against the sandbox: a fresh simulated account seeded so the events' images",
    "exist (names, tags, lineage and last state taken from the events), DynamoDB Local, and the deployed",
    "rules' patterns in front of the real handlers. With --stage they run against a deployed",
    "service instead, and then --dry-run is required: EC2, the registry and SNS are read but never",
    "written; what the service would do is printed. Each event is rejected (with the field paths),",
    "ignored (with the reason) or recorded (with the actions). Exits 1 if a handler failed.",
  ].join("\n"),
  options: {
    "dry-run": {
      type: "boolean",
      description: "against a deployed service: read only, print what would be done (required there)",
    },
    ...stageOptions,
    "registry-table": {
      type: "string",
      value: "NAME",
      description: "experts: the registry table's physical name, instead of --stage (with --dry-run)",
    },
    ...configOption,
    ...dynamoEndpointOption,
    ...jsonOption,
  },
  examples: [
    "ami-lifecycle replay test/fixtures/events/*.json",
    "ami-lifecycle replay missed-events.json --stage prod --profile ops --dry-run",
  ],
  async run({ values, positionals }, io) {
    if (values.stage !== undefined || values["registry-table"] !== undefined) {
      if (!flag(values, "dry-run"))
        throw new UsageError(
          "against a deployed service replay needs --dry-run (it never writes to a real account)",
          "replay",
        );
      const { config } = loadConfigOption(values, io);
      const target = await resolveDeploymentTarget(values, "replay", config);
      const { replayAgainstAccount } = await import("./replay-account");
      const results = await replayAgainstAccount(positionals, io, {
        config: target.region === config.homeRegion ? config : { ...config, homeRegion: target.region },
        registryTable: target.registryTable,
        ...(target.profile ? { profile: target.profile } : {}),
      });
      return printResults(results, [], values, io, "account (dry-run)");
    }
    for (const accountOnly of ["profile", "region"]) {
      if (values[accountOnly] !== undefined)
        throw new UsageError(`--${accountOnly} applies with --stage (or --registry-table)`, "replay");
    }
    const config = replayConfig(values, io);
    const { prepareReplay } = await import("../replay/replay-story");
    const { runSandbox } = await import("../sandbox/run-sandbox");
    const prepared = prepareReplay(positionals, io);
    progress(io, `replaying ${prepared.events.length} event(s) in the sandbox`);
    const endpoint = stringOption(values, "dynamodb-endpoint");
    const run = await runSandbox({
      config,
      story: prepared.story,
      startAt: prepared.startAt,
      ...(endpoint ? { dynamoEndpoint: endpoint } : {}),
      onProgress: (message) => progress(io, message),
    });
    try {
      const replayed = new Set(prepared.results.map((result) => result.eventId));
      const followUps = run.session.timeline.filter(
        (entry) => entry.kind === "event" && !isReplayed(entry, replayed, prepared.results),
      );
      return printResults(prepared.results, followUps, values, io, "sandbox");
    } finally {
      await run.session.stop();
    }
  },
};

function printResults(
  results: readonly ReplayResult[],
  followUps: readonly TimelineEntry[],
  values: Record<string, unknown>,
  io: CliIo,
  target: string,
): number {
  const failed = results.filter((result) => result.status === "failed").length;
  if (wantsJson(values as OptionValues, "replay")) {
    writeJson(io, { target, results, followUps });
  } else {
    const lines = results.map(
      (result) =>
        `${paint(io, "bold", `${shortFile(result.file)}${result.index > 0 ? `[${result.index}]` : ""}`)}  ${result.event}\n  ${paint(io, statusStyles[result.status], `${result.status === "ok" ? "ok: " : ""}${result.outcome}`)}`,
    );
    io.out(`Replayed ${results.length} event(s) against the ${target}\n\n${lines.join("\n")}\n`);
    if (followUps.length > 0)
      io.out(`\nWhat the service's own actions then caused:\n${renderTimeline(followUps, io)}\n`);
  }
  if (failed > 0) {
    io.err(`${failed} event(s) failed in their handler (they would go to the dead-letter queue)\n`);
    return ExitCode.failure;
  }
  return ExitCode.ok;
}

function replayConfig(values: Record<string, string | boolean | string[] | undefined>, io: CliIo) {
  if (values.config !== undefined || existsSync(resolve(io.cwd, configFileName)))
    return loadConfigOption(values, io).config;
  progress(io, `no ./${configFileName}: using the sandbox's built-in config`);
  return sandboxConfig();
}

function isReplayed(entry: TimelineEntry, ids: ReadonlySet<string | null>, results: readonly ReplayResult[]) {
  return results.some(
    (result) => result.time !== null && entry.event === result.event && ids.has(result.eventId),
  );
}

function shortFile(file: string): string {
  return file.split(/[\\/]/).at(-1) ?? file;
}
