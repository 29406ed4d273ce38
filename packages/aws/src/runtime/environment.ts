import { ConfigError, FieldReader, formatPath } from "@ami-lifecycle/core";

// Read by hand (core's FieldReader), not with zod: five variables the stacks set do not need a schema
// library in every function's bundle.

/** The function environment the stacks set; the only place that reads `process.env`. */
export interface FunctionEnvironment {
  AWS_REGION: string;
  REGISTRY_TABLE_NAME: string;
  IDEMPOTENCY_TABLE_NAME: string;
  NOTIFICATIONS_TOPIC_ARN: string;
  /** The stacks always set it; optional so a function deployed without it still alerts (on the team topic). */
  SECURITY_TOPIC_ARN?: string;
  /** The service's own role ARNs (the tamper guard ignores their calls), from a comma-separated list. */
  SERVICE_ROLE_ARNS?: string[];
}

/** An IAM role ARN in any partition. */
const roleArnPattern = /^arn:aws[a-z-]*:iam::\d{12}:role\/./;
/** Environment values are short; the bound only keeps a corrupt value out of the logs. */
const maxValueLength = 4096;

/** Parses the function environment once, at cold start; errors name each variable and the reason. */
export function readFunctionEnvironment(
  env: Record<string, string | undefined> = process.env,
): FunctionEnvironment {
  const reader = new FieldReader();
  // A missing or empty variable, or one of the wrong shape, is refused with what it must hold.
  const required = (name: string, message: string, pattern?: RegExp): string | undefined => {
    const value = env[name];
    if (!value || value.length > maxValueLength || (pattern && !pattern.test(value)))
      return reader.problem([name], message);
    return value;
  };
  const region = required("AWS_REGION", "must be set (Lambda sets it)");
  const registry = required("REGISTRY_TABLE_NAME", "must name the registry table");
  const idempotency = required("IDEMPOTENCY_TABLE_NAME", "must name the idempotency table");
  const topic = required("NOTIFICATIONS_TOPIC_ARN", "must be an SNS topic ARN", /^arn:/);
  const securityTopic = reader.optionalString(env.SECURITY_TOPIC_ARN, ["SECURITY_TOPIC_ARN"], {
    max: maxValueLength,
    pattern: /^arn:/,
    patternMessage: "must be an SNS topic ARN",
  });
  const serviceRoleArns = serviceRoleArnsOf(env.SERVICE_ROLE_ARNS, reader);
  if (reader.issues.length > 0 || !region || !registry || !idempotency || !topic) {
    throw new ConfigError(
      reader.issues.map((issue) => ({ path: formatPath(issue.path), message: issue.message })),
      "function environment",
    );
  }
  return {
    AWS_REGION: region,
    REGISTRY_TABLE_NAME: registry,
    IDEMPOTENCY_TABLE_NAME: idempotency,
    NOTIFICATIONS_TOPIC_ARN: topic,
    ...(securityTopic ? { SECURITY_TOPIC_ARN: securityTopic } : {}),
    ...(serviceRoleArns ? { SERVICE_ROLE_ARNS: serviceRoleArns } : {}),
  };
}

/** The service's role ARNs, comma-separated (ARNs hold no commas); an empty list is refused. */
function serviceRoleArnsOf(value: string | undefined, reader: FieldReader): string[] | undefined {
  if (value === undefined) return undefined;
  const arns = value.split(",").filter((arn) => arn !== "");
  if (arns.length > 0 && arns.every((arn) => roleArnPattern.test(arn))) return arns;
  return reader.problem(["SERVICE_ROLE_ARNS"], "must be a comma-separated list of IAM role ARNs");
}
