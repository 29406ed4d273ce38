import { ConfigError, formatPath } from "@ami-lifecycle/core";
import * as z from "zod/mini";

const environmentSchema = z.object({
  AWS_REGION: z.string().check(z.minLength(1, "must be set (Lambda sets it)")),
  REGISTRY_TABLE_NAME: z.string().check(z.minLength(1, "must name the registry table")),
  IDEMPOTENCY_TABLE_NAME: z.string().check(z.minLength(1, "must name the idempotency table")),
  NOTIFICATIONS_TOPIC_ARN: z.string().check(z.startsWith("arn:", "must be an SNS topic ARN")),
  // The stacks always set it; optional so a function deployed without it still alerts (on the team topic).
  SECURITY_TOPIC_ARN: z.optional(z.string().check(z.startsWith("arn:", "must be an SNS topic ARN"))),
  // The service's own role ARNs, comma-separated (ARNs hold no commas): the tamper guard ignores their calls.
  SERVICE_ROLE_ARNS: z.optional(
    z
      .pipe(
        z.string(),
        z.transform((list) => list.split(",").filter((arn) => arn !== "")),
      )
      .check(
        z.refine(
          (arns) => arns.length > 0 && arns.every((arn) => /^arn:aws[a-z-]*:iam::\d{12}:role\/./.test(arn)),
          "must be a comma-separated list of IAM role ARNs",
        ),
      ),
  ),
});

/** The function environment the stacks set; the only place that reads `process.env`. */
export type FunctionEnvironment = z.infer<typeof environmentSchema>;

/** Parses the function environment once, at cold start; errors name each variable and the reason. */
export function readFunctionEnvironment(
  env: Record<string, string | undefined> = process.env,
): FunctionEnvironment {
  const result = environmentSchema.safeParse(env);
  if (result.success) return result.data;
  throw new ConfigError(
    result.error.issues.map((issue) => ({ path: formatPath(issue.path), message: issue.message })),
    "function environment",
  );
}
