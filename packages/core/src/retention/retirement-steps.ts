import type { RetentionAction } from "./types";

/** The actions that change an image. */
export const retirementSteps: ReadonlySet<RetentionAction> = new Set(["deprecate", "disable", "deregister"]);
