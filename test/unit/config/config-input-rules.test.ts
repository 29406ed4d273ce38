import { describe, expect, it } from "vitest";
import { type FamilyConfig, parseConfig, planRetention } from "../../../packages/core/src/index";
import { issuesOf, type Mutable, validDocument } from "../../support/config-documents";
import { now, scenario } from "../retention/builders";

function withSchedule(schedule: string): Mutable {
  const document: Mutable = validDocument();
  document.sweep = { schedule };
  return document;
}

describe("sweep.schedule: EventBridge Scheduler's cron and rate grammar", () => {
  it.each([
    "cron(0 3 * * ? *)",
    "cron(15 10 ? * 6L 2022-2023)",
    "cron(0/15 * * * ? *)",
    "cron(0 8 1W * ? *)",
    "cron(0 9 L * ? *)",
    "cron(0 18 ? * MON-FRI *)",
    "cron(30 2 ? JAN,JUL 3#2 *)",
    "cron(0 0,12 1-15 * ? 2030)",
    "rate(1 minute)",
    "rate(5 minutes)",
    "rate(1 hour)",
    "rate(12 hours)",
    "rate(1 day)",
    "rate(7 days)",
  ])("accepts %s", (schedule) => {
    expect(parseConfig(withSchedule(schedule)).sweep.schedule).toBe(schedule);
  });

  it.each([
    ["cron(0 3 * * *)", "cron needs 6 fields (minutes hours day-of-month month day-of-week year), got 5"],
    ["cron(banana)", "cron needs 6 fields (minutes hours day-of-month month day-of-week year), got 1"],
    ["cron(0 3 * * * *)", "one of day-of-month and day-of-week must be ?, the other a value or *"],
    ["cron(0 3 ? * ? *)", "one of day-of-month and day-of-week must be ?, the other a value or *"],
    ["cron(60 3 * * ? *)", 'minutes: "60" is not in 0-59'],
    ["cron(0 24 * * ? *)", 'hours: "24" is not in 0-23'],
    ["cron(0 3 32 * ? *)", 'day-of-month: "32" is not in 1-31'],
    ["cron(0 3 * FOO ? *)", 'month: "FOO" is not a value of 1-12 or JAN-DEC'],
    ["cron(0 3 ? * 8 *)", 'day-of-week: "8" is not a value of 1-7 or SUN-SAT'],
    ["cron(0 3 * * ? 1969)", 'year: "1969" is not in 1970-2199'],
    ["cron(0 3 ? * 2#6 *)", 'day-of-week: "2#6" needs a week number 1-5 after #'],
    ["cron(0 3 ? * 2#1,3#2 *)", "day-of-week: # allows only one expression"],
    ["cron(0 3W * * ? *)", 'hours: "3W" is not in 0-23'],
    ["cron(*/0 * * * ? *)", 'minutes: "*/0" needs an increment ≥ 1 after /'],
    ["rate(0 minutes)", "rate needs a whole number ≥ 1, got 0"],
    ["rate(-5 minutes)", "rate needs a whole number ≥ 1, got -5"],
    ["rate(1 minutes)", 'rate of 1 takes the singular unit "minute"'],
    ["rate(5 hour)", 'rate of 5 takes the plural unit "hours"'],
    ["rate(5 weeks)", 'rate unit must be minute(s), hour(s) or day(s), got "weeks"'],
    ["rate(5)", "rate needs a value and a unit, such as rate(12 hours)"],
  ])("refuses %s, naming the reason", (schedule, reason) => {
    expect(issuesOf(withSchedule(schedule))).toEqual([
      { path: "sweep.schedule", message: `must be an EventBridge Scheduler expression: ${reason}` },
    ]);
  });
});

