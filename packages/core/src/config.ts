import { z } from "zod";
import { ConfigError } from "./errors";

const awsRegion = z
  .string()
  .regex(/^[a-z]{2}(-gov|-iso[a-z]*)?-[a-z]+-\d$/, "must be an AWS region such as eu-west-1");
const accountId = z.string().regex(/^\d{12}$/, "must be a 12-digit AWS account id");
const kmsKeyRef = z
  .string()
  .regex(
    /^(arn:aws[a-z-]*:kms:[a-z0-9-]+:\d{12}:(key|alias)\/[A-Za-z0-9/_-]+|alias\/[A-Za-z0-9/_-]+|[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$/,
    "must be a KMS key ARN, key id, alias ARN or alias/NAME",
  );
const days = z.number().int().min(0, "must be ≥ 0");

/** How an image is recognised as a member of a family. All given criteria must match. */
export const familyMatchSchema = z
  .object({
    /** glob on the image name: `*` any run of characters, `?` one character */
    namePattern: z.string().min(1).optional(),
    /** tags the image must carry with these exact values */
    tags: z.record(z.string().min(1), z.string()).optional(),
  })
  .strict()
  .refine((match) => match.namePattern !== undefined || (match.tags && Object.keys(match.tags).length > 0), {
    message: "needs namePattern or at least one tag",
  });

/** Where a family's versions are copied, and the KMS key (in that region) that encrypts the copy. */
export const copyDestinationSchema = z
  .object({
    region: awsRegion,
    kmsKeyId: kmsKeyRef,
  })
  .strict();

/** When old versions are retired, and what keeps them. */
export const retentionPolicySchema = z
  .object({
    /** the newest N available versions are always kept */
    keepLatest: z.number().int().min(1, "must be ≥ 1").default(3),
    /** versions younger than this are kept */
    minAgeDays: days.default(7),
    /** grace between becoming a retirement candidate and deprecation */
    deprecateAfterDays: days.default(0),
    /** grace between deprecation and DisableImage */
    disableAfterDays: days.default(7),
    /** grace between disabling and deregistration (with snapshot deletion) */
    deregisterAfterDays: days.default(14),
    /** an image carrying this tag (with this value, when given) is never retired */
    keepTag: z
      .object({ key: z.string().min(1), value: z.string().optional() })
      .strict()
      .default({ key: "ami-lifecycle:keep" }),
    /** keep images launched within this many days (LastLaunchedTime lags up to 24 h) */
    unusedForDays: days.optional(),
    /** at most this many deregistrations per family and sweep */
    maxDeletionsPerRun: z.number().int().min(0, "must be ≥ 0").default(10),
  })
  .strict();

/** A family of images: versions of one product, owned by one team. */
export const familySchema = z
  .object({
    name: z
      .string()
      .regex(/^[a-z0-9][a-z0-9-]{0,62}$/, "must be lowercase letters, digits and dashes (≤ 63)"),
    team: z.string().min(1, "must name the owning team"),
    match: familyMatchSchema,
    copyTo: z.array(copyDestinationSchema).default([]),
    retention: retentionPolicySchema.default(() => retentionPolicySchema.parse({})),
    /** failed copies are retried up to this many attempts in all */
    maxCopyAttempts: z.number().int().min(1).max(10).default(3),
  })
  .strict();

/** The whole configuration file (`ami-lifecycle.config.json`). */
export const configSchema = z
  .object({
    $schema: z.string().optional(),
    /** accounts whose own images are managed; images owned by anyone else are never touched */
    accounts: z.array(accountId).min(1, "must list at least one account"),
    /** region of the registry, the handlers and the home event bus */
    homeRegion: awsRegion,
    /** every region where images are watched and retired (must include homeRegion and every copy destination) */
    regions: z.array(awsRegion).min(1, "must list at least one region"),
    /** dry-run (default) computes and reports; enforce applies retirement */
    mode: z.enum(["dry-run", "enforce"]).default("dry-run"),
    sweep: z
      .object({
        /** EventBridge Scheduler expression */
        schedule: z
          .string()
          .regex(/^(cron|rate)\(.+\)$/, "must be cron(...) or rate(...)")
          .default("cron(0 3 * * ? *)"),
        /** IANA time zone of the schedule */
        timezone: z.string().min(1).default("UTC"),
      })
      .strict()
      .default({ schedule: "cron(0 3 * * ? *)", timezone: "UTC" }),
    notifications: z
      .object({
        /** team name → e-mail or HTTPS endpoints subscribed with a filter on `team` */
        subscriptions: z.record(z.string(), z.array(z.string().min(1))).default({}),
        /** endpoints of the security topic (public-sharing alerts) */
        security: z.array(z.string().min(1)).default([]),
      })
      .strict()
      .default({ subscriptions: {}, security: [] }),
    families: z.array(familySchema).min(1, "must define at least one family"),
  })
  .strict()
  .superRefine((config, ctx) => {
    if (!config.regions.includes(config.homeRegion)) {
      ctx.addIssue({
        code: "custom",
        path: ["regions"],
        message: `must include homeRegion ${config.homeRegion}`,
      });
    }
    const names = new Set<string>();
    config.families.forEach((family, index) => {
      if (names.has(family.name)) {
        ctx.addIssue({
          code: "custom",
          path: ["families", index, "name"],
          message: `duplicate family "${family.name}"`,
        });
      }
      names.add(family.name);
      family.copyTo.forEach((destination, destinationIndex) => {
        if (!config.regions.includes(destination.region)) {
          ctx.addIssue({
            code: "custom",
            path: ["families", index, "copyTo", destinationIndex, "region"],
            message: `${destination.region} is not one of the managed regions`,
          });
        }
      });
    });
  });

/** The validated configuration, defaults applied. */
export type Config = z.infer<typeof configSchema>;
/** One validated family. */
export type FamilyConfig = z.infer<typeof familySchema>;
/** One validated retention policy. */
export type RetentionPolicy = z.infer<typeof retentionPolicySchema>;

/** Validates a parsed config document; throws ConfigError naming each path (`families[2].retention.keepLatest`) and reason. */
export function parseConfig(document: unknown, source = "config"): Config {
  const result = configSchema.safeParse(document);
  if (result.success) return result.data;
  throw new ConfigError(
    result.error.issues.map((issue) => ({ path: formatPath(issue.path), message: issue.message })),
    source,
  );
}

/** Formats a zod issue path the way a person reads it: `families[2].retention.keepLatest`. */
export function formatPath(path: readonly PropertyKey[]): string {
  if (path.length === 0) return "(root)";
  return path
    .map((segment, index) =>
      typeof segment === "number" ? `[${segment}]` : index === 0 ? String(segment) : `.${String(segment)}`,
    )
    .join("");
}
