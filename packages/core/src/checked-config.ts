import type { Config } from "./config";
import { configFileName } from "./config-limits";
import { ConfigError } from "./errors";

// The functions run on the configuration as the deploy checked it, not on the file as written: the
// stacks validate `ami-lifecycle.config.json` anyway (they build regions, rules and roles from it), and
// one check where the file is written, with its defaults applied, spares every cold start zod's runtime
// and the schema's construction. The checked document is committed beside the config and the functions
// bundle it; the deploy refuses a checked document that does not match the config (config-file.ts).

/** Name of the checked configuration the functions bundle, at the repository root. */
export const checkedConfigFileName = "ami-lifecycle.config.checked.json";

/** Marks a document as the output of the config check (a hand-written config is never mistaken for one). */
export const checkedConfigFormat = "ami-lifecycle checked config 1";

/** What `ami-lifecycle.config.checked.json` holds. */
export interface CheckedConfigDocument {
  format: typeof checkedConfigFormat;
  /** for the person who opens the file */
  note: string;
  /** the configuration with every default applied, exactly as `parseConfig` returned it */
  config: Config;
}

/** The checked document of a validated configuration, read from the file `source` names. */
export function checkedConfigDocument(config: Config, source = configFileName): CheckedConfigDocument {
  return {
    format: checkedConfigFormat,
    note: `Generated from ${source} by \`ami-lifecycle validate --write-checked\` (npm run check-config); do not edit.`,
    config,
  };
}

/**
 * The configuration of a checked document. Only the marker is verified: the document is the output of
 * `parseConfig`, written by the check; anything else (a raw config, a truncated file) is refused, naming
 * the file and the command that writes it.
 */
export function configOfCheckedDocument(document: unknown, source = checkedConfigFileName): Config {
  const candidate = document as Partial<CheckedConfigDocument> | null;
  if (
    candidate?.format !== checkedConfigFormat ||
    typeof candidate.config !== "object" ||
    !candidate.config
  ) {
    throw new ConfigError(
      [
        {
          path: "format",
          message: `must be "${checkedConfigFormat}": write the file with \`npm run check-config\``,
        },
      ],
      source,
    );
  }
  return candidate.config;
}
