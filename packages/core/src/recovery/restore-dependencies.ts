import type { ReactionDependencies } from "../dependencies";
import type { RestoreDependencies } from "./restore-plan";

/** The reaction ports as a restore needs them (every runtime wires the restore adapter). */
export function restoreDependencies(deps: ReactionDependencies): RestoreDependencies {
  return {
    config: deps.config,
    registry: deps.registry,
    images: deps.images,
    restore: deps.restore,
    sharing: deps.sharing,
    notifier: deps.notifier,
    clock: deps.clock,
    log: deps.log,
    ...(deps.sleep ? { sleep: deps.sleep } : {}),
  };
}
