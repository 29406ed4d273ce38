import { describe, expect, it } from "vitest";
import {
  type Config,
  type FamilyCandidate,
  globToRegExp,
  matchFamily,
  parseConfig,
} from "../../../packages/core/src/index";

function configWith(families: unknown[]): Config {
  return parseConfig({
    accounts: ["111122223333"],
    homeRegion: "us-east-1",
    regions: ["us-east-1", "eu-west-1"],
    families,
  });
}

const payments = { name: "payments-api", team: "payments", match: { namePattern: "payments-api-*" } };
const base = { name: "base-al2023", team: "platform", match: { namePattern: "base-al2023-*" } };

function image(overrides: Partial<FamilyCandidate> = {}): FamilyCandidate {
  return {
    name: "payments-api-2026.11.20-1842",
    tags: { team: "payments", app: "payments-api" },
    ownerId: "111122223333",
    region: "us-east-1",
    ...overrides,
  };
}

function familyNameOf(result: ReturnType<typeof matchFamily>): string | undefined {
  return result.managed ? result.family.name : undefined;
}

describe("matchFamily", () => {
  it("finds the family whose name pattern matches", () => {
    // Prepare
    const config = configWith([base, payments]);

    // Act
    const result = matchFamily(image(), config);

    // Assess
    expect(result).toEqual({ managed: true, family: config.families[1] });
  });

  it("refuses an image owned by another account even when its name matches", () => {
    // Act
    const result = matchFamily(image({ ownerId: "999988887777" }), configWith([payments]));

    // Assess
    expect(result).toEqual({ managed: false, reason: "not-owned" });
  });

  it("refuses an image in a region the configuration does not manage", () => {
    // Act
    const result = matchFamily(image({ region: "ap-southeast-2" }), configWith([payments]));

    // Assess
    expect(result).toEqual({ managed: false, reason: "unmanaged-region" });
  });

  it("checks ownership before region, so a foreign image is reported as not owned", () => {
    // Act
    const result = matchFamily(
      image({ ownerId: "999988887777", region: "ap-southeast-2" }),
      configWith([payments]),
    );

    // Assess
    expect(result).toEqual({ managed: false, reason: "not-owned" });
  });

  it("leaves an image that matches no family alone", () => {
    // Act
    const result = matchFamily(image({ name: "scratch-build-7" }), configWith([payments, base]));

    // Assess
    expect(result).toEqual({ managed: false, reason: "no-family" });
  });

  it("lets the first family in config order win when several match", () => {
    // Prepare
    const broad = { name: "all-payments", team: "payments", match: { tags: { team: "payments" } } };

    // Act
    const first = matchFamily(image(), configWith([broad, payments]));
    const second = matchFamily(image(), configWith([payments, broad]));

    // Assess
    expect(familyNameOf(first)).toBe("all-payments");
    expect(familyNameOf(second)).toBe("payments-api");
  });

  describe("criteria", () => {
    const byNameAndTag = {
      name: "payments-api",
      team: "payments",
      match: { namePattern: "payments-api-*", tags: { team: "payments" } },
    };

    it("requires every tag to be present with its exact value", () => {
      // Prepare
      const config = configWith([byNameAndTag]);

      // Act
      const wrongValue = matchFamily(image({ tags: { team: "Payments" } }), config);
      const missing = matchFamily(image({ tags: {} }), config);
      const exact = matchFamily(image({ tags: { team: "payments", extra: "x" } }), config);

      // Assess
      expect(wrongValue).toEqual({ managed: false, reason: "no-family" });
      expect(missing).toEqual({ managed: false, reason: "no-family" });
      expect(familyNameOf(exact)).toBe("payments-api");
    });

    it("requires the name to match as well as the tags when both are given", () => {
      // Act
      const result = matchFamily(image({ name: "orders-api-1" }), configWith([byNameAndTag]));

      // Assess
      expect(result).toEqual({ managed: false, reason: "no-family" });
    });

    it("matches by tags alone when the family gives no name pattern", () => {
      // Prepare
      const byTag = { name: "payments-any", team: "payments", match: { tags: { app: "payments-api" } } };

      // Act
      const result = matchFamily(image({ name: "anything at all" }), configWith([byTag]));

      // Assess
      expect(familyNameOf(result)).toBe("payments-any");
    });
  });
});

describe("globToRegExp", () => {
  const cases: [string, string, boolean][] = [
    ["payments-api-*", "payments-api-2026.11.20", true],
    ["payments-api-*", "payments-api-", true],
    ["payments-api-*", "old-payments-api-1", false],
    ["payments-api-*", "payments-api", false],
    ["base-al2023-?", "base-al2023-7", true],
    ["base-al2023-?", "base-al2023-17", false],
    ["base-al2023-?", "base-al2023-", false],
    ["*-nightly", "web-nightly", true],
    ["*-nightly", "web-nightly-2", false],
    ["a*b*c", "a-x-b-y-c", true],
    ["a*b*c", "a-x-c", false],
    // Characters that mean something in a regular expression stand for themselves.
    ["app.v1-*", "app.v1-2026", true],
    ["app.v1-*", "appXv1-2026", false],
    ["img (prod) [x86]+*", "img (prod) [x86]+2026", true],
    ["img (prod) [x86]+*", "img prod x86-2026", false],
    ["cost$^|{2}", "cost$^|{2}", true],
    ["back\\slash", "back\\slash", true],
    ["back\\slash", "backslash", false],
    ["a/b", "a/b", true],
    // An AMI name cannot hold a newline, but `*` must not stop at one if it ever appears.
    ["a*", "a\nb", true],
  ];

  it.each(cases)("%j tested on %j matches: %s", (glob, name, expected) => {
    expect(globToRegExp(glob).test(name)).toBe(expected);
  });
});
