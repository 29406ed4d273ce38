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
  consumerRoleName: roleName.check(
    z.describe("read-only role the sweep assumes in every consumer account to look for references"),
  ),
  externalId: z
    .optional(externalId)
    .check(z.describe("external id the consumer role's trust policy requires (sts:ExternalId)")),
  managementRoleArn: z
    .optional(roleArn)
    .check(
      z.describe(
        "role in the management or a delegated-administrator account that lists the accounts of shared organizations and OUs",
      ),
    ),
  consumerTopicArn: z
    .optional(topicArn)
    .check(
      z.describe(
        "SNS topic consumer accounts subscribe to (filter on the consumerAccount attribute): each one still using a version due to retire is told what uses it and when its steps come",
      ),
    ),
  usageReportLagDays: z
    ._default(
      z
        .number()
        .check(z.int("must be a whole number of days"), z.gte(1, "must be ≥ 1"), z.lte(29, "must be ≤ 29")),
      3,
    )
    .check(
      z.describe(
        "an AMI usage report showing no use counts as evidence only once older than this (AWS: recent launches and template changes may be missing)",
      ),
    ),
  versionDepth: z
    ._default(
      z
        .number()
        .check(z.int("must be a whole number"), z.gte(1, "must be ≥ 1"), z.lte(10000, "must be ≤ 10000")),
      10000,
    )
    .check(z.describe("launch template versions, newest first, usage reports and probes look at")),
  consumerRoleStackSet: z
    .optional(
      z.strictObject({
        targets: z
          .optional(z.array(stackSetTarget).check(z.minLength(1, "must name at least one root or OU")))
          .check(
            z.describe(
              "roots and OUs whose accounts get the consumer role; default: the OUs the families share with",
            ),
          ),
        callAs: z
          ._default(z.enum(["SELF", "DELEGATED_ADMIN"]), "SELF")
          .check(
            z.describe(
              "SELF when the service is deployed in the management account, DELEGATED_ADMIN in a delegated CloudFormation administrator",
            ),
          ),
      }),
    )
    .check(
      z.describe(
        "the stacks deploy the consumer role as a service-managed StackSet (auto-deployment on); absent: no StackSet",
      ),
    ),
});

/** The parsed `organization` slice. */
export type OrganizationConfig = z.infer<typeof organizationConfigSchema>;
