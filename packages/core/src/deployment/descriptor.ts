import * as z from "zod/mini";
import { AmiLifecycleError } from "../errors";

/** A non-empty string (a name, an ARN, a URL). */
const name = z.string().check(z.minLength(1));

/**
 * What a deployed stage publishes about itself (one SSM parameter per stage, in the home region, `deploymentParameterName`) so
 * the CLI needs only `--stage NAME`: the physical names `sst deploy` chose, and what the config said.
 */
export const deploymentDescriptorSchema = z.object({
  /** bumped when a field changes meaning; readers refuse versions they do not know */
  descriptorVersion: z.literal(1),
  stage: name,
  homeRegion: name,
  managedRegions: z.array(name).check(z.minLength(1)),
  registryTable: name,
  topics: z.object({ notifications: name, security: name }),
  /** function names by handler (`retention-sweep`, `rollback`, …) */
  functions: z.record(z.string(), name),
  /** dead-letter queue URLs by what they catch (`handler`, `schedule`, `routing`) */
  deadLetterQueues: z.record(z.string(), name),
  alarmNames: z.array(name),
  schedule: z.object({ expression: name, timezone: name }),
  /** sha256 of the deployed configuration document, so an operator can tell a stale local config */
  configVersion: name,
});

/** The published description of a deployed stage. */
export type DeploymentDescriptor = z.infer<typeof deploymentDescriptorSchema>;

/** Stage names as SST accepts them; also keeps the parameter name a valid SSM path. */
const stageNamePattern = /^[A-Za-z0-9][A-Za-z0-9-]{0,62}$/;

/**
 * The SSM parameter a stage's descriptor lives in: `/ami-lifecycle-deployment/<stage>`. Deliberately
 * outside the default pointer path `/ami-lifecycle/`: there `/ami-lifecycle/prod/deployment` would be
 * the pointer of family `prod`, channel `deployment`, and every role that moves pointers could
 * overwrite the descriptor (and the operator's pointer grant would already read it).
 */
export function deploymentParameterName(stage: string): string {
  return `/ami-lifecycle-deployment/${stage}`;
}

/** The ARN IAM evaluates GetParameter of that parameter against (ARNs drop the name's leading slash). */
export function deploymentParameterArn(input: {
  partition: string;
  region: string;
  accountId: string;
  stage: string;
}): string {
  return `arn:${input.partition}:ssm:${input.region}:${input.accountId}:parameter${deploymentParameterName(input.stage)}`;
}

/** True when `stage` can name a deployment (letters, digits and dashes, as SST stages). */
export function isStageName(stage: string): boolean {
  return stageNamePattern.test(stage);
}

/** Largest value of a Standard-tier SSM parameter (4 KB); beyond it the Advanced tier (8 KB) is billed. */
export const standardParameterValueLimit = 4096;

/** The tier a value needs: Standard up to 4 KB, Advanced beyond (SSM refuses Standard values above it). */
export function parameterTierFor(value: string): "Standard" | "Advanced" {
  return Buffer.byteLength(value, "utf8") <= standardParameterValueLimit ? "Standard" : "Advanced";
}

/** The parameter's value is not a descriptor this CLI understands; `issues` name each field. */
export class InvalidDeploymentDescriptorError extends AmiLifecycleError {
  override name = "InvalidDeploymentDescriptorError";
  constructor(
    readonly parameterName: string,
    readonly issues: readonly { path: string; message: string }[],
  ) {
    super(
      `${parameterName} is not a deployment descriptor: ${issues.map((issue) => `${issue.path}: ${issue.message}`).join("; ")}`,
    );
  }
}

/** Parses a parameter value into a descriptor, naming every bad field. */
export function parseDeploymentDescriptor(parameterName: string, value: string): DeploymentDescriptor {
  let document: unknown;
  try {
    document = JSON.parse(value);
  } catch {
    throw new InvalidDeploymentDescriptorError(parameterName, [{ path: "(value)", message: "not JSON" }]);
  }
  const parsed = deploymentDescriptorSchema.safeParse(document);
  if (!parsed.success) {
    throw new InvalidDeploymentDescriptorError(
      parameterName,
      parsed.error.issues.map((issue) => ({
        path: issue.path.join(".") || "(root)",
        message: issue.message,
      })),
    );
  }
  return parsed.data;
}
