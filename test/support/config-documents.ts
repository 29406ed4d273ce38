import { ConfigError, type ConfigInput, parseConfig } from "@ami-lifecycle/core";

/** The smallest valid document with a copy: tests change one thing in it. */
export function validDocument(): ConfigInput & Record<string, unknown> {
  return {
    accounts: ["111122223333"],
    homeRegion: "us-east-1",
    regions: ["us-east-1", "eu-west-1"],
    families: [
      {
        name: "payments-api",
        team: "payments",
        match: { namePattern: "payments-api-*" },
        copyTo: [{ region: "eu-west-1", kmsKeyId: "alias/ami-lifecycle" }],
      },
    ],
  };
}

/** One region, one family `base`, nothing else: the defaults' document. */
export const baseDocument = {
  accounts: ["111122223333"],
  homeRegion: "us-east-1",
  regions: ["us-east-1"],
  families: [{ name: "base", team: "platform", match: { namePattern: "base-*" } }],
};

/** A document a test makes invalid on purpose. */
// biome-ignore lint/suspicious/noExplicitAny: tests write invalid values on purpose
export type Mutable = any;

/** The issues of the ConfigError parseConfig throws for `document`; fails when it accepts it. */
export function issuesOf(document: unknown): { path: string; message: string }[] {
  try {
    parseConfig(document, "test.json");
  } catch (error) {
    if (error instanceof ConfigError) return [...error.issues];
    throw error;
  }
  throw new Error("expected parseConfig to reject the document");
}
