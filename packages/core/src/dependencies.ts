import type { Config } from "./config";
import type { CrossAccountPorts } from "./organization/gather-evidence";
import type { WatermarkPort } from "./organization/ports";
import type { DeregistrationProtection } from "./pointers/protection-port";
import type {
  Clock,
  ImagePointers,
  ImageService,
  ImageSharingService,
  Notifier,
  VersionRegistry,
} from "./ports";
import type { RecycleBinService } from "./recovery/ports";
import type { RestoreService } from "./recovery/restore-ports";

/** Asks for a retention sweep of one family (an EventBridge event in production). */
export interface SweepRequester {
  /**
   * `maxDeletions`: a one-off cap for this sweep (`ami-lifecycle sweep --max-deletions`); `requestKey`
   * names the request, so the sweep runs once however often the same request is put
   */
  requestFamilySweep(
    family: string,
    reason: string,
    options?: { maxDeletions?: number; requestKey?: string },
  ): Promise<void>;
}

/** Structured log sink; the Powertools logger satisfies it. */
export interface ReactionLog {
  debug(message: string, extra?: Record<string, unknown>): void;
  info(message: string, extra?: Record<string, unknown>): void;
  warn(message: string, extra?: Record<string, unknown>): void;
}

/** Everything the event reactions need, passed in (ports, never module globals). */
export interface ReactionDependencies {
  config: Config;
  images: ImageService;
  registry: VersionRegistry;
  notifier: Notifier;
  sweeps: SweepRequester;
  clock: Clock;
  log: ReactionLog;
  /** channel pointers (SSM): every family has `latest` (config `pointers`); a dry run wires one that only records */
  pointers: ImagePointers;
  /** EC2 deregistration protection of the images pointers name (always on: config `pointers`); a dry run wires one that records */
  protection: DeregistrationProtection;
  /** launch permissions and the public-sharing guard (always on); a dry run wires one that reads and records */
  sharing: ImageSharingService;
  /** the security topic (public-sharing alerts); a deployment without one wires `notifier` here */
  securityNotifier: Notifier;
  /** rules and contents of the Recycle Bin; absent (read-only views, unit fakes): deregistration is final, as before */
  recycleBin?: RecycleBinService;
  /**
   * the bin's restore calls, EnableImage, DisableImageDeprecation (recovery/restore.ts); the deployed
   * runtimes that never restore (all but the restore handler's) wire `unavailableRestore`, which refuses
   * every call, so only the restore's bundle carries them
   */
  restore: RestoreService;
  /** waits between polls (a restore waiting for snapshots); absent: real time */
  sleep?: (ms: number) => Promise<void>;
  /** usage reports, consumer probes and the organization's accounts (issue #16); absent: the owner account only */
  organization?: CrossAccountPorts;
  /** image watermarks naming the family (AttachImageWatermark); used with the `organization` slice only */
  watermarks: WatermarkPort;
  /** ARNs of the service's own roles: tagging calls by them are not tampering (the tamper guard needs it) */
  serviceRoleArns?: readonly string[];
}

/**
 * What an event reaction takes: every port but the restore's (no event restores a version; a replay of
 * events therefore needs no restore adapter).
 */
export type EventDependencies = Omit<ReactionDependencies, "restore" | "sleep">;

/** A log that drops everything (tests that don't look at logs). */
export const silentLog: ReactionLog = { debug() {}, info() {}, warn() {} };
