import {
  planRestore,
  type RegionRestore,
  type RestoreDependencies,
  RestoreRefusedError,
  RestoreStoppedError,
  RestoreTargetError,
  restoreVersion,
  SnapshotRecoveryTimeoutError,
  silentLog,
} from "@ami-lifecycle/core";
import { type CommandSpec, flag, type OptionSpec, writeJson } from "../cli/command";
import { CommandFailedError, ExitCode, UsageError } from "../cli/errors";
import type { CliIo } from "../cli/io";
import type { ServiceTarget } from "../targets/service-target";
import { configOption, dynamoEndpointOption, explainAwsFailure, jsonOption, openTarget } from "./common";
import { writingTargetOptions } from "./deployment-options";
import { wantsJson } from "./output";

const restoreOptions: Record<string, OptionSpec> = {
  apply: { type: "boolean", description: "do it (default: only show what would be done)" },
  "only-region": {
    type: "string",
    value: "REGION",
    description: "restore only this managed region (default: every region of the version)",
  },
  ...writingTargetOptions,
  ...configOption,
  ...dynamoEndpointOption,
  ...jsonOption,
};

/** `restore <family> <version> [--only-region R] [--apply]`: undoes a version's retirement. */
export const restoreCommand: CommandSpec = {
  name: "restore",
  summary: "bring a retired version back: out of the Recycle Bin, enabled, undeprecated, shared again",
  arguments: "<family> <version>",
  positionals: { min: 2, max: 2 },
  description: [
    "Shows, per region, what restoring the version takes (default), and does it with --apply:",
    "deprecated → DisableImageDeprecation; disabled → EnableImage, then the recorded launch and snapshot",
    "permissions re-applied (EnableImage gives none back); in the Recycle Bin → every snapshot restored",
    "and waited for, then the image, the retired tag removed, the sharing confirmed. Every region is",
    "checked first: past its recovery date, with snapshots gone, or its image public (EC2 cancels the",
    "deprecation of a private AMI only; restore never changes that), nothing is changed. The version is",
    "active again (withdrawn stays as it was), held from retirement for retention.restoredHoldDays; the",
    "team is notified (restored). An interrupted restore resumes when run again.",
  ].join("\n"),
  options: restoreOptions,
  examples: [
    "ami-lifecycle restore payments-api 41 --stage prod --profile ops",
    "ami-lifecycle restore payments-api 41 --stage prod --only-region eu-west-1 --apply",
    "ami-lifecycle restore base-al2023 1 --sandbox --apply --output json",
  ],
  async run({ values, positionals }, io) {
    const [family, versionText] = positionals as [string, string];
    if (!/^[1-9]\d*$/.test(versionText))
      throw new UsageError(`<version> must be a version number ≥ 1, got "${versionText}"`, "restore");
    const version = Number(versionText);
    const apply = flag(values, "apply");
    const json = wantsJson(values, "restore");
    const { service, region } = await openTarget(values, "restore", io, (config) => {
      if (!config.families.some((candidate) => candidate.name === family))
        throw restoreFailure(new RestoreTargetError(family, "family is not configured"));
    });
    try {
      return await restoreOnTarget(service, io, {
        family,
        version,
        apply,
        json,
        ...(region ? { region } : {}),
      });
    } finally {
      await service.close();
    }
  },
};

/** What one `restore` asks of its target, its arguments already checked. */
export interface RestoreRequest {
  family: string;
  version: number;
  apply: boolean;
  json: boolean;
  /** `--only-region` */
  region?: string;
}

/** `restore` once its target is open: plans (or with `apply` takes) the steps and prints them. */
export async function restoreOnTarget(
  service: ServiceTarget,
  io: CliIo,
  request: RestoreRequest,
): Promise<number> {
  const { family, version, json } = request;
  try {
    const deps = dependenciesOf(service);
    const options = request.region ? { region: request.region } : {};
    if (!request.apply) {
      const { plan } = await planRestore(deps, family, version, options);
      if (json) writeJson(io, { ...plan, applied: false });
      else printRegions(io, `${family} v${version}: would restore (run again with --apply)`, plan.regions);
      return ExitCode.ok;
    }
    const result = await restoreVersion(deps, family, version, options);
    if (json) writeJson(io, { ...result, applied: true });
    else {
      printRegions(io, `${family} v${version}: restored, held until ${result.heldUntil}`, result.regions);
      if (result.withdrawn) io.out("  still withdrawn: never promoted again\n");
    }
    return ExitCode.ok;
  } catch (error) {
    throw restoreFailure(error);
  }
}

function printRegions(io: CliIo, title: string, regions: readonly RegionRestore[]): void {
  io.out(`${title}\n`);
  for (const region of regions) {
    const steps = region.actions.join(", ") || "nothing left to do";
    io.out(`  ${region.region}  ${region.imageId}  from ${region.from}: ${steps}\n`);
  }
}

/** The error the command reports: what to do next for the core's refusals, AWS failures explained. */
function restoreFailure(error: unknown): unknown {
  if (error instanceof RestoreRefusedError) {
    // A public image is the owner's to make private (the message says how); then the restore can run.
    const hint = error.regions.some((region) => region.reason === "image-public")
      ? "make the public image private as above, then run the same command again"
      : "see `ami-lifecycle versions <family>`";
    return new CommandFailedError(error.message, hint, { cause: error });
  }
  if (error instanceof RestoreStoppedError)
    return new CommandFailedError(
      error.message,
      "make the public image private as above, then run the same command again",
      { cause: error },
    );
  if (error instanceof RestoreTargetError)
    return new CommandFailedError(error.message, "see `ami-lifecycle versions <family>`", { cause: error });
  if (error instanceof SnapshotRecoveryTimeoutError)
    return new CommandFailedError(error.message, "run the same command again", { cause: error });
  return explainAwsFailure(error) ?? error;
}

function dependenciesOf(service: ServiceTarget): RestoreDependencies {
  // Without a topic (an account without --topic-arn) the restore still happens; nobody is told.
  return {
    config: service.config,
    registry: service.registry,
    images: service.images,
    restore: service.restore,
    sharing: service.sharing,
    notifier: service.notifier ?? { publish: async () => {} },
    clock: service.clock,
    log: silentLog,
    ...(service.sleep ? { sleep: service.sleep } : {}),
  };
}