describe("copyTo kmsKeyId: a key ARN lives in one region", () => {
  it("refuses a key ARN of another region than its copy destination", () => {
    // Prepare
    const document: Mutable = validDocument();
    document.families[0].copyTo[0].kmsKeyId =
      "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab";

    // Act
    const issues = issuesOf(document);

    // Assess
    expect(issues).toEqual([
      {
        path: "families[0].copyTo[0].kmsKeyId",
        message: "is a key in us-east-1; CopyImage needs a key in the destination region eu-west-1",
      },
    ]);
  });

  it("accepts a key ARN (or alias ARN) of the destination region, and aliases and ids of any region", () => {
    // Prepare
    const document: Mutable = validDocument();
    document.families[0].copyTo[0].kmsKeyId = "arn:aws:kms:eu-west-1:111122223333:alias/ami-lifecycle";

    // Act
    const config = parseConfig(document);

    // Assess
    expect(config.families[0]?.copyTo[0]?.kmsKeyId).toBe(
      "arn:aws:kms:eu-west-1:111122223333:alias/ami-lifecycle",
    );
  });
});

describe("regions must be ones the AWS SDK knows", () => {
  it("refuses a well-formed region name that does not exist", () => {
    // Prepare
    const document: Mutable = validDocument();
    document.regions.push("eu-north-9");

    // Act
    const issues = issuesOf(document);

    // Assess
    expect(issues).toEqual([
      {
        path: "regions[2]",
        message:
          "eu-north-9 is not a region the AWS SDK knows; for a region newer than the SDK set allowUnknownRegions: true",
      },
    ]);
  });

  it("accepts an unknown region with allowUnknownRegions (validate then warns)", () => {
    // Prepare
    const document: Mutable = validDocument();
    document.regions.push("eu-north-9");
    document.allowUnknownRegions = true;

    // Act
    const config = parseConfig(document);

    // Assess
    expect(config.regions).toContain("eu-north-9");
  });

  it("knows every partition's regions, such as GovCloud, China and the European Sovereign Cloud", () => {
    // Prepare
    const document: Mutable = validDocument();
    document.regions = ["us-east-1", "eu-west-1", "us-gov-west-1", "cn-north-1", "eusc-de-east-1"];

    // Act
    const config = parseConfig(document);

    // Assess
    expect(config.regions).toHaveLength(5);
  });
});

describe("retention day fields are bounded", () => {
  it.each(["minAgeDays", "deprecateAfterDays", "disableAfterDays", "deregisterAfterDays", "unusedForDays"])(
    "refuses %s beyond 3650 days, naming the bound",
    (field) => {
      // Prepare
      const document: Mutable = validDocument();
      document.families[0].retention = { [field]: 1e8 };

      // Act
      const issues = issuesOf(document);

      // Assess
      expect(issues).toEqual([
        { path: `families[0].retention.${field}`, message: "must be ≤ 3650 (ten years)" },
      ]);
    },
  );

  it("accepts 3650 days", () => {
    // Prepare
    const document: Mutable = validDocument();
    document.families[0].retention = { minAgeDays: 3650, deregisterAfterDays: 3650 };

    // Act
    const config = parseConfig(document);

    // Assess
    expect(config.families[0]?.retention.minAgeDays).toBe(3650);
  });
});

describe("the largest day values the schema admits", () => {
  it("plan without RangeError, in every retirement stage", () => {
    // Prepare: every day field at its bound, versions at every stage and age
    const retention = {
      keepLatest: 1,
      minAgeDays: 3650,
      deprecateAfterDays: 3650,
      disableAfterDays: 3650,
      deregisterAfterDays: 3650,
      unusedForDays: 3650,
    };
    const document: Mutable = validDocument();
    document.families[0].retention = retention;
    const family = parseConfig(document).families[0];
    const { versions, images } = scenario(
      [
        { version: 1, ageDays: 20_000, stage: "deprecated", stageDaysAgo: 3651 },
        { version: 2, ageDays: 9000, stage: "disabled", stageDaysAgo: 3651 },
        { version: 3, ageDays: 3651 },
        { version: 4, ageDays: 1 },
      ],
      "payments-api",
    );

    // Act
    const act = () =>
      planRetention({ family: family as FamilyConfig, versions, images, references: [], now });

    // Assess
    expect(act).not.toThrow();
    expect(act().decisions).toHaveLength(4);
  });
});
