import {
  type Config,
  type FamilyConfig,
  requestedCapIssues,
  type SweepPartOutcome,
} from "@ami-lifecycle/core";
import {
  type CommandSpec,
  flag,
  integerOption,
  type OptionSpec,
  stringOption,
  writeJson,
} from "../cli/command";
import { CommandFailedError, ExitCode, UsageError } from "../cli/errors";
import { type CliIo, progress } from "../cli/io";
import { planAccount } from "../planning/account-plan";
import { type PlanDocument, planDocument } from "../planning/plan-document";
import { renderPlanTable } from "../planning/plan-table";
import type { SandboxRun } from "../sandbox/run-sandbox";
import type { ServiceTarget } from "../targets/service-target";
import {
  configOption,
  dynamoEndpointOption,
  explainAwsFailure,
  jsonOption,
  type OpenedTarget,
  openTarget,
} from "./common";
import { writingTargetOptions } from "./deployment-options";
import { wantsJson } from "./output";

const sweepOptions: Record<string, OptionSpec> = {
  family: { type: "string", value: "F", description: "the family to sweep (required)" },
  "max-deletions": {
    type: "string",
    value: "N",
    description:
      "a one-off cap on deregistrations for this sweep, at most the family's retention.maxRequestedDeletions (default: its maxDeletionsPerRun)",
  },
  enforce: {
    type: "boolean",
    description: "request the sweep of the service (default: dry run, only the plan is shown)",
  },
  ...writingTargetOptions,
  ...configOption,
  ...dynamoEndpointOption,
  ...jsonOption,
};

/** What `sweep --output json` prints: the plan shown, and the request when one was made. */
export interface SweepCommandDocument {
  family: string;
  /** the cap the sweep plans with: the one-off `--max-deletions`, else the family's configured one */
  maxDeletions: number;
  capSource: "--max-deletions" | "retention.maxDeletionsPerRun";
  requested: boolean;
  plan: PlanDocument;
  /** the sandbox only: what each part of the requested sweep did (a deployed service sweeps on its own) */
  outcomes?: SweepPartOutcome[];
}

/** `sweep --family F [--max-deletions N] [--enforce]`: shows a family's plan, then requests its sweep. */
export const sweepCommand: CommandSpec = {
  name: "sweep",
  summary: "request a sweep of one family now, with a one-off deletion cap, after showing its plan",
  positionals: { min: 0, max: 0 },
  description: [
    "Shows the family's retention plan with the cap the sweep would use (the one-off --max-deletions,",
    "else the family's maxDeletionsPerRun). Dry run by default: nothing is requested. With --enforce it",
    'puts a "Family Sweep Requested" event on the service\'s bus carrying the cap; the deployed sweep',
    "checks the cap against its own config again (retention.maxRequestedDeletions, else maxDeletionsPerRun:",
    "a request can lower the cap, only the config can raise it), continues itself across invocations",
    "and counts the cap across them. The service must run in enforce mode for the sweep to change anything.",
  ].join("\n"),
  options: sweepOptions,
  examples: [
    "ami-lifecycle sweep --family payments-api --stage prod --profile ops",
    "ami-lifecycle sweep --family payments-api --max-deletions 200 --enforce --stage prod",
    "ami-lifecycle sweep --family base-al2023 --max-deletions 1 --enforce --sandbox --output json",
  ],
  async run({ values }, io) {
    const family = stringOption(values, "family");
    if (family === undefined) throw new UsageError("--family F is required", "sweep");
    const maxDeletions = integerOption(values, "max-deletions", "sweep");
    const enforce = flag(values, "enforce");
    const json = wantsJson(values, "sweep");
    const opened = await openTarget(values, "sweep", io, (config, target) =>
      // The sandbox runs its config in enforce mode, whatever the file says.
      checkSweepArguments(config, family, maxDeletions, enforce && target === "account"),
    );
    try {
      return await sweepOnTarget(opened, io, {
        family,
        enforce,
        json,
        ...(maxDeletions === undefined ? {} : { maxDeletions }),
      });
    } finally {
      await opened.service.close();
    }
  },
};

/** What one `sweep` asks of its target, its flags already checked against the config. */
export interface SweepRequest {
  family: string;
  /** `--max-deletions` */
  maxDeletions?: number;
  enforce: boolean;
  json: boolean;
}

/**
 * `sweep` once its target is open: prints the family's plan with the cap, and with `enforce` requests
 * the sweep (the sandbox's is delivered at once, and what each part did is printed).
 */
