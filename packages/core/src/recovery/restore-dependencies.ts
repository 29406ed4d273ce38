import type { ReactionDependencies } from "../dependencies";
import { AmiLifecycleError } from "../errors";
import type { RestoreDependencies } from "./restore-plan";
import type { RestoreService } from "./restore-ports";

/** A restore was asked of a runtime built without the restore adapter (`createRuntime({ restore })`). */
export class RestoreUnavailableError extends AmiLifecycleError {
  override name = "RestoreUnavailableError";
  constructor() {
    super("restore: this runtime has no restore adapter (only the restore handler's runtime wires one)");
  }
}

const refuse = async (): Promise<never> => {
  throw new RestoreUnavailableError();
};

/**
 * The restore port of a runtime built without the restore adapter (every deployed handler but the
 * restore): every call refuses with RestoreUnavailableError, so nothing can restore through it by mistake,
 * and only the restore's bundle carries the EC2 restore calls.
 */
export const unavailableRestore: RestoreService = Object.freeze({
  binContents: refuse,
  snapshotStates: refuse,
  restoreSnapshot: refuse,
  restoreImage: refuse,
  enableImage: refuse,
  cancelDeprecation: refuse,
  removeTag: refuse,
});

/**
 * The runtime's restore adapter; throws RestoreUnavailableError when the runtime wired `unavailableRestore`,
 * before any step of a restore is taken (a restore must not half-run up to its first refused call).
 */
export function restoreServiceOf(deps: Pick<ReactionDependencies, "restore">): RestoreService {
  if (deps.restore === unavailableRestore) throw new RestoreUnavailableError();
  return deps.restore;
}

/** The reaction ports as a restore needs them (only runtimes that restore wire the restore adapter). */
export function restoreDependencies(deps: ReactionDependencies): RestoreDependencies {
  return {
    config: deps.config,
    registry: deps.registry,
    images: deps.images,
    restore: restoreServiceOf(deps),
    sharing: deps.sharing,
    notifier: deps.notifier,
    clock: deps.clock,
    log: deps.log,
    ...(deps.sleep ? { sleep: deps.sleep } : {}),
  };
}
