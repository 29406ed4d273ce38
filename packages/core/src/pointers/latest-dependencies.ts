import type { ReactionDependencies } from "../dependencies";
import type { VersionCatalog } from "../ports";

/** The ports that keep `latest` right (an event's move, the sweep's re-assertion): the pointers, the catalog. */
export type LatestPointerDependencies = Pick<ReactionDependencies, "config" | "pointers"> & {
  registry: VersionCatalog;
};
