import { type Config, restorabilityOf } from "@ami-lifecycle/core";
import { type CommandSpec, writeJson } from "../cli/command";
import { CommandFailedError, ExitCode } from "../cli/errors";
import { readRegistry, renderVersionsTable } from "../planning/registry-view";
import { explainAwsFailure, jsonOption, openTarget, targetOptions } from "./common";
import { wantsJson } from "./output";

/** `versions <family>`: the registry's versions with per-region image ids and states. */
export const versionsCommand: CommandSpec = {
  name: "versions",
  summary: "list a family's versions with each region's image id and state",
  arguments: "<family>",
  positionals: { min: 1, max: 1 },
  description: [
    "Reads the version registry (DynamoDB) of a deployed service, or of the sandbox with --sandbox,",
    "and prints one row per version: name, retention stage, and in each region the image id, its state and",
    "whether a restore can bring it back (` until <date>` from the Recycle Bin, ` (restorable)`, ` (final)`).",
  ].join("\n"),
  options: { ...targetOptions, ...jsonOption },
  examples: [
    "ami-lifecycle versions payments-api --stage prod --profile ops",
    "ami-lifecycle versions base-al2023 --sandbox --json",
  ],
  async run({ values, positionals }, io) {
    const family = positionals[0] as string;
    // The sandbox's registry holds only its configured families: an unknown one is refused up front.
    const { service, region } = await openTarget(values, "versions", io, (config, target) => {
      if (target === "sandbox" && !isConfigured(config, family)) throw unknownFamily(config, family);
    });
    try {
      const [found] = await readRegistry(service.registry, service.config, family);
      // A deployed registry may still hold a family the config no longer lists.
      if (!isConfigured(service.config, family) && (found?.versions.length ?? 0) === 0)
        throw unknownFamily(service.config, family);
      const regions = region ? [region] : service.config.regions;
      const now = service.clock.now();
      if (wantsJson(values, "versions")) {
        writeJson(io, {
          family,
          team: found?.team,
          regions,
          versions: (found?.versions ?? []).map((version) => ({
            ...version,
            // Each region with whether and until when a restore can bring it back (registry's service, at now).
            regions: Object.fromEntries(
              Object.entries(version.regions)
                .filter(([name]) => regions.includes(name))
                .map(([name, record]) => [
                  name,
                  { ...record, restore: restorabilityOf(version, record, now) },
                ]),
            ),
          })),
        });
      } else if (found) {
        io.out(`${renderVersionsTable(found, regions, io, now)}\n`);
      }
      return ExitCode.ok;
    } catch (error) {
      throw explainAwsFailure(error) ?? error;
    } finally {
      await service.close();
    }
  },
};

function isConfigured(config: Config, family: string): boolean {
  return config.families.some((candidate) => candidate.name === family);
}

function unknownFamily(config: Config, family: string): CommandFailedError {
  return new CommandFailedError(
    `unknown family "${family}"`,
    `configured families: ${config.families.map((candidate) => candidate.name).join(", ")}`,
  );
}