export async function sweepOnTarget(
  opened: Pick<OpenedTarget, "service" | "sandbox">,
  io: CliIo,
  request: SweepRequest,
): Promise<number> {
  const { service } = opened;
  const { family, maxDeletions } = request;
  try {
    const configured = service.config.families.find((candidate) => candidate.name === family) as FamilyConfig;
    const cap = maxDeletions ?? configured.retention.maxDeletionsPerRun;
    const plan = await planWithCap(service, configured, cap, (message) => progress(io, message));
    const document: SweepCommandDocument = {
      family,
      maxDeletions: cap,
      capSource: maxDeletions === undefined ? "retention.maxDeletionsPerRun" : "--max-deletions",
      requested: false,
      plan,
    };
    if (request.enforce) {
      if (!service.sweeps) throw new CommandFailedError(`${service.label} cannot request sweeps`);
      await service.sweeps.requestFamilySweep(
        family,
        `requested by ami-lifecycle sweep${maxDeletions === undefined ? "" : ` (max ${maxDeletions} deletions)`}`,
        maxDeletions === undefined ? {} : { maxDeletions },
      );
      document.requested = true;
      if (opened.sandbox) document.outcomes = await deliverInSandbox(opened.sandbox);
    }
    if (request.json) writeJson(io, document);
    else io.out(renderSweep(document, io));
    return ExitCode.ok;
  } catch (error) {
    throw explainAwsFailure(error) ?? error;
  }
}

/** Every flag checked against the config before anything starts; each error names its flag. */
function checkSweepArguments(
  config: Config,
  family: string,
  maxDeletions: number | undefined,
  enforceOnAccount: boolean,
): void {
  const configured = config.families.find((candidate) => candidate.name === family);
  if (!configured)
    throw new UsageError(
      `--family ${family} is not a configured family (${config.families.map((f) => f.name).join(", ")})`,
      "sweep",
    );
  if (maxDeletions !== undefined) {
    const [issue] = requestedCapIssues(config, [family], maxDeletions, "--max-deletions");
    if (issue) throw new UsageError(`--max-deletions ${issue.message}`, "sweep");
  }
  if (enforceOnAccount && config.mode !== "enforce")
    throw new UsageError(
      `--enforce: the config's mode is "${config.mode}", so the sweep would only report; set mode "enforce" and deploy`,
      "sweep",
    );
}

/** The family's plan as the requested sweep would make it: its versions, with the cap it would use. */
async function planWithCap(
  service: ServiceTarget,
  family: FamilyConfig,
  maxDeletions: number,
  onProgress: (message: string) => void,
): Promise<PlanDocument> {
  const capped = { ...family, retention: { ...family.retention, maxDeletionsPerRun: maxDeletions } };
  const config = { ...service.config, families: [capped] };
  const now = service.clock.now();
  const plan = await planAccount({
    config,
    registry: service.registry,
    images: service.images,
    now,
    onProgress,
  });
  return planDocument(plan, { config, plannedAt: now, source: service.kind });
}

/** Delivers the sandbox's pending events (the request, then each continuation) and returns the sweep's parts. */
async function deliverInSandbox(sandbox: SandboxRun): Promise<SweepPartOutcome[]> {
  const deliveries = await sandbox.session.deployment.pump();
  const parts = deliveries.filter((delivery) => delivery.rule === "retention-sweep");
  const failed = parts.find((delivery) => delivery.error !== undefined);
  if (failed)
    throw new CommandFailedError(
      `the sandbox's sweep failed: ${failed.error instanceof Error ? failed.error.message : String(failed.error)}`,
    );
  return parts.map((delivery) => delivery.result as SweepPartOutcome);
}

function renderSweep(document: SweepCommandDocument, io: Pick<CliIo, "color">): string {
  const lines = [renderPlanTable(document.plan, io).trimEnd(), ""];
  const cap = `at most ${document.maxDeletions} deregistration(s) (${document.capSource})`;
  if (!document.requested) {
    lines.push(
      `dry run: nothing requested; add --enforce to request this sweep of ${document.family}, ${cap}`,
    );
    return `${lines.join("\n")}\n`;
  }
  lines.push(`requested a sweep of ${document.family}, ${cap}`);
  for (const outcome of document.outcomes ?? []) lines.push(`  ${describeOutcome(outcome)}`);
  if (!document.outcomes)
    lines.push("the service sweeps it now; the family's retention summary tells the team what it did");
  return `${lines.join("\n")}\n`;
}

function describeOutcome(outcome: SweepPartOutcome): string {
  if (outcome.outcome === "rejected")
    return `rejected: ${outcome.issues.map((issue) => `${issue.path}: ${issue.message}`).join("; ")}`;
  if (outcome.outcome === "skipped") return `part ${outcome.run.part}: skipped (${outcome.reason})`;
  const steps = outcome.families.map((family) => `${family.family} ${family.applied} step(s) applied`);
  return `part ${outcome.run.part}: ${steps.join(", ")}${outcome.run.continued ? ", continued in the next invocation" : ""}`;
}
