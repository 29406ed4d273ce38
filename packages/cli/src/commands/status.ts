import { readStatus, type ServiceStatus } from "@ami-lifecycle/core";
import { type CommandSpec, flag, type OptionValues, stringOption, writeJson } from "../cli/command";
import { ExitCode, UsageError } from "../cli/errors";
import { type CliIo, paint, progress } from "../cli/io";
import { configOption, dynamoEndpointOption, explainAwsFailure, openTarget } from "./common";
import { stageOptions } from "./deployment-options";
import { outputFormat, outputOption } from "./output";

const storyNames = ["default", "quiet"] as const;

/** `status`: is the service healthy, when did it last sweep, is anything stuck; exit 1 when something needs attention. */
export const statusCommand: CommandSpec = {
  name: "status",
  summary:
    "show whether the service needs attention: last sweep, dead letters, alarms, stuck copies, pointers",
  positionals: { min: 0, max: 0 },
  description: [
    "Reads a deployed service (or the sandbox with --sandbox) and prints: the last scheduled sweep (when,",
    "mode, result, failures) and the next one, messages waiting in each dead-letter queue, alarms in ALARM,",
    "copies failed or waiting for quota, `latest` pointers that disagree with the registry, versions blocked",
    "from retiring because their references could not be read, and what to do about each.",
    "Exits 1 when anything needs attention, so a pipeline can run it. Reads only; changes nothing.",
  ].join("\n"),
  options: {
    sandbox: { type: "boolean", description: "run a sandbox story first, then look at the sandbox" },
    "sandbox-story": {
      type: "string",
      value: "NAME",
      description: "with --sandbox: default (the nine-day story) or quiet (one build, one sweep)",
    },
    "sandbox-fault": {
      type: "string",
      multiple: true,
      value: "FAULT",
      description: "with --sandbox: add trouble after the story: dead-letter or alarm (repeatable)",
    },
    ...stageOptions,
    "registry-table": {
      type: "string",
      value: "NAME",
      description: "experts: the registry table's physical name, instead of --stage (wins over it)",
    },
    "dead-letter-queue": {
      type: "string",
      multiple: true,
      value: "URL",
      description: "experts: a dead-letter queue URL (repeatable; replaces the stage's queues)",
    },
    alarm: {
      type: "string",
      multiple: true,
      value: "NAME",
      description: "experts: an alarm name (repeatable; replaces the stage's alarms)",
    },
    ...configOption,
    ...dynamoEndpointOption,
    ...outputOption,
  },
  examples: [
    "ami-lifecycle status --sandbox --sandbox-story quiet",
    "ami-lifecycle status --sandbox --sandbox-fault dead-letter --output json",
    "ami-lifecycle status --stage prod --profile ops",
    "ami-lifecycle status --stage prod --region us-east-1 --output json",
  ],
  async run({ values }, io) {
    const format = outputFormat(values, "status");
    const status = flag(values, "sandbox")
      ? await sandboxStatus(values, io)
      : await accountStatus(values, io);
    if (format === "json") writeJson(io, status);
    else io.out(`${renderStatus(status, io)}\n`);
    return status.healthy ? ExitCode.ok : ExitCode.failure;
  },
};

async function sandboxStatus(values: OptionValues, io: CliIo): Promise<ServiceStatus & { target: string }> {
  for (const accountOnly of ["stage", "profile", "region", "registry-table", "dead-letter-queue", "alarm"]) {
    if (values[accountOnly] !== undefined)
      throw new UsageError(`--${accountOnly} applies to a deployed service, not with --sandbox`, "status");
  }
  const story = stringOption(values, "sandbox-story") ?? "default";
  if (!(storyNames as readonly string[]).includes(story)) {
    throw new UsageError(`--sandbox-story must be ${storyNames.join(" or ")}, got "${story}"`, "status");
  }
  const { injectFaults, quietStory, sandboxFaults } = await import("../sandbox/status-story");
  const faults = (values["sandbox-fault"] as string[] | undefined) ?? [];
  for (const fault of faults) {
    if (!(sandboxFaults as readonly string[]).includes(fault))
      throw new UsageError(`--sandbox-fault must be ${sandboxFaults.join(" or ")}, got "${fault}"`, "status");
  }
  const endpoint = stringOption(values, "dynamodb-endpoint");
  progress(io, `running the sandbox (${story} story)`);
  const { runSandbox } = await import("../sandbox/run-sandbox");
  const { sandboxStatusSources } = await import("../targets/status-sources");
  const { session } = await runSandbox({
    ...(endpoint ? { dynamoEndpoint: endpoint } : {}),
    ...(story === "quiet" ? { story: quietStory } : {}),
    onProgress: (message) => progress(io, message),
  });
  try {
    await injectFaults(session, faults as Parameters<typeof injectFaults>[1]);
    const sources = sandboxStatusSources(session);
    try {
      return { target: "sandbox (simulated account 111122223333)", ...(await readStatus(sources.deps)) };
    } finally {
      sources.close();
    }
  } finally {
    await session.stop();
  }
}

