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

/** The runtime's restore adapter; throws RestoreUnavailableError when the runtime was built without it. */
export function restoreServiceOf(deps: Pick<ReactionDependencies, "restore">): RestoreService {
  if (!deps.restore) throw new RestoreUnavailableError();
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
