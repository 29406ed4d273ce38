import type { ReactionDependencies } from "../dependencies";
import type { VersionCatalog, VersionRecorder } from "../ports";

/** The ports the sweep's Recycle Bin steps take: EC2's images and sharing, the bin, the registry's versions. */
export type RecoveryDependencies = Pick<
  ReactionDependencies,
  "config" | "clock" | "images" | "sharing" | "recycleBin"
> & {
  registry: VersionCatalog & VersionRecorder;
};
