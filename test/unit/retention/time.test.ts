import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parseTime } from "../../../packages/core/src/retention/time";

describe("parseTime", () => {
  it("agrees with Date.parse on canonical ISO times, with and without milliseconds", () => {
    fc.assert(
      fc.property(
        fc.date({
          min: new Date("0001-01-01T00:00:00Z"),
          max: new Date("9999-12-31T23:59:59Z"),
          noInvalidDate: true,
        }),
        (date) => {
          const withMillis = date.toISOString();
          const withoutMillis = `${withMillis.slice(0, 19)}Z`;
          expect(parseTime(withMillis)).toBe(Date.parse(withMillis));
          expect(parseTime(withoutMillis)).toBe(Date.parse(withoutMillis));
        },
      ),
      { numRuns: 5_000 },
    );
  });

  it("falls back to Date.parse for other forms and returns undefined for garbage", () => {
    expect(parseTime("2025-02-30T00:00:00Z")).toBe(Date.parse("2025-02-30T00:00:00Z"));
    expect(parseTime("2025-06-01T02:00:00+02:00")).toBe(Date.parse("2025-06-01T00:00:00Z"));
    expect(parseTime("2025-06-0xT00:00:00Z")).toBeUndefined();
    expect(parseTime("not a time")).toBeUndefined();
    expect(parseTime(undefined)).toBeUndefined();
  });
});
