import { type PointerDependencies, silentLog } from "@ami-lifecycle/core";
import type { ServiceTarget } from "./service-target";

/** What `rollback` and `promote` act with on a target: its pointers and their protection, registry, notifier. */
export function pointerDependenciesOf(target: ServiceTarget): PointerDependencies {
  // Without a topic (an account without --topic-arn) the rollback still happens; nobody is told.
  return {
    config: target.config,
    registry: target.registry,
    pointers: target.pointers,
    protection: target.protection,
    images: target.images,
    clock: target.clock,
    notifier: target.notifier ?? { publish: async () => {} },
    log: silentLog,
  };
}