async function accountStatus(values: OptionValues, io: CliIo): Promise<ServiceStatus & { target: string }> {
  for (const sandboxOnly of ["sandbox-story", "sandbox-fault"]) {
    if (values[sandboxOnly] !== undefined) throw new UsageError(`--${sandboxOnly} needs --sandbox`, "status");
  }
  const { service, target } = await openTarget(values, "status", io);
  const { accountOperations, accountSweepRuns } = await import("../targets/status-sources");
  const descriptor = target?.descriptor;
  const givenQueues = (values["dead-letter-queue"] as string[] | undefined)?.map((url) => ({
    label: url.split("/").at(-1) ?? url,
    url,
  }));
  const stageQueues = Object.entries(descriptor?.deadLetterQueues ?? {}).map(([label, url]) => ({
    label,
    url,
  }));
  const operations = accountOperations(
    service.config.homeRegion,
    {
      deadLetterQueues: givenQueues ?? stageQueues,
      alarmNames: (values.alarm as string[] | undefined) ?? descriptor?.alarmNames ?? [],
    },
    target?.profile,
  );
  const sweepRuns = accountSweepRuns(service.config.homeRegion, target?.registryTable ?? "", target?.profile);
  // The next sweep follows the schedule the stage was deployed with, not the local config's.
  const config = descriptor
    ? {
        ...service.config,
        sweep: {
          ...service.config.sweep,
          schedule: descriptor.schedule.expression,
          timezone: descriptor.schedule.timezone,
        },
      }
    : service.config;
  try {
    const status = await readStatus({
      config,
      clock: service.clock,
      registry: service.registry,
      pointers: service.pointers,
      operations: operations.reader,
      lastSweep: () => sweepRuns.log.last(),
    });
    return { target: descriptor ? `stage ${descriptor.stage} (${service.label})` : service.label, ...status };
  } catch (error) {
    throw explainAwsFailure(error) ?? error;
  } finally {
    operations.close();
    sweepRuns.close();
    await service.close();
  }
}

/** The status as a few labelled lines, then the findings with what to do. */
export function renderStatus(status: ServiceStatus & { target: string }, io: CliIo): string {
  const last = status.lastSweep;
  const lines = [
    `${paint(io, "bold", "Status")} of ${status.target} at ${status.checkedAt} (mode ${status.mode})`,
    "",
    `Last sweep     ${last ? `${last.at}  ${last.result}, ${last.failures} failure(s)` : "none recorded"}`,
    `Next sweep     ${status.nextSweep.at ?? "see schedule"}  (${status.nextSweep.schedule} ${status.nextSweep.timezone})`,
    `Dead letters   ${status.deadLetters.map((queue) => `${queue.label} ${queue.messages}`).join(", ") || "no queue given"}`,
    `Alarms         ${status.alarms.length === 0 ? "none in ALARM" : status.alarms.map((alarm) => alarm.name).join(", ")}`,
    "",
  ];
  if (status.healthy) return [...lines, paint(io, "green", "Healthy: nothing needs attention.")].join("\n");
  const findings = status.findings.flatMap((finding) => [
    `  ${paint(io, "yellow", finding.kind)}  ${finding.message}`,
    `    → ${finding.action}`,
  ]);
  return [...lines, paint(io, "red", `Needs attention (${status.findings.length})`), ...findings].join("\n");
}
