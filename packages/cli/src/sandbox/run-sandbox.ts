import type { Config } from "@ami-lifecycle/core";
import { enforcedCopy, sandboxConfig, sandboxRegions } from "./sandbox-config";
import { runBuiltInScenario } from "./scenario";
import { SandboxSession } from "./session";
import { sandboxSweepHandler, scheduledSweep } from "./sweep";

/** Options of a sandbox run. */
export interface SandboxRunOptions {
  dynamoEndpoint?: string;
  onProgress?: (message: string) => void;
  /** replays these instead of the built-in scenario */
  story?: (session: SandboxSession) => Promise<void>;
  /** where the simulated clock starts (the story's first event) */
  startAt?: Date;
  /** the config to run under (default: the built-in sandbox config); always run as an enforce-mode copy */
  config?: Config;
}

/** A finished sandbox run; the caller reads it, then stops the session. */
export interface SandboxRun {
  session: SandboxSession;
  /** the mode of the config before the sandbox forced enforce */
  originalMode: Config["mode"];
}

/**
 * Deploys the service locally over a fresh simulated account and plays the story (the built-in
 * scenario or the caller's), with daily sweeps, in enforce mode so retirement is visible.
 */
export async function runSandbox(options: SandboxRunOptions = {}): Promise<SandboxRun> {
  const original = options.config ?? sandboxConfig();
  const session = await SandboxSession.start({
    config: enforcedCopy(original),
    regions: options.config ? original.regions : sandboxRegions,
    ...(options.dynamoEndpoint ? { dynamoEndpoint: options.dynamoEndpoint } : {}),
    ...(options.onProgress ? { onProgress: options.onProgress } : {}),
    ...(options.startAt ? { startAt: options.startAt } : {}),
    ...(sandboxSweepHandler ? { sweepHandler: sandboxSweepHandler } : {}),
  });
  try {
    if (options.story) await options.story(session);
    else await runBuiltInScenario(session, scheduledSweep);
  } catch (error) {
    await session.stop();
    throw error;
  }
  return { session, originalMode: original.mode };
}
