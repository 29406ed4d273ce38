import type { Config, DeploymentDescriptor } from "@ami-lifecycle/core";
import type { OptionSpec, OptionValues } from "../cli/command";
import { stringOption } from "../cli/command";
import { UsageError } from "../cli/errors";

/**
 * `--stage NAME`, `--profile`, `--region` as the AWS CLI has them: every command that talks to a
 * deployment finds its physical names from the stage; `--region` is the home (API) region.
 */
export const stageOptions: Record<string, OptionSpec> = {
  stage: {
    type: "string",
    value: "NAME",
    description:
      "the deployed stage (`sst deploy --stage NAME`): its names are read from /ami-lifecycle-deployment/NAME",
  },
  profile: {
    type: "string",
    value: "NAME",
    description: "AWS profile (default: the standard credential chain: env, SSO, ~/.aws, instance role)",
  },
  region: {
    type: "string",
    value: "REGION",
    description: "the stage's home region, where its API calls go (default: the config's homeRegion)",
  },
};

/**
 * Where a command that writes acts (rollback, promote, restore): the sandbox, or a deployed service by
 * `--stage` or, for experts, by physical names.
 */
export const writingTargetOptions: Record<string, OptionSpec> = {
  sandbox: {
    type: "boolean",
    description: "run the sandbox scenario first, then act on the sandbox (no AWS account needed)",
  },
  ...stageOptions,
  "registry-table": {
    type: "string",
    value: "NAME",
    description: "experts: the registry table's physical name, instead of --stage (wins over it)",
  },
  "topic-arn": {
    type: "string",
    value: "ARN",
    description:
      "experts: the notifications topic to tell the team (default with --stage: the stage's); else nobody is notified",
  },
};

/** `--only-region`: the one flag that narrows what is shown to one managed region. */
export const onlyRegionOption: Record<string, OptionSpec> = {
  "only-region": {
    type: "string",
    value: "REGION",
    description: "show only this managed region (planning still reads every managed region)",
  },
};

/** Where a command reaches a deployment: the descriptor of `--stage`, else the physical names given. */
export interface DeploymentTarget {
  registryTable: string;
  topicArn?: string;
  /** the stage's descriptor, when `--stage` found one */
  descriptor?: DeploymentDescriptor;
  /** the home (API) region the calls go to */
  region: string;
  profile?: string;
}

/**
 * Resolves what a command talks to. Physical-name flags (`--registry-table`, `--topic-arn`) are for
 * experts and win when given; otherwise `--stage` is read (one GetParameter in the home region).
 */
export async function resolveDeploymentTarget(
  values: OptionValues,
  command: string,
  config: Config,
): Promise<DeploymentTarget> {
  const stage = stringOption(values, "stage");
  const profile = stringOption(values, "profile");
  const region = stringOption(values, "region") ?? config.homeRegion;
  const registryTable = stringOption(values, "registry-table");
  const topicArn = stringOption(values, "topic-arn");
  const common = { region, ...(profile ? { profile } : {}) };
  if (stage === undefined) {
    if (!registryTable) {
      throw new UsageError(
        "--stage NAME is required to reach a deployed service (or, for experts, --registry-table NAME); or try --sandbox",
        command,
      );
    }
    return { registryTable, ...(topicArn ? { topicArn } : {}), ...common };
  }
  const { checkedStageName, resolveStage } = await import("../targets/stage");
  const invalid = checkedStageName(stage);
  if (invalid) throw new UsageError(invalid, command);
  const { SSMClient } = await import("@aws-sdk/client-ssm");
  const ssm = new SSMClient(common);
  try {
    const descriptor = await resolveStage({ stage, region, ssm });
    return {
      registryTable: registryTable ?? descriptor.registryTable,
      topicArn: topicArn ?? descriptor.topics.notifications,
      descriptor,
      ...common,
    };
  } finally {
    ssm.destroy();
  }
}
