import {
  channelRefusal,
  type FamilyConfig,
  type PointerDependencies,
  PointerTargetError,
  promote,
  rollback,
  WithdrawnVersionError,
} from "@ami-lifecycle/core";
import { type CommandSpec, flag, integerOption, type OptionSpec, writeJson } from "../cli/command";
import { CommandFailedError, ExitCode, UsageError } from "../cli/errors";
import type { CliIo } from "../cli/io";
import { pointerDependenciesOf } from "../targets/pointer-dependencies";
import { configOption, dynamoEndpointOption, explainAwsFailure, jsonOption, openTarget } from "./common";
import { writingTargetOptions } from "./deployment-options";
import { wantsJson } from "./output";

/** Where rollback and promote act: the sandbox, or a deployed service (they write, unlike `plan`). */
const pointerTargetOptions: Record<string, OptionSpec> = {
  ...writingTargetOptions,
  force: { type: "boolean", description: "allow pointing at a withdrawn (rolled back) version" },
  ...configOption,
  ...dynamoEndpointOption,
  ...jsonOption,
};

/** `rollback <family> [--to N] [--force]`: latest back to the previous (or given) version, the bad ones withdrawn. */
export const rollbackCommand: CommandSpec = {
  name: "rollback",
  summary: "point a family's latest back at the previous (or given) version and withdraw the newer ones",
  arguments: "<family>",
  positionals: { min: 1, max: 1 },
  description: [
    "Marks every version newer than the target `withdrawn` (never promoted again, retired first by the",
    "next enforce sweep) and moves the family's `latest` SSM pointer in every region to the target, or to",
    "the newest remaining version where the target has no image. The team is notified (rolled-back).",
    "Without --to the target is the version before the current latest. Going back to a withdrawn version",
    "needs --force (it is restored).",
  ].join("\n"),
  options: {
    to: {
      type: "string",
      value: "N",
      description: "the version to roll back to (default: the previous one)",
    },
    ...pointerTargetOptions,
  },
  examples: [
    "ami-lifecycle rollback payments-api --stage prod --profile ops",
    "ami-lifecycle rollback base-al2023 --to 3 --sandbox --json",
  ],
  async run({ values, positionals }, io) {
    const family = positionals[0] as string;
    const to = integerOption(values, "to", "rollback");
    if (to === 0) throw new UsageError("--to must be a version number ≥ 1", "rollback");
    return withPointers(values, "rollback", io, family, async (deps) => {
      const result = await rollback(deps, family, {
        ...(to !== undefined ? { to } : {}),
        force: flag(values, "force"),
      });
      if (wantsJson(values, "rollback")) writeJson(io, result);
      else {
        const withdrawn = result.withdrawn.map((version) => `v${version}`).join(", ") || "none";
        io.out(`${family}: latest → v${result.target}; withdrawn: ${withdrawn}\n`);
        for (const move of result.pointers)
          io.out(`  ${move.region}  ${move.name}  ${move.previousImageId ?? "(unset)"} → ${move.imageId}\n`);
      }
    });
  },
};

/** `promote <family> <channel> <version>`: moves a pinned channel such as `stable`. */
export const promoteCommand: CommandSpec = {
  name: "promote",
  summary: "point a family's pinned channel (such as stable) at a version in every region",
  arguments: "<family> <channel> <version>",
  positionals: { min: 3, max: 3 },
  description: [
    "Moves the channel's SSM pointer (pointers.namePattern) to the version's image in every region where",
    "it is available. The channel must be one of the family's `channels`; `latest` moves by itself (use",
    "rollback). A version a pointer references is in use, so retention keeps it. A withdrawn version needs --force.",
  ].join("\n"),
  options: pointerTargetOptions,
  examples: [
    "ami-lifecycle promote payments-api stable 41 --stage prod --profile ops",
    "ami-lifecycle promote base-al2023 stable 1 --sandbox --json",
  ],
  async run({ values, positionals }, io) {
    const [family, channel, versionText] = positionals as [string, string, string];
    if (!/^[1-9]\d*$/.test(versionText))
      throw new UsageError(`<version> must be a version number ≥ 1, got "${versionText}"`, "promote");
    const promoted = async (deps: PointerDependencies) => {
      const result = await promote(deps, family, channel, Number(versionText), {
        force: flag(values, "force"),
      });
      if (wantsJson(values, "promote")) writeJson(io, result);
      else {
        io.out(`${family}: ${channel} → v${result.version}\n`);
        for (const move of result.pointers)
          io.out(`  ${move.region}  ${move.name}  ${move.previousImageId ?? "(unset)"} → ${move.imageId}\n`);
      }
    };
    // A channel promote can never move is refused from the config, before the sandbox or an account opens.
    return withPointers(values, "promote", io, family, promoted, (configured) =>
      channelRefusal(configured, channel),
    );
  },
};

async function withPointers(
  values: Parameters<typeof openTarget>[0],
  command: string,
  io: CliIo,
  family: string,
  act: (deps: PointerDependencies) => Promise<void>,
  refusal: (configured: FamilyConfig) => PointerTargetError | undefined = () => undefined,
): Promise<number> {
  // Rollback and promote act only on configured families, and `refusal` says what else the config alone
  // rules out: both are refused before the sandbox starts.
  const { service } = await openTarget(values, command, io, (config) => {
    const configured = config.families.find((candidate) => candidate.name === family);
    if (!configured) throw pointerFailure(new PointerTargetError(family, "family is not configured"));
    const refused = refusal(configured);
    if (refused) throw pointerFailure(refused);
  });
  try {
    await act(pointerDependenciesOf(service));
    return ExitCode.ok;
  } catch (error) {
    throw pointerFailure(error);
  } finally {
    await service.close();
  }
}

/** The error a pointer command reports: what to do next for the core's refusals, AWS failures explained. */
function pointerFailure(error: unknown): unknown {
  if (error instanceof WithdrawnVersionError)
    return new CommandFailedError(error.message, "add --force to promote it anyway", { cause: error });
  if (error instanceof PointerTargetError)
    return new CommandFailedError(error.message, "see `ami-lifecycle versions <family>`", { cause: error });
  return explainAwsFailure(error) ?? error;
}
