import { type Config, type FamilyConfig, isKnownRegion } from "./config";
import type { ReadableIssue } from "./config-limits";

/**
 * What is valid but probably not meant: a family that claims every image, families whose criteria
 * overlap (the matcher gives such an image to the first in config order, see `matchFamily`), regions
 * admitted only by `allowUnknownRegions`. `validate` prints them; they never fail it.
 */
export function configWarnings(config: Config): ReadableIssue[] {
  const warnings: ReadableIssue[] = [];
  config.regions.forEach((region, index) => {
    if (!isKnownRegion(region))
      warnings.push({
        path: `regions[${index}]`,
        message: `${region} is not a region the AWS SDK knows (allowed by allowUnknownRegions): check its spelling`,
      });
  });
  config.families.forEach((family, index) => {
    const { namePattern, tags } = family.match;
    if (namePattern !== undefined && /^\*+$/.test(namePattern) && Object.keys(tags ?? {}).length === 0)
      warnings.push({
        path: `families[${index}].match.namePattern`,
        message: `"${namePattern}" matches every image name: with no tags, this family claims every image the accounts own in its regions`,
      });
  });
  config.families.forEach((later, laterIndex) => {
    // One warning per family, at the first family it loses images to.
    for (const [earlierIndex, earlier] of config.families.slice(0, laterIndex).entries()) {
      const example = familiesOverlap(earlier, later);
      if (example === undefined) continue;
      warnings.push({
        path: `families[${laterIndex}].match`,
        message: `overlaps families[${earlierIndex}] (${earlier.name}): an image such as "${example}" matches both and joins ${earlier.name}, the first in config order`,
      });
      break;
    }
  });
  return warnings;
}

/** An image name both families would claim (with both families' tags), or undefined when none exists. */
function familiesOverlap(a: FamilyConfig, b: FamilyConfig): string | undefined {
  for (const [key, value] of Object.entries(a.match.tags ?? {})) {
    const other = b.match.tags?.[key];
    if (other !== undefined && other !== value) return undefined;
  }
  return globsOverlap(a.match.namePattern ?? "*", b.match.namePattern ?? "*");
}

type GlobToken = { kind: "star" } | { kind: "one" } | { kind: "literal"; character: string };

/**
 * A name both image-name globs match (`*` any run, `?` one character, see `globToRegExp`), or undefined
 * when no name matches both. Searches the product of the two patterns' automata breadth first (a
 * state per pair of positions, so it ends), which keeps the example short.
 */
export function globsOverlap(a: string, b: string): string | undefined {
  const left = globTokens(a);
  const right = globTokens(b);
  const key = (i: number, j: number) => i * (right.length + 1) + j;
  const previous = new Map<number, { from: number; character: string }>();
  const positions = new Map<number, [number, number]>([[key(0, 0), [0, 0]]]);
  const queue: [number, number][] = [[0, 0]];
  const visit = (from: [number, number], to: [number, number], character: string) => {
    const target = key(...to);
    if (positions.has(target)) return;
    positions.set(target, to);
    previous.set(target, { from: key(...from), character });
    queue.push(to);
  };
  for (let head = 0; head < queue.length; head++) {
    const state = queue[head] as [number, number];
    const [i, j] = state;
    if (i === left.length && j === right.length) return exampleName(previous, key(i, j));
    const l = left[i];
    const r = right[j];
    // A star may match nothing: skip it without consuming a character.
    if (l?.kind === "star") visit(state, [i + 1, j], "");
    if (r?.kind === "star") visit(state, [i, j + 1], "");
    if (l === undefined || r === undefined) continue;
    const character = commonCharacter(l, r);
    if (character === undefined) continue;
    visit(state, [l.kind === "star" ? i : i + 1, r.kind === "star" ? j : j + 1], character);
  }
  return undefined;
}

function globTokens(glob: string): GlobToken[] {
  return [...glob].map((character) =>
    character === "*"
      ? { kind: "star" }
      : character === "?"
        ? { kind: "one" }
        : { kind: "literal", character },
  );
}

/** A character both tokens accept (a wildcard accepts any: `x` stands for it), or undefined. */
function commonCharacter(a: GlobToken, b: GlobToken): string | undefined {
  if (a.kind === "literal" && b.kind === "literal")
    return a.character === b.character ? a.character : undefined;
  if (a.kind === "literal") return a.character;
  if (b.kind === "literal") return b.character;
  return "x";
}

function exampleName(previous: Map<number, { from: number; character: string }>, end: number): string {
  const characters: string[] = [];
  for (let step = previous.get(end); step; step = previous.get(step.from)) characters.push(step.character);
  return characters.reverse().join("");
}
