import type { Config } from "@ami-lifecycle/core";
import { CommandFailedError } from "../cli/errors";
import type { CliIo } from "../cli/io";
import type { ReplayResult } from "../replay/replay-story";

/** Where a dry-run replay reads from. */
export interface AccountReplayTarget {
  config: Config;
  registryTable: string;
  profile?: string;
}

/** Replays events against a deployed service without writing anything. */
export async function replayAgainstAccount(
  paths: readonly string[],
  io: CliIo,
  target: AccountReplayTarget,
): Promise<ReplayResult[]> {
  void paths;
  void io;
  void target;
  throw new CommandFailedError(
    "dry-run replay against an account is not available yet",
    "replay against the sandbox",
  );
}
