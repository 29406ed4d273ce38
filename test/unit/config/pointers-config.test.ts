import { describe, expect, it } from "vitest";
import { parseConfig } from "../../../packages/core/src/index";
import { baseDocument as base, issuesOf } from "../../support/config-documents";

describe("pointers configuration", () => {
  it("defaults the pointer pattern and gives every family no pinned channel", () => {
    // Act
    const config = parseConfig(base);

    // Assess
    expect(config.pointers.namePattern).toBe("/ami-lifecycle/{family}/{channel}");
    expect(config.families[0]?.channels).toEqual([]);
  });

  it("accepts a custom pattern and pinned channels", () => {
    // Act
    const config = parseConfig({
      ...base,
      pointers: { namePattern: "/images/{channel}/{family}" },
      families: [{ ...base.families[0], channels: ["stable", "canary"] }],
    });

    // Assess
    expect(config.pointers.namePattern).toBe("/images/{channel}/{family}");
    expect(config.families[0]?.channels).toEqual(["stable", "canary"]);
  });

  it("rejects a pattern without both placeholders, by path", () => {
    // Act
    const issues = issuesOf({ ...base, pointers: { namePattern: "/ami-lifecycle/{family}" } });

    // Assess
    expect(issues).toEqual([
      { path: "pointers.namePattern", message: "must contain {family} and {channel}" },
    ]);
  });

  it("rejects a pattern that is not an absolute SSM path or uses a reserved prefix", () => {
    // Act
    const relative = issuesOf({ ...base, pointers: { namePattern: "ami/{family}/{channel}" } });
    const reserved = issuesOf({ ...base, pointers: { namePattern: "/aws/{family}/{channel}" } });

    // Assess
    expect(relative.map((issue) => issue.path)).toEqual(["pointers.namePattern"]);
    expect(reserved).toEqual([
      { path: "pointers.namePattern", message: "must not start with /aws or /ssm (reserved by AWS)" },
    ]);
  });

  it("rejects the reserved latest channel and duplicate channels", () => {
    // Act
    const issues = issuesOf({
      ...base,
      families: [{ ...base.families[0], channels: ["stable", "latest", "stable"] }],
    });

    // Assess
    expect(issues).toEqual([
      { path: "families[0].channels[1]", message: '"latest" is reserved and automatic' },
      { path: "families[0].channels[2]", message: 'duplicate channel "stable"' },
    ]);
  });
});
