import { describe, expect, it } from "vitest";
import {
  type ConfigInput,
  configWarnings,
  globsOverlap,
  globToRegExp,
  matchFamily,
  parseConfig,
} from "../../../packages/core/src/index";

function configWith(
  families: { name: string; match: { namePattern?: string; tags?: Record<string, string> } }[],
  extra: Partial<ConfigInput> = {},
) {
  return parseConfig({
    accounts: ["111122223333"],
    homeRegion: "us-east-1",
    regions: ["us-east-1"],
    families: families.map((family) => ({ ...family, team: "platform" })),
    ...extra,
  });
}

describe("configWarnings", () => {
  it("has nothing to say about the committed example's disjoint families", () => {
    // Prepare
    const config = configWith([
      { name: "payments-api", match: { namePattern: "payments-api-*" } },
      { name: "base-al2023", match: { namePattern: "base-al2023-*" } },
    ]);

    // Act
    const warnings = configWarnings(config);

    // Assess
    expect(warnings).toEqual([]);
  });

  it('warns that namePattern "*" without tags claims every image', () => {
    // Prepare
    const config = configWith([{ name: "everything", match: { namePattern: "*" } }]);

    // Act
    const warnings = configWarnings(config);

    // Assess
    expect(warnings).toEqual([
      {
        path: "families[0].match.namePattern",
        message:
          '"*" matches every image name: with no tags, this family claims every image the accounts own in its regions',
      },
    ]);
  });

  it("does not warn about * when tags narrow the family", () => {
    // Prepare
    const config = configWith([{ name: "tagged", match: { namePattern: "*", tags: { team: "web" } } }]);

    // Act
    const warnings = configWarnings(config);

    // Assess
    expect(warnings).toEqual([]);
  });

  it("warns about overlapping families at the later one, naming the first as the winner with an example", () => {
    // Prepare
    const config = configWith([
      { name: "web", match: { namePattern: "web-*" } },
      { name: "web-canary", match: { namePattern: "*-canary-?" } },
    ]);

    // Act
    const warnings = configWarnings(config);

    // Assess
    expect(warnings).toEqual([
      {
        path: "families[1].match",
        message:
          'overlaps families[0] (web): an image such as "web-canary-x" matches both and joins web, the first in config order',
      },
    ]);
    // The warning says what the matcher does.
    const winner = matchFamily(
      { name: "web-canary-x", tags: {}, ownerId: "111122223333", region: "us-east-1" },
      config,
    );
    expect(winner).toMatchObject({ managed: true, family: { name: "web" } });
  });

  it("does not call families overlapping when their tags disagree", () => {
    // Prepare
    const config = configWith([
      { name: "web-blue", match: { namePattern: "web-*", tags: { color: "blue" } } },
      { name: "web-green", match: { namePattern: "web-*", tags: { color: "green" } } },
    ]);

    // Act
    const warnings = configWarnings(config);

    // Assess
    expect(warnings).toEqual([]);
  });

  it("warns about each region admitted by allowUnknownRegions", () => {
    // Prepare
    const config = configWith([{ name: "web", match: { namePattern: "web-*" } }], {
      regions: ["us-east-1", "eu-north-9"],
      allowUnknownRegions: true,
    });

    // Act
    const warnings = configWarnings(config);

    // Assess
    expect(warnings).toEqual([
      {
        path: "regions[1]",
        message:
          "eu-north-9 is not a region the AWS SDK knows (allowed by allowUnknownRegions): check its spelling",
      },
    ]);
  });
});

describe("globsOverlap", () => {
  it.each([
    ["web-*", "api-*", false],
    ["web-?", "web-??", false],
    ["web-*", "web-1", true],
    ["*-prod", "web-*", true],
    ["a*b*c", "*bc", true],
    ["*", "x?y", true],
    ["img.[1]", "img.?1]", true],
    ["a*", "*b", true],
    ["a?c", "*d", false],
  ])("%s and %s overlap: %s", (a, b, overlap) => {
    // Act
    const example = globsOverlap(a, b);

    // Assess: an example name exactly when they overlap, and both globs match it
    if (!overlap) return expect(example).toBeUndefined();
    expect(example).toBeDefined();
    expect(globToRegExp(a).test(example ?? "")).toBe(true);
    expect(globToRegExp(b).test(example ?? "")).toBe(true);
  });
});
