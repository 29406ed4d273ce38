import type { ReactionDependencies } from "../dependencies";
import type { OnceClaims, VersionCatalog } from "../ports";

/** The ports the guards take: EC2's images and sharing, the notifiers, the registry's catalog (what the service recorded). */
export type GuardDependencies = Pick<
  ReactionDependencies,
  "config" | "images" | "log" | "notifier" | "securityNotifier" | "serviceRoleArns" | "sharing"
> & {
  registry: VersionCatalog & OnceClaims;
};
