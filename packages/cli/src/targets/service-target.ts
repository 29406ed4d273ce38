import {
  type Clock,
  type Config,
  type CrossAccountPorts,
  type DeregistrationProtection,
  type ImagePointers,
  type ImageService,
  type ImageSharingService,
  type Notifier,
  type RestoreService,
  restoreServiceOf,
  type SweepRequester,
  type VersionRegistry,
} from "@ami-lifecycle/core";
import type { LocalDeployment } from "@ami-lifecycle/simulated-account";
import type { SandboxSession } from "../sandbox/session";

/**
 * What the commands work on, held as `service` (a target, not a view: "view" means data read once for a
 * decision): the registry and EC2 of a real account, or of the sandbox.
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
  /** deregistration protection of the images pointers name: rollback and promote protect what they point at */
  protection: DeregistrationProtection;
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
  return localDeploymentTarget(session.deployment, options);
}

/** The target of a local deployment, reached with the operator's credentials (its policy evaluated). */
export function localDeploymentTarget(
  deployment: LocalDeployment,
  options: { label: string; close: () => Promise<void> },
): ServiceTarget {
  const { reactions } = deployment.operatorRuntime;
  return {
    kind: "sandbox",
    label: options.label,
    config: deployment.runtime.config,
    registry: reactions.registry,
    images: reactions.images,
    pointers: reactions.pointers,
    protection: reactions.protection,
    notifier: reactions.notifier,
    restore: restoreServiceOf(reactions),
    sharing: reactions.sharing,
    ...(reactions.sleep ? { sleep: reactions.sleep } : {}),
    sweeps: reactions.sweeps,
    ...(reactions.organization ? { organization: reactions.organization } : {}),
    clock: deployment.account.clock,
    close: options.close,
  };
}
