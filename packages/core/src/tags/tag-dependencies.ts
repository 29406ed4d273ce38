import type { ReactionDependencies } from "../dependencies";

/** The ports the tags capability takes: EC2's images alone (tags are hints; the registry is never written). */
export type TagDependencies = Pick<ReactionDependencies, "config" | "images">;
