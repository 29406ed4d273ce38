import type {
  Clock,
  Config,
  ImagePointers,
  ImageService,
  ImageSharingService,
  Notifier,
  RestoreService,
  VersionRegistry,
} from "@ami-lifecycle/core";
import type { SandboxSession } from "../sandbox/session";

/** What the read-only commands look at: the registry and EC2 of a real account, or of the sandbox. */
export interface ServiceView {
  /** "sandbox" or "account" */
  kind: "sandbox" | "account";
  /** one line for humans: which account, profile or sandbox run this is */
  label: string;
  config: Config;
  registry: VersionRegistry;
  images: ImageService;
  /** the channel pointers (SSM); rollback and promote move them */
  pointers?: ImagePointers;
  /** where rollback notifications go (the sandbox's topic, or --topic-arn of an account) */
  notifier?: Notifier;
  /** the Recycle Bin's restores, EnableImage, DisableImageDeprecation: `restore --apply` acts with them */
  restore?: RestoreService;
  /** launch and snapshot permissions: `restore --apply` re-applies the recorded ones */
  sharing?: ImageSharingService;
  /** waits between polls of recovering snapshots (the simulated clock in the sandbox) */
  sleep?: (ms: number) => Promise<void>;
  /** the planning instant comes from here (the simulated clock in the sandbox) */
  clock: Clock;
  /** closes clients (and stops the sandbox) */
  close(): Promise<void>;
}

/** The view of a sandbox session's deployment; `close` says whether closing the view stops the session. */
export function sandboxView(
  session: SandboxSession,
  options: { label: string; close: () => Promise<void> },
): ServiceView {
  const { reactions } = session.deployment.operatorRuntime;
  return {
    kind: "sandbox",
    label: options.label,
    config: session.config,
    registry: reactions.registry,
    images: reactions.images,
    ...(reactions.pointers ? { pointers: reactions.pointers } : {}),
    notifier: reactions.notifier,
    ...(reactions.restore ? { restore: reactions.restore } : {}),
    ...(reactions.sharing ? { sharing: reactions.sharing } : {}),
    ...(reactions.sleep ? { sleep: reactions.sleep } : {}),
    clock: session.account.clock,
    close: options.close,
  };
}
