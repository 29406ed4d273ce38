import {
  type DeploymentDescriptor,
  deploymentParameterName,
  InvalidDeploymentDescriptorError,
  isStageName,
  parseDeploymentDescriptor,
} from "@ami-lifecycle/core";
import { GetParameterCommand, type SSMClient } from "@aws-sdk/client-ssm";
import { CommandFailedError } from "../cli/errors";

/** What `--stage` needs: the stage, the home (API) region and the SSM client of that region. */
export interface StageLookup {
  stage: string;
  region: string;
  ssm: Pick<SSMClient, "send">;
}

/**
 * Reads a stage's deployment descriptor (`deploymentParameterName`: `/ami-lifecycle-deployment/<stage>`). A missing stage, a
 * denied read and a value this CLI does not understand each become a CommandFailedError (exit 1)
 * that names the region, the action and the parameter.
 */
export async function resolveStage(lookup: StageLookup): Promise<DeploymentDescriptor> {
  const { stage } = lookup;
  const name = deploymentParameterName(stage);
  let value: string | undefined;
  try {
    const output = await lookup.ssm.send(new GetParameterCommand({ Name: name }));
    value = output.Parameter?.Value;
  } catch (error) {
    throw explainLookupFailure(error, lookup, name) ?? error;
  }
  if (value === undefined) throw noDeployment(lookup);
  try {
    return parseDeploymentDescriptor(name, value);
  } catch (error) {
    if (error instanceof InvalidDeploymentDescriptorError) {
      throw new CommandFailedError(
        error.message,
        `redeploy stage ${stage} with this version (\`sst deploy --stage ${stage}\`), or pass the physical names (--registry-table …)`,
        { cause: error },
      );
    }
    throw error;
  }
}

/** Refuses a stage name that cannot name a deployment, before any call. */
export function checkedStageName(stage: string): string | undefined {
  return isStageName(stage) ? undefined : `--stage must be letters, digits and dashes, got "${stage}"`;
}

function noDeployment(lookup: StageLookup): CommandFailedError {
  return new CommandFailedError(
    `no deployment of stage ${lookup.stage} in ${lookup.region} (${deploymentParameterName(lookup.stage)} not found)`,
    `deploy it (\`sst deploy --stage ${lookup.stage}\`), or pass --region with the stage's home region, or pass the physical names (--registry-table …)`,
  );
}

function explainLookupFailure(
  error: unknown,
  lookup: StageLookup,
  name: string,
): CommandFailedError | undefined {
  const code = (error as { name?: unknown }).name;
  if (code === "ParameterNotFound") return noDeployment(lookup);
  if (code === "AccessDeniedException" || code === "AccessDenied") {
    const arn = parameterArnFrom(error, lookup.region, name);
    return new CommandFailedError(
      `access denied: ssm:GetParameter on ${arn}`,
      "use a role with the operator policy (docs/operator-policy.json), which grants ssm:GetParameter on this parameter, or pass the physical names (--registry-table …)",
      { cause: error },
    );
  }
  return undefined;
}

/** The parameter's ARN as AWS's denial names it, else built from the region (the account is unknown then). */
function parameterArnFrom(error: unknown, region: string, name: string): string {
  const message = error instanceof Error ? error.message : "";
  const named = /arn:aws[a-z-]*:ssm:[^\s]+:parameter\/[^\s]+/.exec(message)?.[0];
  return named ?? `arn:aws:ssm:${region}:<account>:parameter${name}`;
}
