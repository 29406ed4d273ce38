import type { ReactionDependencies } from "../dependencies";
import type { OnceClaims, VersionCatalog, VersionRecorder, WaitingCopyMarkers } from "../ports";

/** The ports the copies capability takes: EC2's images, the registry's versions and its waiting-copy markers, the notifier and its claims. */
export type CopyDependencies = Pick<
  ReactionDependencies,
  "config" | "images" | "clock" | "log" | "notifier"
> & {
  registry: VersionCatalog & VersionRecorder & WaitingCopyMarkers & OnceClaims;
};
