import type { ReactionDependencies } from "../dependencies";
import type { SharingMarker } from "../ports";

/** The ports sharing takes: EC2's sharing calls and the registry's sharing marker. */
export type SharingDependencies = Pick<ReactionDependencies, "config" | "clock" | "sharing"> & {
  registry: SharingMarker;
};
