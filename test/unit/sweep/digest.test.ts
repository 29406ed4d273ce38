import { type Config, digestWeekDue, isoWeek, parseConfig } from "@ami-lifecycle/core";
import { describe, expect, it } from "vitest";

function configWith(digest: unknown, timezone = "UTC"): Config {
  return parseConfig({
    accounts: ["111122223333"],
    homeRegion: "us-east-1",
    regions: ["us-east-1"],
    sweep: { schedule: "cron(0 3 * * ? *)", timezone },
    notifications: digest === undefined ? {} : { digest },
    families: [{ name: "web", team: "web-team", match: { namePattern: "web-*" }, copyTo: [] }],
  });
}

describe("digestWeekDue", () => {
  it("is off by default and when not enabled", () => {
    const monday = new Date("2026-11-30T03:00:00Z");
    expect(digestWeekDue(configWith(undefined), monday)).toBeUndefined();
    expect(digestWeekDue(configWith({ enabled: false, day: "monday" }), monday)).toBeUndefined();
  });

  it("is due on the configured weekday only, keyed by its ISO week", () => {
    const config = configWith({ enabled: true, day: "monday" });
    expect(digestWeekDue(config, new Date("2026-11-30T03:00:00Z"))).toBe("2026-W49");
    expect(digestWeekDue(config, new Date("2026-12-01T03:00:00Z"))).toBeUndefined();
    expect(digestWeekDue(config, new Date("2026-12-07T03:00:00Z"))).toBe("2026-W50");
  });

  it("reads the weekday and time in the sweep's time zone, not UTC", () => {
    // 2026-11-30T03:00Z is still Sunday evening in Los Angeles.
    const config = configWith({ enabled: true, day: "sunday", time: "18:00" }, "America/Los_Angeles");
    expect(digestWeekDue(config, new Date("2026-11-30T03:00:00Z"))).toBe("2026-W48");
    expect(digestWeekDue(config, new Date("2026-11-30T01:00:00Z"))).toBeUndefined();
  });

  it("refuses a malformed day or time with the field's path", () => {
    expect(() => configWith({ enabled: true, day: "funday" })).toThrow(/notifications\.digest\.day/);
    expect(() => configWith({ enabled: true, day: "monday", time: "25:00" })).toThrow(
      /notifications\.digest\.time: must be HH:MM/,
    );
  });
});

describe("isoWeek", () => {
  it("puts the days around a new year in the week their Thursday decides", () => {
    expect(isoWeek(2026, 12, 31)).toBe("2026-W53");
    expect(isoWeek(2027, 1, 3)).toBe("2026-W53");
    expect(isoWeek(2027, 1, 4)).toBe("2027-W01");
    expect(isoWeek(2025, 12, 29)).toBe("2026-W01");
  });
});
