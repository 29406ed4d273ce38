import { type Config, type ConfigInput, parseConfig } from "@ami-lifecycle/core";

/** Regions of the sandbox's simulated account. */
export const sandboxRegions = ["us-east-1", "eu-west-1", "ap-southeast-2"];

/** The KMS alias the sandbox creates in every copy region. */
export const sandboxKeyAlias = "alias/ami-lifecycle";

/** The alias payments-api names in ap-southeast-2 that the sandbox never creates: a bad key, found only when copies fail. */
export const sandboxMissingKeyAlias = "alias/payments-images";

/**
 * The example configuration's two families, with retention compressed to days so a few simulated
 * days show every retirement stage. Mode is dry-run here as in the example; the sandbox runs on a copy
 * in enforce mode (see `enforcedCopy`).
 */
export const sandboxConfigDocument: ConfigInput = {
  accounts: ["111122223333"],
  homeRegion: "us-east-1",
  regions: sandboxRegions,
  mode: "dry-run",
  sweep: { schedule: "cron(0 3 * * ? *)", timezone: "UTC" },
  notifications: {
    subscriptions: {
      payments: ["payments-oncall@example.com"],
      platform: ["platform-images@example.com"],
    },
    security: ["security-alerts@example.com"],
  },
  families: [
    {
      name: "payments-api",
      team: "payments",
      match: { namePattern: "payments-api-*" },
      copyTo: [
        { region: "eu-west-1", kmsKeyId: sandboxKeyAlias },
        { region: "ap-southeast-2", kmsKeyId: sandboxMissingKeyAlias },
      ],
      maxCopyAttempts: 2,
      retention: { keepLatest: 2, minAgeDays: 1, disableAfterDays: 1, deregisterAfterDays: 1 },
    },
    {
      name: "base-al2023",
      team: "platform",
      match: { namePattern: "base-al2023-*" },
      copyTo: [
        { region: "eu-west-1", kmsKeyId: sandboxKeyAlias },
        { region: "ap-southeast-2", kmsKeyId: sandboxKeyAlias },
      ],
      retention: { keepLatest: 2, minAgeDays: 1, disableAfterDays: 1, deregisterAfterDays: 1 },
      channels: ["stable"],
    },
  ],
};

/** The built-in sandbox configuration, validated. */
export function sandboxConfig(): Config {
  return parseConfig(sandboxConfigDocument, "sandbox config");
}

/** A copy of the config in enforce mode: in dry-run, retirement would only be reported. */
export function enforcedCopy(config: Config): Config {
  return { ...config, mode: "enforce" };
}
