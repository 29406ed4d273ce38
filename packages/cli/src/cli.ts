import { type CommandSpec, commandHelp, parseCommandArgs } from "./cli/command";
import { CommandFailedError, ExitCode, UsageError } from "./cli/errors";
import { type CliIo, paint } from "./cli/io";
import { nearestName } from "./cli/suggest";
import { adoptCommand } from "./commands/adopt";
import { consumerRoleCommand } from "./commands/consumer-role";
import { planCommand } from "./commands/plan";
import { promoteCommand, rollbackCommand } from "./commands/pointers";
import { policyCommand } from "./commands/policy";
import { replayCommand } from "./commands/replay";
import { reportCommand } from "./commands/report";
import { restoreCommand } from "./commands/restore";
import { sandboxCommand } from "./commands/sandbox";
import { statusCommand } from "./commands/status";
import { sweepCommand } from "./commands/sweep";
import { validateCommand } from "./commands/validate";
import { versionsCommand } from "./commands/versions";

/** Every command, in the order `--help` lists them. */
export const commands: readonly CommandSpec[] = [
  planCommand,
  statusCommand,
  versionsCommand,
  validateCommand,
  replayCommand,
  sandboxCommand,
  reportCommand,
  rollbackCommand,
  promoteCommand,
  restoreCommand,
  adoptCommand,
  sweepCommand,
  policyCommand,
  consumerRoleCommand,
];

/** The top-level `--help`. */
export function usage(): string {
  const width = Math.max(...commands.map((command) => command.name.length));
  return [
    "Usage: ami-lifecycle <command> [options]",
    "",
    "Operate ami-lifecycle: see what the service does, before and after deploying.",
    "",
    "Commands:",
    ...commands.map((command) => `  ${command.name.padEnd(width)}  ${command.summary}`),
    "",
    "Options:",
    "  -h, --help     show help (also `ami-lifecycle <command> --help`)",
    "  --version      print the version",
    "",
    "Exit codes: 0 ok, 1 the command failed (invalid config, AWS error…), 2 wrong usage.",
    "Colour only when stdout is a terminal and NO_COLOR is unset. Progress goes to stderr.",
    "",
  ].join("\n");
}

/** Runs one command line; never throws: every error becomes a message on stderr and an exit code. */
export async function runCli(argv: readonly string[], io: CliIo, version: string): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === "--help" || name === "-h" || name === "help") {
    const topic = name === "help" ? commands.find((command) => command.name === rest[0]) : undefined;
    io.out(topic ? commandHelp(topic) : usage());
    return name === undefined ? ExitCode.usage : ExitCode.ok;
  }
  if (name === "--version") {
    io.out(`${version}\n`);
    return ExitCode.ok;
  }
  const command = commands.find((candidate) => candidate.name === name);
  try {
    if (!command) {
      const nearest = nearestName(
        name,
        commands.map((candidate) => candidate.name),
      );
      throw new UsageError(`unknown command "${name}"${nearest ? `; did you mean "${nearest}"?` : ""}`);
    }
    const input = parseCommandArgs(command, rest);
    if (input.values.help) {
      io.out(commandHelp(command));
      return ExitCode.ok;
    }
    return await command.run(input, io);
  } catch (error) {
    return report(error, io);
  }
}

function report(error: unknown, io: CliIo): number {
  const label = paint(io, "red", "error");
  if (error instanceof UsageError) {
    const spec = commands.find((command) => command.name === error.command);
    io.err(`${label}: ${error.message}\n\n${spec ? commandHelp(spec) : usage()}`);
    return ExitCode.usage;
  }
  if (error instanceof CommandFailedError) {
    io.err(
      `${label}: ${error.message}\n${error.hint ? `${paint(io, "yellow", "next")}: ${error.hint}\n` : ""}`,
    );
    return ExitCode.failure;
  }
  const message = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  io.err(
    `${label}: ${message}\n${paint(io, "yellow", "next")}: this is unexpected; rerun with AMI_LIFECYCLE_DEBUG=1 for the stack trace and report it\n`,
  );
  if (process.env.AMI_LIFECYCLE_DEBUG && error instanceof Error && error.stack) io.err(`${error.stack}\n`);
  return ExitCode.failure;
}
