import type { Config, FamilyConfig } from "./config";
import type { EventDependencies } from "./dependencies";
import { ConfigError } from "./errors";

/**
 * A feature the configuration turns on, but the runtime passed no port for it. Refused before any change:
 * going on as if the feature were off would, for the Recycle Bin, deregister for good what the config
 * promises to keep recoverable. `feature` names the port; `issues` the config paths that turn it on.
 */
export class MissingPortError extends ConfigError {
  override name = "MissingPortError";
  constructor(
    readonly feature: string,
    issues: readonly { path: string; message: string }[],
  ) {
    super(issues, `the wiring of ${feature}`);
  }
}

/** The sweep's ports that only some configurations need; each is required when its config turns it on. */
export type ConfiguredSweepPorts = Pick<EventDependencies, "config" | "recycleBin" | "organization">;

/**
 * Throws MissingPortError when the config turns on a sweep feature whose port is absent: a family
 * recoverable from the Recycle Bin (`retention.recoverableForDays > 0`) needs `recycleBin`; the
 * `organization` slice needs the cross-account ports. A config that turns the feature off needs none.
 */
export function assertSweepPorts(deps: ConfiguredSweepPorts): void {
  const recoverable = recoverableFamilyPaths(deps.config);
  if (recoverable.length > 0 && !deps.recycleBin) {
    throw new MissingPortError(
      "recycleBin",
      recoverable.map((path) => ({
        path,
        message:
          "is above 0 (deregistered versions stay restorable), but this runtime has no Recycle Bin port",
      })),
    );
  }
  if (deps.config.organization && !deps.organization) {
    throw new MissingPortError("organization", [
      {
        path: "organization",
        message:
          "is configured (evidence from consumer accounts), but this runtime has no cross-account ports",
      },
    ]);
  }
}

/** The refusal of a recoverable family's deregistration when the runtime has no Recycle Bin port. */
export function missingRecycleBin(config: Pick<Config, "families">, family: FamilyConfig): MissingPortError {
  const index = config.families.findIndex((candidate) => candidate.name === family.name);
  return new MissingPortError("recycleBin", [
    {
      path: `families[${index}].retention.recoverableForDays`,
      message: `is ${family.retention.recoverableForDays}: ${family.name}'s versions must stay restorable, but this runtime has no Recycle Bin port (nothing deregistered)`,
    },
  ]);
}

/** The config paths of every family whose deregistered versions stay restorable. */
export function recoverableFamilyPaths(config: Pick<Config, "families">): string[] {
  return config.families.flatMap((family, index) =>
    family.retention.recoverableForDays > 0 ? [`families[${index}].retention.recoverableForDays`] : [],
  );
}
