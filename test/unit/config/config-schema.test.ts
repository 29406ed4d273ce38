import { describe, expect, it } from "vitest";
import { configSchema, parseConfig } from "../../../packages/core/src/index";
import { issuesOf, type Mutable, validDocument } from "../../support/config-documents";

describe("parseConfig", () => {
  it("applies the documented defaults to a minimal document", () => {
    // Prepare
    const document = validDocument();

    // Act
    const config = parseConfig(document);

    // Assess
    expect(config.mode).toBe("dry-run");
    expect(config.sweep).toEqual({ schedule: "cron(0 3 * * ? *)", timezone: "UTC", concurrency: 8 });
    expect(config.notifications).toEqual({ subscriptions: {}, security: [], operations: [], noticeDays: 7 });
    expect(config.families[0]?.maxCopyAttempts).toBe(3);
    expect(config.families[0]?.retention).toEqual({
      keepLatest: 3,
      minAgeDays: 7,
      deprecateAfterDays: 0,
      disableAfterDays: 7,
      deregisterAfterDays: 14,
      keepTag: { key: "ami-lifecycle:keep" },
      maxDeletionsPerRun: 10,
      recoverableForDays: 7,
      restoredHoldDays: 14,
    });
  });

  it("keeps given retention values and fills in only the missing ones", () => {
    // Prepare
    const document: Mutable = validDocument();
    document.families[0].retention = { keepLatest: 5, unusedForDays: 30 };

    // Act
    const retention = parseConfig(document).families[0]?.retention;

    // Assess
    expect(retention).toMatchObject({
      keepLatest: 5,
      unusedForDays: 30,
      minAgeDays: 7,
      maxDeletionsPerRun: 10,
    });
  });

  it("defaults copyTo to no copies", () => {
    // Prepare
    const document: Mutable = validDocument();
    delete document.families[0].copyTo;

    // Act
    const family = parseConfig(document).families[0];

    // Assess
    expect(family?.copyTo).toEqual([]);
  });

  it("names the source in the error message", () => {
    // Prepare
    const document: Mutable = validDocument();
    document.families[0].retention = { keepLatest: 0 };

    // Act
    const act = () => parseConfig(document, "ami-lifecycle.config.json");

    // Assess
    expect(act).toThrowError(
      "ami-lifecycle.config.json is invalid:\n  families[0].retention.keepLatest: must be ≥ 1",
    );
  });

  const singleRuleViolations: [string, (document: Mutable) => void, string, string][] = [
    ["a missing accounts list", (d) => delete d.accounts, "accounts", "is required"],
    ["an empty accounts list", (d) => (d.accounts = []), "accounts", "must list at least one account"],
    [
      "a short account id",
      (d) => (d.accounts = ["12345"]),
      "accounts[0]",
      "must be a 12-digit AWS account id",
    ],
    [
      "an account id given as a number",
      (d) => (d.accounts = [111122223333]),
      "accounts[0]",
      "must be a string",
    ],
    [
      "a duplicate account",
      (d) => (d.accounts = ["111122223333", "111122223333"]),
      "accounts[1]",
      'duplicate account "111122223333"',
    ],
    ["a missing homeRegion", (d) => delete d.homeRegion, "homeRegion", "is required"],
    [
      "a homeRegion that is not a region",
      (d) => (d.homeRegion = "Europe"),
      "homeRegion",
      "must be an AWS region such as eu-west-1",
    ],
    ["an empty regions list", (d) => (d.regions = []), "regions", "must list at least one region"],
    [
      "a malformed region",
      (d) => d.regions.push("eu_west_1"),
      "regions[2]",
      "must be an AWS region such as eu-west-1",
    ],
    ["a duplicate region", (d) => d.regions.push("eu-west-1"), "regions[2]", 'duplicate region "eu-west-1"'],
    ["an unknown mode", (d) => (d.mode = "apply"), "mode", 'must be one of "dry-run", "enforce"'],
    [
      "a schedule that is not cron() or rate()",
      (d) => (d.sweep = { schedule: "0 3 * * *" }),
      "sweep.schedule",
      "must be cron(...) or rate(...)",
    ],
    [
      "an unknown time zone",
      (d) => (d.sweep = { timezone: "Mars/Olympus" }),
      "sweep.timezone",
      "must be an IANA time zone such as Europe/Paris or UTC",
    ],
    [
      "a subscription endpoint that is neither e-mail nor https",
      (d) => (d.notifications = { subscriptions: { payments: ["http://hooks.example.com/x"] } }),
      "notifications.subscriptions.payments[0]",
      "must be an e-mail address or an https:// URL",
    ],
    [
      "a security endpoint that is not an address",
      (d) => (d.notifications = { security: ["security team"] }),
      "notifications.security[0]",
      "must be an e-mail address or an https:// URL",
    ],
    ["an empty families list", (d) => (d.families = []), "families", "must define at least one family"],
    [
      "a family name with capitals",
      (d) => (d.families[0].name = "Payments"),
      "families[0].name",
      "must be lowercase letters, digits and dashes (≤ 63)",
    ],
    [
      "a family name longer than 63 characters",
      (d) => (d.families[0].name = "a".repeat(64)),
      "families[0].name",
      "must be lowercase letters, digits and dashes (≤ 63)",
    ],
    ["an empty team", (d) => (d.families[0].team = ""), "families[0].team", "must name the owning team"],
    ["a missing match", (d) => delete d.families[0].match, "families[0].match", "is required"],
    [
      "a match with neither name pattern nor tags",
      (d) => (d.families[0].match = { tags: {} }),
      "families[0].match",
      "needs namePattern or at least one tag",
    ],
    [
      "an empty name pattern",
      (d) => (d.families[0].match = { namePattern: "" }),
      "families[0].match.namePattern",
      "must not be empty",
    ],
    [
      "a name pattern longer than an AMI name can be",
      (d) => (d.families[0].match = { namePattern: "x".repeat(129) }),
      "families[0].match.namePattern",
      "must be at most 128 characters",
    ],
    [
      "a tag value longer than EC2 allows",
      (d) => (d.families[0].match = { tags: { team: "x".repeat(257) } }),
      "families[0].match.tags.team",
      "must be at most 256 characters",
    ],
    [
      "a copy destination with a bare key name",
      (d) => (d.families[0].copyTo[0].kmsKeyId = "ami-lifecycle"),
      "families[0].copyTo[0].kmsKeyId",
      "must be a KMS key ARN, key id, alias ARN or alias/NAME",
    ],
    [
      "a copy destination without a key",
      (d) => delete d.families[0].copyTo[0].kmsKeyId,
      "families[0].copyTo[0].kmsKeyId",
      "is required",
    ],
    [
      "keepLatest of zero",
      (d) => (d.families[0].retention = { keepLatest: 0 }),
      "families[0].retention.keepLatest",
      "must be ≥ 1",
    ],
    [
      "a fractional keepLatest",
      (d) => (d.families[0].retention = { keepLatest: 2.5 }),
      "families[0].retention.keepLatest",
      "must be a whole number",
    ],
    [
      "a negative minAgeDays",
      (d) => (d.families[0].retention = { minAgeDays: -1 }),
      "families[0].retention.minAgeDays",
      "must be ≥ 0",
    ],
    [
      "a fractional grace period",
      (d) => (d.families[0].retention = { disableAfterDays: 1.5 }),
      "families[0].retention.disableAfterDays",
      "must be a whole number of days",
    ],
    [
      "a grace period given as text",
      (d) => (d.families[0].retention = { deregisterAfterDays: "14" }),
      "families[0].retention.deregisterAfterDays",
      "must be a number",
    ],
    [
      "a recovery period beyond the Recycle Bin's 365 days",
      (d) => (d.families[0].retention = { recoverableForDays: 366 }),
      "families[0].retention.recoverableForDays",
      "must be ≤ 365 (the Recycle Bin keeps at most 365 days)",
    ],
    [
      "a negative restoredHoldDays",
      (d) => (d.families[0].retention = { restoredHoldDays: -1 }),
      "families[0].retention.restoredHoldDays",
      "must be ≥ 0",
    ],
    [
      "a negative maxDeletionsPerRun",
      (d) => (d.families[0].retention = { maxDeletionsPerRun: -1 }),
      "families[0].retention.maxDeletionsPerRun",
      "must be ≥ 0",
    ],
    [
      "a keep tag without key",
      (d) => (d.families[0].retention = { keepTag: { key: "" } }),
      "families[0].retention.keepTag.key",
      "must not be empty",
    ],
    [
      "more than ten copy attempts",
      (d) => (d.families[0].maxCopyAttempts = 11),
      "families[0].maxCopyAttempts",
      "must be ≤ 10",
    ],
    [
      "zero copy attempts",
      (d) => (d.families[0].maxCopyAttempts = 0),
      "families[0].maxCopyAttempts",
      "must be ≥ 1",
    ],
    [
      "a misspelt retention setting",
      (d) => (d.families[0].retention = { keepLast: 3 }),
      "families[0].retention.keepLast",
      "is not a known field",
    ],
    ["an unknown top-level field", (d) => (d.dryRun = true), "dryRun", "is not a known field"],
  ];

  it.each(singleRuleViolations)("rejects %s with its path and reason", (_, mutate, path, message) => {
    // Prepare
    const document = validDocument();
    mutate(document);

    // Act
    const issues = issuesOf(document);

    // Assess
    expect(issues).toEqual([{ path, message }]);
  });

  it("rejects a document that is not an object", () => {
    expect(issuesOf([])).toEqual([{ path: "(root)", message: "must be an object" }]);
  });

  describe("cross-field rules", () => {
    it("requires homeRegion to be one of the regions", () => {
      // Prepare
      const document: Mutable = validDocument();
      document.homeRegion = "ap-southeast-2";

      // Act
      const issues = issuesOf(document);

      // Assess
      expect(issues).toEqual([{ path: "regions", message: "must include homeRegion ap-southeast-2" }]);
    });

    it("requires every copy destination to be a managed region", () => {
      // Prepare
      const document: Mutable = validDocument();
      document.families[0].copyTo.push({ region: "ap-southeast-2", kmsKeyId: "alias/ami-lifecycle" });

      // Act
      const issues = issuesOf(document);

      // Assess
      expect(issues).toEqual([
        { path: "families[0].copyTo[1].region", message: "ap-southeast-2 is not one of the managed regions" },
      ]);
    });

    it("rejects two copies of one family to the same region", () => {
      // Prepare
      const document: Mutable = validDocument();
      document.families[0].copyTo.push({ region: "eu-west-1", kmsKeyId: "alias/other" });

      // Act
      const issues = issuesOf(document);

      // Assess
      expect(issues).toEqual([
        { path: "families[0].copyTo[1].region", message: 'duplicate copy destination "eu-west-1"' },
      ]);
    });

    it("rejects a second family with the same name, pointing at the second one", () => {
      // Prepare
      const document: Mutable = validDocument();
      document.families.push({ name: "base", team: "platform", match: { namePattern: "base-*" } });
      document.families.push({
        name: "payments-api",
        team: "payments",
        match: { tags: { team: "payments" } },
      });

      // Act
      const issues = issuesOf(document);

      // Assess
      expect(issues).toEqual([{ path: "families[2].name", message: 'duplicate family "payments-api"' }]);
    });

    it("reports every problem of a document at once", () => {
      // Prepare
      const document: Mutable = validDocument();
      document.accounts = ["1"];
      document.families[0].retention = { keepLatest: 0 };

      // Act
      const issues = issuesOf(document);

      // Assess
      expect(issues).toEqual([
        { path: "accounts[0]", message: "must be a 12-digit AWS account id" },
        { path: "families[0].retention.keepLatest", message: "must be ≥ 1" },
      ]);
    });
  });
});

describe("configSchema read without parseConfig's wording", () => {
  it("words the issues no schema words in English, as the Powertools parser reports them", () => {
    // Prepare: zod/mini has no messages of its own; Standard Schema validation passes no error map.
    const document: Mutable = validDocument();
    delete document.accounts;
    document.unexpected = true;

    // Act
    const result = configSchema["~standard"].validate(document);

    // Assess
    expect(result).toMatchObject({
      issues: [
        { path: ["accounts"], message: "Invalid input: expected array, received undefined" },
        { path: [], message: 'Unrecognized key: "unexpected"' },
      ],
    });
  });
});
