import * as z from "zod/mini";
import { knownAwsRegions } from "./aws-regions";
import {
  defaultPointerNamePattern,
  defaultSweepConcurrency,
  latestChannel,
  maxRequestedDeletionsLimit,
} from "./config-limits";
import {
  accountIdSchema,
  awsRegionSchema,
  readableIssueMessage,
  readableIssues,
} from "./contracts/zod-fields";
import { ConfigError } from "./errors";
import { organizationConfigSchema } from "./organization/config";
import { scheduleExpressionProblem } from "./schedule-expression";
import { reportConfigSchema } from "./storage-prices";

const kmsKeyRef = z
  .string()
  .check(
    z.regex(
      /^(arn:aws[a-z-]*:kms:[a-z0-9-]+:\d{12}:(key|alias)\/[A-Za-z0-9/_-]+|alias\/[A-Za-z0-9/_-]+|[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$/,
      "must be a KMS key ARN, key id, alias ARN or alias/NAME",
    ),
  );
// Bounded so date arithmetic stays inside what Date can hold (the planner threw RangeError beyond it);
// ten years is also EC2's furthest deprecation time.
const maxDays = 3650;
const days = z
  .number()
  .check(
    z.int("must be a whole number of days"),
    z.gte(0, "must be ≥ 0"),
    z.lte(maxDays, `must be ≤ ${maxDays} (ten years)`),
  );
// EC2 tag limits: keys up to 128 characters, values up to 256.
const tagKey = z
  .string()
  .check(z.minLength(1, "must not be empty"), z.maxLength(128, "must be at most 128 characters"));
const tagValue = z.string().check(z.maxLength(256, "must be at most 256 characters"));
const notificationEndpoint = z
  .string()
  .check(
    z.regex(/^(https:\/\/\S+|[^@\s]+@[^@\s]+\.[^@\s]+)$/, "must be an e-mail address or an https:// URL"),
  );
const timeZone = z
  .string()
  .check(
    z.minLength(1, "must not be empty"),
    z.refine(isKnownTimeZone, "must be an IANA time zone such as Europe/Paris or UTC"),
  );

/** How an image is recognised as a member of a family. All given criteria must match. */
export const familyMatchSchema = z
  .strictObject({
    namePattern: z.optional(
      z
        .string()
        .check(z.minLength(1, "must not be empty"), z.maxLength(128, "must be at most 128 characters")),
    ),
    tags: z.optional(z.record(tagKey, tagValue)),
  })
  .check(
    z.refine(
      (match) => match.namePattern !== undefined || (match.tags && Object.keys(match.tags).length > 0),
      {
        message: "needs namePattern or at least one tag",
      },
    ),
  );

/** Where a family's versions are copied, and the KMS key (in that region) that encrypts the copy. */
export const copyDestinationSchema = z.strictObject({
  region: awsRegionSchema,
  kmsKeyId: kmsKeyRef,
});

/** When old versions are retired, and what keeps them. */
export const retentionPolicySchema = z.strictObject({
  keepLatest: z._default(z.number().check(z.int("must be a whole number"), z.gte(1, "must be ≥ 1")), 3),
  minAgeDays: z._default(days, 7),
  deprecateAfterDays: z._default(days, 0),
  disableAfterDays: z._default(days, 7),
  deregisterAfterDays: z._default(days, 14),
  keepTag: z._default(z.strictObject({ key: tagKey, value: z.optional(tagValue) }), {
    key: "ami-lifecycle:keep",
  }),
  unusedForDays: z.optional(days),
  maxDeletionsPerRun: z._default(
    z.number().check(z.int("must be a whole number"), z.gte(0, "must be ≥ 0")),
    10,
  ),
  maxRequestedDeletions: z.optional(
    z
      .number()
      .check(
        z.int("must be a whole number"),
        z.gte(0, "must be ≥ 0"),
        z.lte(maxRequestedDeletionsLimit, `must be ≤ ${maxRequestedDeletionsLimit}`),
      ),
  ),
  recoverableForDays: z._default(
    days.check(z.lte(365, "must be ≤ 365 (the Recycle Bin keeps at most 365 days)")),
    7,
  ),
  restoredHoldDays: z._default(days, 14),
});

const channelName = z
  .string()
  .check(z.regex(/^[a-z0-9][a-z0-9-]{0,62}$/, "must be lowercase letters, digits and dashes (≤ 63)"));

/** An AWS Organizations organization ARN. */
const organizationArn = z
  .string()
  .check(
    z.regex(
      /^arn:aws[a-z-]*:organizations::\d{12}:organization\/o-[a-z0-9]{10,32}$/,
      "must be an organization ARN",
    ),
  );
/** An AWS Organizations organizational unit ARN. */
const organizationalUnitArn = z
  .string()
  .check(
    z.regex(
      /^arn:aws[a-z-]*:organizations::\d{12}:ou\/o-[a-z0-9]{10,32}\/ou-[0-9a-z]{4,32}-[0-9a-z]{8,32}$/,
      "must be an organizational unit ARN",
    ),
  );

/** Who may launch a family's versions (launch permissions on every available, non-retired image). */
export const sharingSchema = z.strictObject({
  accounts: z._default(z.array(accountIdSchema), []),
  organizationArns: z._default(z.array(organizationArn), []),
  organizationalUnitArns: z._default(z.array(organizationalUnitArn), []),
  createVolumePermission: z._default(z.boolean(), false),
});

/** A family of images: versions of one product, owned by one team. */
export const familySchema = z.strictObject({
  name: z
    .string()
    .check(z.regex(/^[a-z0-9][a-z0-9-]{0,62}$/, "must be lowercase letters, digits and dashes (≤ 63)")),
  team: z.string().check(z.minLength(1, "must name the owning team")),
  match: familyMatchSchema,
  copyTo: z._default(z.array(copyDestinationSchema), []),
  retention: z._default(retentionPolicySchema, () => retentionPolicySchema.parse({})),
  adopt: z._default(z.boolean(), false),
  maxCopyAttempts: z._default(
    z.number().check(z.int("must be a whole number"), z.gte(1, "must be ≥ 1"), z.lte(10, "must be ≤ 10")),
    3,
  ),
  sharing: z._default(sharingSchema, () => sharingSchema.parse({})),
  channels: z._default(
    z.array(
      channelName.check(
        z.refine((name) => name !== latestChannel, `"${latestChannel}" is reserved and automatic`),
      ),
    ),
    [],
  ),
});

/** Days of the week as the digest names them (Monday first, as ISO weeks count). */
export const weekdays = [
  "monday",
  "tuesday",
  "wednesday",
  "thursday",
  "friday",
  "saturday",
  "sunday",
] as const;

/** `notifications.digest`: the weekly digest, sent by the first sweep on `day` (at or after `time`, in the sweep's time zone). */
export const digestSchema = z.strictObject({
  enabled: z.boolean(),
  day: z.enum(weekdays),
  time: z.optional(z.string().check(z.regex(/^([01]\d|2[0-3]):[0-5]\d$/, "must be HH:MM (24-hour)"))),
});

/** Where the service publishes each family's channel pointers (SSM parameters of DataType aws:ec2:image). */
export const pointersSchema = z.strictObject({
  namePattern: z._default(
    z.string().check(
      z.regex(
        /^\/[A-Za-z0-9_.\-/{}]+$/,
        "must be an SSM parameter path starting with / (letters, digits, _ . - /)",
      ),
      z.refine(
        (pattern) => pattern.includes("{family}") && pattern.includes("{channel}"),
        "must contain {family} and {channel}",
      ),
      z.refine(
        (pattern) => !/^\/(aws|ssm)/i.test(pattern),
        "must not start with /aws or /ssm (reserved by AWS)",
      ),
    ),
    defaultPointerNamePattern,
  ),
  protectionCooldown: z._default(z.boolean(), true),
});

/** Upper bound of `sweep.concurrency`: past it, one invocation's memory and the log lines grow for no rate gained. */
const maxSweepConcurrency = 64;

/** The whole configuration file (`ami-lifecycle.config.json`). */
export const configSchema = z
  .strictObject({
    $schema: z.optional(z.string()),
    accounts: z.array(accountIdSchema).check(z.minLength(1, "must list at least one account")),
    homeRegion: awsRegionSchema,
    regions: z.array(awsRegionSchema).check(z.minLength(1, "must list at least one region")),
    allowUnknownRegions: z._default(z.boolean(), false),
    mode: z._default(z.enum(["dry-run", "enforce"]), "dry-run"),
    sweep: z._default(
      z.strictObject({
        schedule: z._default(
          z.string().check(
            z.regex(/^(cron|rate)\(.+\)$/, "must be cron(...) or rate(...)"),
            z.superRefine((expression, ctx) => {
              const problem = scheduleExpressionProblem(expression);
              if (problem)
                ctx.addIssue({
                  code: "custom",
                  message: `must be an EventBridge Scheduler expression: ${problem}`,
                });
            }),
          ),
          "cron(0 3 * * ? *)",
        ),
        timezone: z._default(timeZone, "UTC"),
        concurrency: z._default(
          z
            .number()
            .check(
              z.int("must be a whole number"),
              z.gte(1, "must be ≥ 1"),
              z.lte(maxSweepConcurrency, `must be ≤ ${maxSweepConcurrency}`),
            ),
          defaultSweepConcurrency,
        ),
      }),
      { schedule: "cron(0 3 * * ? *)", timezone: "UTC", concurrency: defaultSweepConcurrency },
    ),
    notifications: z._default(
      z.strictObject({
        subscriptions: z._default(
          z.record(z.string().check(z.minLength(1, "must not be empty")), z.array(notificationEndpoint)),
          {},
        ),
        security: z._default(z.array(notificationEndpoint), []),
        operations: z._default(z.array(notificationEndpoint), []),
        noticeDays: z._default(days.check(z.lte(90, "must be ≤ 90")), 7),
        digest: z.optional(digestSchema),
      }),
      { subscriptions: {}, security: [], operations: [], noticeDays: 7 },
    ),
    pointers: z._default(pointersSchema, {
      namePattern: defaultPointerNamePattern,
      protectionCooldown: true,
    }),
    guard: z._default(
      z.strictObject({
        publicImages: z._default(z.enum(["revert", "alert"]), "revert"),
      }),
      { publicImages: "revert" },
    ),
    report: z._default(reportConfigSchema, () => reportConfigSchema.parse({})),
    organization: z.optional(organizationConfigSchema),
    families: z.array(familySchema).check(z.minLength(1, "must define at least one family")),
  })
  .check(
    z.superRefine((config, ctx) => {
      reportDuplicates(config.accounts, ["accounts"], "account", ctx);
      // An operator role of another account could read every consumer account with the external id alone
      // (families shared by account list carry no organization condition): only this service's accounts.
      config.organization?.operatorRoleArns?.forEach((arn, index) => {
        const account = /^arn:[^:]+:iam::(\d{12}):/.exec(arn)?.[1];
        if (account && !config.accounts.includes(account))
          ctx.addIssue({
            code: "custom",
            path: ["organization", "operatorRoleArns", index],
            message: `must be a role of one of accounts (${config.accounts.join(", ")}), not of ${account}`,
          });
      });
      reportDuplicates(config.regions, ["regions"], "region", ctx);
      if (!config.allowUnknownRegions) {
        config.regions.forEach((region, index) => {
          if (isRegion(region) && !isKnownRegion(region))
            ctx.addIssue({
              code: "custom",
              path: ["regions", index],
              message: `${region} is not a region the AWS SDK knows; for a region newer than the SDK set allowUnknownRegions: true`,
            });
        });
      }
      // Zod runs this even when a field above failed its own check: compare only values that are valid
      // regions, so one mistake is reported once.
      const checkMembership = config.regions.length > 0;
      if (checkMembership && isRegion(config.homeRegion) && !config.regions.includes(config.homeRegion)) {
        ctx.addIssue({
          code: "custom",
          path: ["regions"],
          message: `must include homeRegion ${config.homeRegion}`,
        });
      }
      reportDuplicates(
        config.families.map((family) => family.name),
        ["families"],
        "family",
        ctx,
        "name",
      );
      config.families.forEach((family, index) => {
        reportDuplicates(family.channels, ["families", index, "channels"], "channel", ctx);
        reportDuplicates(
          family.copyTo.map((destination) => destination.region),
          ["families", index, "copyTo"],
          "copy destination",
          ctx,
          "region",
        );
        reportDuplicates(family.sharing.accounts, ["families", index, "sharing", "accounts"], "account", ctx);
        family.copyTo.forEach((destination, destinationIndex) => {
          const keyRegion = kmsKeyArnRegion(destination.kmsKeyId);
          if (keyRegion !== undefined && isRegion(destination.region) && keyRegion !== destination.region) {
            ctx.addIssue({
              code: "custom",
              path: ["families", index, "copyTo", destinationIndex, "kmsKeyId"],
              message: `is a key in ${keyRegion}; CopyImage needs a key in the destination region ${destination.region}`,
            });
          }
          if (
            checkMembership &&
            isRegion(destination.region) &&
            !config.regions.includes(destination.region)
          ) {
            ctx.addIssue({
              code: "custom",
              path: ["families", index, "copyTo", destinationIndex, "region"],
              message: `${destination.region} is not one of the managed regions`,
            });
          }
        });
      });
    }),
  );

/** The validated configuration, defaults applied. */
export type Config = z.infer<typeof configSchema>;
/** The configuration as written in the file (defaults optional). */
export type ConfigInput = z.input<typeof configSchema>;
/** One validated family. */
export type FamilyConfig = z.infer<typeof familySchema>;
/** One validated sharing policy. */
export type SharingPolicy = z.infer<typeof sharingSchema>;
/** One validated retention policy. */
export type RetentionPolicy = z.infer<typeof retentionPolicySchema>;

/** Validates a parsed config document; throws ConfigError naming each path (`families[2].retention.keepLatest`) and reason. */
export function parseConfig(document: unknown, source = "config"): Config {
  const result = configSchema.safeParse(document, { error: readableIssueMessage });
  if (result.success) return result.data;
  throw new ConfigError(readableIssues(result.error.issues), source);
}

function reportDuplicates(
  values: readonly string[],
  path: PropertyKey[],
  what: string,
  ctx: z.core.$RefinementCtx,
  field?: string,
): void {
  const seen = new Set<string>();
  values.forEach((value, index) => {
    if (seen.has(value)) {
      ctx.addIssue({
        code: "custom",
        path: field ? [...path, index, field] : [...path, index],
        message: `duplicate ${what} "${value}"`,
      });
    }
    seen.add(value);
  });
}

function isRegion(value: string): boolean {
  return awsRegionSchema.safeParse(value).success;
}

/** True when the SDK the project pins knows the region (a region newer than the SDK is not). */
export function isKnownRegion(region: string): boolean {
  return knownAwsRegions.includes(region);
}

/** The region of a KMS key or alias ARN (`arn:aws:kms:REGION:…`); undefined for a key id or alias/NAME. */
function kmsKeyArnRegion(kmsKeyId: string): string | undefined {
  return /^arn:[^:]+:kms:([^:]+):/.exec(kmsKeyId)?.[1];
}

function isKnownTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat("en", { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}
