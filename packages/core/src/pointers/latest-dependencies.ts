import type { ReactionDependencies } from "../dependencies";
import type { VersionCatalog, VersionRecorder } from "../ports";

/**
 * The ports that keep `latest` right (an event's move, the sweep's re-assertion): the pointers, the
 * catalog, and the deregistration protection of what they name (recorded on the region record).
 */
export type LatestPointerDependencies = Pick<
  ReactionDependencies,
  "config" | "pointers" | "protection" | "images" | "clock" | "log"
> & {
  registry: VersionCatalog & Pick<VersionRecorder, "putRegionImage">;
};
