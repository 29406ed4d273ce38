import type { ReactionDependencies } from "../dependencies";
import { RestoreTargetError } from "./restore-errors";
import type { RestoreDependencies } from "./restore-plan";

/** The reaction ports as a restore needs them; RestoreTargetError when the runtime has no restore adapter. */
export function restoreDependencies(deps: ReactionDependencies, family: string): RestoreDependencies {
  const { restore } = deps;
  if (!restore) throw new RestoreTargetError(family, "these dependencies cannot restore (no RestoreService)");
  return {
    config: deps.config,
    registry: deps.registry,
    images: deps.images,
    restore,
    ...(deps.sharing ? { sharing: deps.sharing } : {}),
    notifier: deps.notifier,
    clock: deps.clock,
    log: deps.log,
    ...(deps.sleep ? { sleep: deps.sleep } : {}),
  };
}
