import {
  type Clock,
  type Config,
  type CrossAccountPorts,
  type ImagePointers,
  type ImageService,
  type ImageSharingService,
  type Notifier,
  type RestoreService,
  restoreServiceOf,
  type SweepRequester,
  type VersionRegistry,
} from "@ami-lifecycle/core";
import type { SandboxSession } from "../sandbox/session";

/**
 * What the commands work on (a target, not a view: "view" means data read once for a decision): the
 * registry and EC2 of a real account, or of the sandbox.
 */
export interface ServiceTarget {
  /** "sandbox" or "account" */
  kind: "sandbox" | "account";
  /** one line for humans: which account, profile or sandbox run this is */
  label: string;
  config: Config;
  registry: VersionRegistry;
  images: ImageService;
  /** the channel pointers (SSM); rollback and promote move them */
  pointers: ImagePointers;
  /** where rollback notifications go (the sandbox's topic, or --topic-arn of an account) */
  notifier?: Notifier;
  /** the Recycle Bin's restores, EnableImage, DisableImageDeprecation: `restore --apply` acts with them */
  restore: RestoreService;
  /** launch and snapshot permissions: `restore --apply` re-applies the recorded ones */
  sharing: ImageSharingService;
  /** asks the service for a family sweep (`sweep --enforce`): the sweep-request event on its bus */
  sweeps?: SweepRequester;
  /** waits between polls of recovering snapshots (the simulated clock in the sandbox) */
  sleep?: (ms: number) => Promise<void>;
  /** usage reports and probes in consumer accounts (`organization` configured); absent: the owner account only */
  organization?: CrossAccountPorts;
  /** the planning instant comes from here (the simulated clock in the sandbox) */
  clock: Clock;
  /** closes clients (and stops the sandbox) */
  close(): Promise<void>;
}

/** The target of a sandbox session's deployment; `close` says whether closing it stops the session. */
export function sandboxTarget(
  session: SandboxSession,
  options: { label: string; close: () => Promise<void> },
): ServiceTarget {
  const { reactions } = session.deployment.operatorRuntime;
  return {
    kind: "sandbox",
    label: options.label,
    config: session.config,
    registry: reactions.registry,
    images: reactions.images,
    pointers: reactions.pointers,
    notifier: reactions.notifier,
    restore: restoreServiceOf(reactions),
    sharing: reactions.sharing,
    ...(reactions.sleep ? { sleep: reactions.sleep } : {}),
    sweeps: reactions.sweeps,
    ...(reactions.organization ? { organization: reactions.organization } : {}),
    clock: session.account.clock,
    close: options.close,
  };
}
