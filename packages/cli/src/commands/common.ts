import { resolve } from "node:path";
import { type Config, ConfigError, configFileName, loadConfigFile } from "@ami-lifecycle/core";
import { flag, type OptionSpec, type OptionValues, stringOption } from "../cli/command";
import { CommandFailedError, UsageError } from "../cli/errors";
import { type CliIo, progress } from "../cli/io";
import type { SandboxRun } from "../sandbox/run-sandbox";
import { sandboxConfig } from "../sandbox/sandbox-config";
import { type ServiceTarget, sandboxTarget } from "../targets/service-target";
import {
  type DeploymentTarget,
  onlyRegionOption,
  resolveDeploymentTarget,
  stageOptions,
} from "./deployment-options";
import { outputOption } from "./output";

/** `--output json|table`, with `--json` kept as its alias (see output.ts). */
export const jsonOption: Record<string, OptionSpec> = outputOption;

/** `--config`. */
export const configOption: Record<string, OptionSpec> = {
  config: {
    type: "string",
    value: "FILE",
    description: `configuration file (default: ./${configFileName})`,
  },
};

/** `--dynamodb-endpoint`: reuse a running DynamoDB Local instead of starting one. */
export const dynamoEndpointOption: Record<string, OptionSpec> = {
  "dynamodb-endpoint": {
    type: "string",
    value: "URL",
    description: "use this DynamoDB Local (http://127.0.0.1:8000) instead of starting one",
  },
};

/** The options that choose what a read-only command looks at: the sandbox or a deployed stage. */
export const targetOptions: Record<string, OptionSpec> = {
  sandbox: {
    type: "boolean",
    description: "run the sandbox scenario first, then look at the sandbox (no AWS account needed)",
  },
  ...stageOptions,
  ...onlyRegionOption,
  "registry-table": {
    type: "string",
    value: "NAME",
    description: "experts: the registry table's physical name, instead of --stage (wins over it)",
  },
  ...configOption,
  ...dynamoEndpointOption,
};

/** Loads the config named by --config (or the default file), turning schema errors into a failure that names each path. */
export function loadConfigOption(values: OptionValues, io: CliIo): { config: Config; path: string } {
  const path = resolve(io.cwd, stringOption(values, "config") ?? configFileName);
  try {
    return { config: loadConfigFile(path), path };
  } catch (error) {
    if (error instanceof ConfigError) {
      throw new CommandFailedError(error.message, "fix the fields above, then run `ami-lifecycle validate`", {
        cause: error,
      });
    }
    throw error;
  }
}

/** What a read-only command looks at, and the sandbox run behind it when --sandbox. */
export interface OpenedTarget {
  service: ServiceTarget;
  sandbox?: SandboxRun;
  /** `--only-region`, validated against the config */
  region?: string;
  /** the deployment reached (absent with --sandbox) */
  target?: DeploymentTarget;
}

/**
 * Checks a command's arguments against the config the target will have (the sandbox's built-in one, or
 * --config), before anything starts; throws the command's own error.
 */
export type ArgumentCheck = (config: Config, target: ServiceTarget["kind"]) => void;

/**
 * Opens the sandbox (running its scenario) or the target of a real account. Every argument,
 * `checkArguments` included, is checked before anything starts.
 */
export async function openTarget(
  values: OptionValues,
  command: string,
  io: CliIo,
  checkArguments?: ArgumentCheck,
): Promise<OpenedTarget> {
  const region = stringOption(values, "only-region");
  if (flag(values, "sandbox")) {
    for (const accountOnly of ["stage", "profile", "region", "registry-table"]) {
      if (values[accountOnly] !== undefined)
        throw new UsageError(`--${accountOnly} applies to a real account, not with --sandbox`, command);
    }
    const endpoint = stringOption(values, "dynamodb-endpoint");
    // Every argument is checked before anything starts: the sandbox runs the built-in config, so its
    // regions are known now, and a usage error never leaves DynamoDB Local running behind it.
    const shown = checkedRegion(region, sandboxConfig(), command);
    checkArguments?.(sandboxConfig(), "sandbox");
    progress(io, "running the sandbox scenario (simulated account, DynamoDB Local, real handlers)");
    // Loaded on demand: the AWS SDK, Powertools and the handlers make startup slow for light commands.
    const { runSandbox } = await import("../sandbox/run-sandbox");
    const sandbox = await runSandbox({
      ...(endpoint ? { dynamoEndpoint: endpoint } : {}),
      onProgress: (message) => progress(io, message),
    });
    const { session } = sandbox;
    const service = sandboxTarget(session, {
      label: "sandbox (simulated account 111122223333)",
      close: () => session.stop(),
    });
    return { service, sandbox, ...shown };
  }
  const { config } = loadConfigOption(values, io);
  const shown = checkedRegion(region, config, command);
  checkArguments?.(config, "account");
  const target = await resolveDeploymentTarget(values, command, config);
  const { connectAccount } = await import("../targets/connect-account");
  // `--region` is the API region: the home region the stage was deployed to.
  const homed = target.region === config.homeRegion ? config : { ...config, homeRegion: target.region };
  const service = connectAccount({
    config: homed,
    registryTable: target.registryTable,
    ...(target.profile ? { profile: target.profile } : {}),
    ...(target.topicArn ? { topicArn: target.topicArn } : {}),
  });
  return { service, target, ...shown };
}

/** Turns AWS failures of a real account into what to do next. */
export function explainAwsFailure(error: unknown): CommandFailedError | undefined {
  const codes = codesOf(error);
  if (
    codes.some(
      (code) =>
        code === "CredentialsProviderError" || code === "ExpiredToken" || code === "ExpiredTokenException",
    )
  ) {
    return new CommandFailedError(
      "no usable AWS credentials",
      "pass --profile NAME (or set AWS_PROFILE); for SSO run `aws sso login --profile NAME` first",
      { cause: error },
    );
  }
  if (codes.includes("ResourceNotFoundException")) {
    return new CommandFailedError(
      "the registry table was not found",
      "check --stage (or --registry-table) and --region: the stage's home region",
      { cause: error },
    );
  }
  if (
    codes.some(
      (code) =>
        code === "AccessDeniedException" || code === "UnauthorizedOperation" || code === "AccessDenied",
    )
  ) {
    return new CommandFailedError(
      `access denied (${codes.join(", ")})`,
      "use a role that can read the registry table and call ec2:DescribeImages, DescribeSnapshots and DescribeImageReferences",
      { cause: error },
    );
  }
  return undefined;
}

function checkedRegion(region: string | undefined, config: Config, command: string): { region?: string } {
  if (region === undefined) return {};
  if (!config.regions.includes(region))
    throw new UsageError(
      `--only-region ${region} is not one of the managed regions (${config.regions.join(", ")})`,
      command,
    );
  return { region };
}

function codesOf(error: unknown): string[] {
  const codes: string[] = [];
  let current: unknown = error;
  for (let depth = 0; current && depth < 5; depth++) {
    const candidate = current as { code?: unknown; name?: unknown; cause?: unknown };
    for (const value of [candidate.code, candidate.name]) if (typeof value === "string") codes.push(value);
    current = candidate.cause;
  }
  return codes;
}
