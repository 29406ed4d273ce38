import { writeFileSync } from "node:fs";
import { basename, dirname, join, resolve } from "node:path";
import {
  ConfigError,
  checkedConfigFileName,
  configFileName,
  configWarnings,
  loadConfigFile,
  recoveryWarnings,
  renderCheckedConfig,
} from "@ami-lifecycle/core";
import { type CommandSpec, flag, stringOption, writeJson } from "../cli/command";
import { ExitCode, UsageError } from "../cli/errors";
import { paint } from "../cli/io";
import { configOption, jsonOption } from "./common";
import { wantsJson } from "./output";

/** `validate [config]`: checks a configuration file against the schema. */
export const validateCommand: CommandSpec = {
  name: "validate",
  summary: "check a configuration file: every error with its path and reason",
  arguments: "[config]",
  positionals: { min: 0, max: 1 },
  description: [
    `Reads the file (default ./${configFileName}), validates it with the same schema the Lambdas use at`,
    "cold start, and prints each problem as `path: reason`. Warnings (a family claiming every image,",
    "overlapping families, a region the SDK does not know admitted by allowUnknownRegions) go to stderr",
    "and do not fail it. Exits 0 when valid (warnings or not), 1 when not.",
    `With --write-checked, a valid file is also written, defaults applied, to ${checkedConfigFileName}`,
    "beside it: what the functions bundle and run on (the deploy refuses one that does not match the",
    "config; `npm run check-config` runs this for the repository's file).",
  ].join("\n"),
  // `--config FILE` as every other command spells it; the positional stays for existing scripts.
  options: {
    ...configOption,
    ...jsonOption,
    "write-checked": {
      type: "boolean",
      description: `write the checked config (defaults applied) to ${checkedConfigFileName} beside the file`,
    },
  },
  examples: [
    "ami-lifecycle validate",
    "ami-lifecycle validate --config staging.config.json --json",
    "ami-lifecycle validate --write-checked",
  ],
  async run({ values, positionals }, io) {
    const given = stringOption(values, "config");
    if (given !== undefined && positionals[0] !== undefined)
      throw new UsageError("pass the file once: either --config FILE or the [config] argument", "validate");
    const path = resolve(io.cwd, given ?? positionals[0] ?? configFileName);
    try {
      const config = loadConfigFile(path);
      const warnings = [...configWarnings(config), ...recoveryWarnings(config)];
      const checkedPath = flag(values, "write-checked")
        ? join(dirname(path), checkedConfigFileName)
        : undefined;
      if (checkedPath) writeChecked(checkedPath, renderCheckedConfig(config, basename(path)));
      const summary = {
        valid: true,
        file: path,
        mode: config.mode,
        homeRegion: config.homeRegion,
        regions: config.regions,
        families: config.families.map((family) => family.name),
        issues: [],
        warnings,
        ...(checkedPath ? { checked: checkedPath } : {}),
      };
      for (const warning of warnings)
        io.err(`${paint(io, "yellow", "warning")}: ${warning.path}: ${warning.message}\n`);
      if (wantsJson(values, "validate")) writeJson(io, summary);
      else {
        io.out(
          `${paint(io, "green", "valid")}: ${config.families.length} famil${config.families.length === 1 ? "y" : "ies"} (${summary.families.join(", ")}) in ${config.regions.length} region${config.regions.length === 1 ? "" : "s"} (${config.regions.join(", ")}), mode ${config.mode}\n`,
        );
        if (checkedPath) io.out(`wrote ${checkedPath}\n`);
      }
      return ExitCode.ok;
    } catch (error) {
      if (!(error instanceof ConfigError)) throw error;
      if (wantsJson(values, "validate"))
        writeJson(io, { valid: false, file: path, issues: error.issues, warnings: [] });
      io.err(
        `${paint(io, "red", "invalid")}: ${path}\n${error.issues.map((issue) => `  ${issue.path}: ${issue.message}`).join("\n")}\nFix the fields above and run validate again; the schema is ami-lifecycle.schema.json.\n`,
      );
      return ExitCode.failure;
    }
  },
};

/** Writes the checked config; a file that cannot be written is a ConfigError naming it, not a crash. */
function writeChecked(path: string, text: string): void {
  try {
    writeFileSync(path, text);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? "unknown error";
    throw new ConfigError([{ path: "(root)", message: `${path} cannot be written (${code})` }], path);
  }
}
