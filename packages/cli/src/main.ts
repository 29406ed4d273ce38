/**
 * Entry point of the operator CLI (`ami-lifecycle`, `npm run sandbox`). The handlers log through
 * Powertools, which writes JSON to stdout: keep it quiet unless the user asked for logs, so stdout
 * carries only the command's output. Set before anything imports Powertools.
 */
process.env.POWERTOOLS_LOG_LEVEL ??= "SILENT";
process.env.POWERTOOLS_METRICS_DISABLED ??= "true";
process.env.POWERTOOLS_TRACE_ENABLED ??= "false";
process.env.POWERTOOLS_DEV ??= "false";
// The SDK's notice about future Node versions is for the maintainers, not for each command's stderr.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= "true";

// Node ends on SIGINT/SIGTERM without running `exit` listeners, the hook that stops a DynamoDB Local the
// command started: exit explicitly, with the shell's 128 + signal number.
for (const [signal, number] of [
  ["SIGINT", 2],
  ["SIGTERM", 15],
] as const) {
  process.once(signal, () => process.exit(128 + number));
}

const { runCli } = await import("./cli");
const { colorWanted } = await import("./cli/io");

const io = {
  out: (text: string) => process.stdout.write(text),
  err: (text: string) => process.stderr.write(text),
  color: colorWanted(process.stdout.isTTY, process.env),
  cwd: process.cwd(),
};

process.exitCode = await runCli(process.argv.slice(2), io, "0.1.0");

export {};
