import { writeFileSync } from "node:fs";
import { resolve } from "node:path";
import { type CommandSpec, stringOption } from "../cli/command";
import { CommandFailedError, ExitCode, UsageError } from "../cli/errors";
import { type CliIo, progress } from "../cli/io";
import { readRegistry } from "../planning/registry-view";
import { renderReport } from "../report/render-report";
import type { SandboxRun } from "../sandbox/run-sandbox";
import { type ServiceTarget, sandboxTarget } from "../targets/service-target";
import { explainAwsFailure, openTarget, targetOptions } from "./common";
import { planTarget } from "./plan";

/** `report --out report.html`: a self-contained HTML page of the registry and the latest plan. */
export const reportCommand: CommandSpec = {
  name: "report",
  summary:
    "write a self-contained HTML report: storage and cost, version lifelines, why each is kept, the plan",
  positionals: { min: 0, max: 0 },
  description: [
    "Renders one HTML file (inline CSS and SVG charts, no scripts, no external assets) to open in a",
    "browser or attach to a ticket: snapshot storage and its monthly cost per family and region, now and",
    "over time; per family, the version lifelines and every version in every region with its image state,",
    "the version's stage and the reason it is kept (or the next retirement step); then the latest plan.",
    "Reads a deployed service like `plan`, or the sandbox with --sandbox (which adds the sandbox's",
    "timeline as lifelines with its events under them).",
  ].join("\n"),
  options: {
    out: { type: "string", value: "FILE", description: "where to write the HTML (required)" },
    ...targetOptions,
  },
  examples: [
    "ami-lifecycle report --sandbox --out report.html",
    "ami-lifecycle report --stage prod --profile ops --out ami-report.html",
  ],
  async run({ values }, io) {
    const out = stringOption(values, "out");
    if (!out) throw new UsageError("--out FILE is required (where to write the HTML)", "report");
    const { service, sandbox } = await openTarget(values, "report", io);
    try {
      const html = await reportHtml(service, sandbox, (message) => progress(io, message));
      writeHtml(resolve(io.cwd, out), html);
      io.out(`wrote ${resolve(io.cwd, out)} (${Math.round(html.length / 1024)} KiB)\n`);
      return ExitCode.ok;
    } catch (error) {
      throw explainAwsFailure(error) ?? error;
    } finally {
      await service.close();
    }
  },
};

/** Writes the report of a finished sandbox run (`sandbox --report FILE`). */
export async function writeReportFile(run: SandboxRun, path: string, io: CliIo): Promise<void> {
  const { session } = run;
  // The caller stops the session after the report.
  const service = sandboxTarget(session, { label: "sandbox", close: async () => {} });
  const html = await reportHtml(service, run, (message) => progress(io, message));
  writeHtml(resolve(io.cwd, path), html);
  progress(io, `wrote the report to ${resolve(io.cwd, path)}`);
}

async function reportHtml(
  service: ServiceTarget,
  sandbox: SandboxRun | undefined,
  onProgress: (message: string) => void,
): Promise<string> {
  const plan = await planTarget(service, onProgress);
  const registry = await readRegistry(service.registry, service.config);
  return renderReport({
    source: service.label,
    generatedAt: new Date().toISOString(),
    regions: service.config.regions,
    registry,
    plan,
    prices: service.config.report.snapshotPrices,
    ...(sandbox ? { timeline: sandbox.session.timeline } : {}),
  });
}

function writeHtml(path: string, html: string): void {
  try {
    writeFileSync(path, html);
  } catch (error) {
    throw new CommandFailedError(
      `cannot write ${path} (${(error as NodeJS.ErrnoException).code ?? "error"})`,
      "choose a writable path for --out",
    );
  }
}
