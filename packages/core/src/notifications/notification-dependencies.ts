import type { ReactionDependencies } from "../dependencies";
import type { OnceClaims, VersionCatalog } from "../ports";

/** The ports notifications take: the notifier, the registry's versions and its once-only claims. */
export type NotificationDependencies = Pick<ReactionDependencies, "config" | "log" | "notifier"> & {
  registry: VersionCatalog & OnceClaims;
};
