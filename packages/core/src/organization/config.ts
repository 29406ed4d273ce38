import * as z from "zod/mini";

const roleName = z
  .string()
  .check(z.regex(/^[\w+=,.@-]{1,64}$/, "must be an IAM role name (1-64 of letters, digits and +=,.@_-)"));
const roleArn = z
  .string()
  .check(z.regex(/^arn:aws[a-z-]*:iam::\d{12}:role\/[\w+=,.@/-]{1,512}$/, "must be an IAM role ARN"));
const topicArn = z
  .string()
  .check(z.regex(/^arn:aws[a-z-]*:sns:[a-z0-9-]+:\d{12}:[\w-]{1,256}$/, "must be an SNS topic ARN"));
const accountId = z.string().check(z.regex(/^\d{12}$/, "must be a 12-digit AWS account id"));
const eventBusArn = z
  .string()
  .check(
    z.regex(
      /^arn:aws[a-z-]*:events:[a-z0-9-]+:\d{12}:event-bus\/[\w.-]{1,256}$/,
      "must be an EventBridge event bus ARN (arn:aws:events:<region>:<account>:event-bus/<name>)",
    ),
  );
/**
 * The buses consumer accounts name for their schedule notices, keyed by account. A bus must be the key's
 * own: the notice tells that account, and the sweep's PutEvents grant names exactly these ARNs.
 */
const consumerEventBuses = z.record(accountId, eventBusArn).check(
  z.superRefine((buses, ctx) => {
    for (const [account, arn] of Object.entries(buses)) {
      const busAccount = arn.split(":")[4];
      if (/^\d{12}$/.test(account) && busAccount && busAccount !== account)
        ctx.addIssue({
          code: "custom",
          path: [account],
          message: `must be a bus of account ${account}, not of ${busAccount}`,
        });
    }
  }),
);
const externalId = z
  .string()
  .check(z.regex(/^[\w+=,.@:/-]{2,1224}$/, "must be 2-1224 characters of letters, digits and +=,.@:/_-"));

const stackSetTarget = z
  .string()
  .check(
    z.regex(
      /^(r-[0-9a-z]{4,32}|ou-[0-9a-z]{4,32}-[0-9a-z]{8,32})$/,
      "must be an organization root id (r-…) or an OU id (ou-…-…)",
    ),
  );

/**
 * The `organization` slice (issue #16): how the service finds and checks the consumer accounts of its
 * shared images. Absent: off, and retention looks at the owner account only, as before.
 */
export const organizationConfigSchema = z.strictObject({
  consumerRoleName: roleName,
  externalId: z.optional(externalId),
  managementRoleArn: z.optional(roleArn),
  /**
   * Roles operators run `ami-lifecycle plan` against a deployed stage as: the consumer and reader roles
   * trust them too (reads only), so the plan sees the consumers' evidence. Absent: only the sweep's role.
   */
  operatorRoleArns: z.optional(z.array(roleArn).check(z.minLength(1, "must name at least one role"))),
  consumerTopicArn: z.optional(topicArn),
  consumerEventBuses: z.optional(consumerEventBuses),
  usageReportLagDays: z._default(
    z
      .number()
      .check(z.int("must be a whole number of days"), z.gte(1, "must be ≥ 1"), z.lte(29, "must be ≤ 29")),
    3,
  ),
  versionDepth: z._default(
    z
      .number()
      .check(z.int("must be a whole number"), z.gte(1, "must be ≥ 1"), z.lte(10000, "must be ≤ 10000")),
    10000,
  ),
  consumerRoleStackSet: z.optional(
    z.strictObject({
      targets: z.optional(z.array(stackSetTarget).check(z.minLength(1, "must name at least one root or OU"))),
      callAs: z._default(z.enum(["SELF", "DELEGATED_ADMIN"]), "SELF"),
    }),
  ),
});

/** The parsed `organization` slice. */
export type OrganizationConfig = z.infer<typeof organizationConfigSchema>;
