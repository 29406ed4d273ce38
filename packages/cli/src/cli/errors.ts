/** Exit codes the CLI promises: scripts may rely on them. */
export const ExitCode = {
  ok: 0,
  /** the command ran and found a problem (invalid config, AWS error, a failed sandbox run) */
  failure: 1,
  /** the command line itself is wrong (unknown command or flag, missing argument) */
  usage: 2,
} as const;

/** The command line is wrong; the CLI prints the message and the command's usage, then exits 2. */
export class UsageError extends Error {
  override name = "UsageError";
  constructor(
    message: string,
    /** the command whose usage is shown (the top-level usage when undefined) */
    readonly command?: string,
  ) {
    super(message);
  }
}

/** The command failed for a reason the user can act on; `hint` says what to do next. Exits 1. */
export class CommandFailedError extends Error {
  override name = "CommandFailedError";
  constructor(
    message: string,
    readonly hint?: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}
