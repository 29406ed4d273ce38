import type { ReactionDependencies } from "../dependencies";
import type { VersionCatalog, VersionRecorder } from "../ports";

/** The ports the versions capability takes: EC2's images and the registry's versions (read and recorded). */
export type VersionDependencies = Pick<ReactionDependencies, "config" | "images"> & {
  registry: VersionCatalog & VersionRecorder;
};
