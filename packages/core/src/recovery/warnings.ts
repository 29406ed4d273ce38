import type { Config } from "../config";

/** A valid setting worth a second look, with its path (`families[1].retention.recoverableForDays`). */
export interface ConfigWarning {
  path: string;
  message: string;
}

/** Families whose deregistration is final (recoverableForDays 0): nothing retired there can be restored. */
export function recoveryWarnings(config: Config): ConfigWarning[] {
  return config.families.flatMap((family, index) =>
    family.retention.recoverableForDays === 0
      ? [
          {
            path: `families[${index}].retention.recoverableForDays`,
            message: `is 0: ${family.name}'s deregistrations are final, no Recycle Bin rule keeps them and restore cannot bring them back`,
          },
        ]
      : [],
  );
}
