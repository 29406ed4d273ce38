import type { Config, FamilyConfig } from "./config";

/** What family matching needs to know about an image (a subset of ImageRecord). */
export interface FamilyCandidate {
  name: string;
  tags: Record<string, string>;
  ownerId: string;
  region: string;
}

/** Why an image is left alone: owned by another account, in a region not managed, or in no family. */
export type UnmanagedReason = "not-owned" | "unmanaged-region" | "no-family";

/** The family an image belongs to, or why the service must not touch it. */
export type FamilyMatch =
  | { managed: true; family: FamilyConfig }
  | { managed: false; reason: UnmanagedReason };

/**
 * Finds the family of an image. Ownership and region are checked first so that an image shared by another
 * account is never adopted, whatever its name; then the first family in config order whose criteria all
 * match wins. An image matching no family is never touched.
 */
export function matchFamily(
  image: FamilyCandidate,
  config: Pick<Config, "accounts" | "regions" | "families">,
): FamilyMatch {
  if (!config.accounts.includes(image.ownerId)) return { managed: false, reason: "not-owned" };
  if (!config.regions.includes(image.region)) return { managed: false, reason: "unmanaged-region" };
  const family = config.families.find((candidate) => familyMatches(candidate, image));
  return family ? { managed: true, family } : { managed: false, reason: "no-family" };
}

/** True when the image satisfies every criterion the family gives (name glob and/or exact tags). */
export function familyMatches(
  family: Pick<FamilyConfig, "match">,
  image: Pick<FamilyCandidate, "name" | "tags">,
) {
  const { namePattern, tags } = family.match;
  if (namePattern !== undefined && !globToRegExp(namePattern).test(image.name)) return false;
  for (const [key, value] of Object.entries(tags ?? {})) {
    if (image.tags[key] !== value) return false;
  }
  return true;
}

/**
 * Compiles an image-name glob to an anchored regular expression: `*` is any run of characters (also none),
 * `?` exactly one, every other character (`.`, `(`, `[`, `+`, `\` …) stands for itself.
 */
export function globToRegExp(glob: string): RegExp {
  let source = "";
  for (const character of glob) {
    if (character === "*") source += "[\\s\\S]*";
    else if (character === "?") source += "[\\s\\S]";
    else source += character.replace(/[\\^$.*+?()[\]{}|/]/g, "\\$&");
  }
  return new RegExp(`^${source}$`, "u");
}
