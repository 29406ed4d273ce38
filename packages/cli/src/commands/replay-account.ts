import {
  apiCallInput,
  type Config,
  type EventDependencies,
  InvalidEventError,
  parseAmiStateChange,
  parseImageApiCall,
  reactToImageApiCall,
  reactToImageStateChange,
  silentLog,
  stateChangeInput,
} from "@ami-lifecycle/core";
import type { CliIo } from "../cli/io";
import { progress } from "../cli/io";
import {
  DryRunImages,
  DryRunPointers,
  DryRunRegistry,
  DryRunSharing,
  dryRunOutbox,
  type Intent,
} from "../replay/dry-run-ports";
import { DryRunProtection, DryRunWatermarks } from "../replay/dry-run-protection";
import { loadEvents } from "../replay/load-events";
import type { ReplayResult } from "../replay/replay-story";
import { connectAccount } from "../targets/connect-account";

/** Where a dry-run replay reads from. */
export interface AccountReplayTarget {
  config: Config;
  registryTable: string;
  profile?: string;
}

/**
 * Replays events against a deployed service without writing anything: the real reactions read EC2 and
 * the registry, and every write they would make (tags, copies, registry entries, notifications) is
 * reported as an intent instead. Idempotency records are not consulted: each event is treated as new.
 */
export async function replayAgainstAccount(
  paths: readonly string[],
  io: CliIo,
  target: AccountReplayTarget,
): Promise<ReplayResult[]> {
  const events = loadEvents(paths, io.cwd);
  const service = connectAccount(target);
  const results: ReplayResult[] = [];
  try {
    const intents: Intent[] = [];
    const deps: EventDependencies = {
      config: { ...target.config, mode: "dry-run" },
      images: new DryRunImages(service.images, intents),
      registry: new DryRunRegistry(service.registry, intents),
      pointers: new DryRunPointers(service.pointers, intents),
      sharing: new DryRunSharing(service.sharing, intents),
      protection: new DryRunProtection(intents),
      watermarks: new DryRunWatermarks(intents, target.config.accounts[0] ?? "unknown"),
      ...dryRunOutbox(intents),
      clock: service.clock,
      log: silentLog,
    };
    for (const loaded of events) {
      progress(io, `replaying ${loaded.file}[${loaded.index}]`);
      const before = intents.length;
      const base = {
        file: loaded.file,
        index: loaded.index,
        eventId: typeof loaded.event.id === "string" ? loaded.event.id : null,
        region: typeof loaded.event.region === "string" ? loaded.event.region : null,
        time: typeof loaded.event.time === "string" ? loaded.event.time : null,
        event: String(loaded.event["detail-type"] ?? "unknown event"),
      };
      try {
        const outcome = await react(deps, loaded.event);
        const wouldDo = intents.slice(before);
        results.push({
          ...base,
          rule: outcome.rule,
          status: outcome.result.outcome === "ignored" ? "ignored" : "ok",
          outcome:
            outcome.result.outcome === "ignored"
              ? outcome.result.reason
              : wouldDo.length > 0
                ? `would: ${wouldDo.join("; ")}`
                : "nothing to change",
          result: { ...outcome.result, wouldDo },
        });
      } catch (error) {
        const rejected = error instanceof InvalidEventError;
        results.push({
          ...base,
          rule: null,
          status: rejected ? "rejected" : "failed",
          outcome: rejected
            ? error.issues.map((issue) => `${issue.path}: ${issue.message}`).join("; ")
            : (error as Error).message,
        });
      }
    }
  } finally {
    await service.close();
  }
  return results;
}

async function react(deps: EventDependencies, event: Record<string, unknown>) {
  if (event["detail-type"] === "EC2 AMI State Change") {
    const change = parseAmiStateChange(event);
    const result = await reactToImageStateChange(deps, stateChangeInput(change));
    return { rule: "image-state-change", result };
  }
  const call = parseImageApiCall(event);
  if (call.outcome === "failed") {
    return {
      rule: "image-api-call",
      result: { outcome: "ignored" as const, reason: `call failed (${call.errorCode})` },
    };
  }
  const result = await reactToImageApiCall(deps, apiCallInput(call));
  return { rule: "image-api-call", result };
}
