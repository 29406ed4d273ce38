import { type CommandSpec, stringOption, writeJson } from "../cli/command";
import { ExitCode, UsageError } from "../cli/errors";
import { paint, progress } from "../cli/io";
import { renderSandbox, sandboxDocument } from "../sandbox/sandbox-document";
import { configOption, dynamoEndpointOption, jsonOption, loadConfigOption } from "./common";
import { wantsJson } from "./output";
import { writeReportFile } from "./report";

/** `sandbox`: the whole lifecycle locally, through the real handlers. */
export const sandboxCommand: CommandSpec = {
  name: "sandbox",
  summary: "run the service locally over a simulated account and show what it does, day by day",
  positionals: { min: 0, max: 0 },
  description: [
    "Starts DynamoDB Local and a simulated AWS account in three regions, deploys the real handlers behind",
    "the deployed rules' event patterns, and plays a scenario over nine simulated days: pipeline builds of",
    "two families, encrypted copies (one region's KMS key is bad), a person's manual copy, an instance, a",
    "launch template and an SSM parameter on old versions, and daily sweeps. The sandbox runs a copy of the",
    "config in enforce mode so retirement is visible. Prints the timeline, the registry, the notifications",
    "sent and the last sweep. With --events DIR it replays your own events instead (see `replay`).",
  ].join("\n"),
  options: {
    events: {
      type: "string",
      value: "DIR",
      description: "replay the *.json events of DIR (in time order) instead of the built-in scenario",
    },
    ...configOption,
    out: { type: "string", value: "FILE", description: "also write the HTML report of the run to FILE" },
    // `--out FILE` is the name every command uses for a file it writes; `--report` was this one's first.
    report: { type: "string", value: "FILE", description: "alias of --out" },
    ...dynamoEndpointOption,
    ...jsonOption,
  },
  examples: [
    "ami-lifecycle sandbox",
    "ami-lifecycle sandbox --json > run.json",
    "ami-lifecycle sandbox --events ./my-events",
    "ami-lifecycle sandbox --out sandbox-report.html",
  ],
  async run({ values }, io) {
    const eventsDir = stringOption(values, "events");
    if (values.config !== undefined && !eventsDir)
      throw new UsageError(
        "--config applies with --events (the built-in scenario has its own config)",
        "sandbox",
      );
    const endpoint = stringOption(values, "dynamodb-endpoint");
    const config = eventsDir ? loadConfigOption(values, io).config : undefined;
    const started = Date.now();
    // Loaded on demand: the AWS SDK, Powertools and the handlers make startup slow for light commands.
    const { runSandbox } = await import("../sandbox/run-sandbox");
    const replay = eventsDir
      ? (await import("../replay/replay-story")).replayStory(eventsDir, io)
      : undefined;
    const run = await runSandbox({
      ...(endpoint ? { dynamoEndpoint: endpoint } : {}),
      ...(config ? { config } : {}),
      ...(replay ? replay : {}),
      onProgress: (message) => progress(io, message),
    });
    try {
      const document = await sandboxDocument(run);
      const reportPath = stringOption(values, "out") ?? stringOption(values, "report");
      if (reportPath) await writeReportFile(run, reportPath, io);
      if (wantsJson(values, "sandbox")) writeJson(io, document);
      else io.out(renderSandbox(document, io));
      const seconds = ((Date.now() - started) / 1000).toFixed(1);
      if (document.deadLetters.length > 0) {
        io.err(
          `${paint(io, "red", "sandbox failed")}: ${document.deadLetters.length} event(s) failed every attempt (see Dead letters); rerun with --json for the handlers' errors\n`,
        );
        return ExitCode.failure;
      }
      progress(io, `sandbox finished in ${seconds} s`);
      return ExitCode.ok;
    } finally {
      await run.session.stop();
    }
  },
};
