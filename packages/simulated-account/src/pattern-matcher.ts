import { AmiLifecycleError, type EventPattern } from "@ami-lifecycle/core";

/** A pattern uses an operator or shape this matcher does not implement; EventBridge semantics can't be guessed. */
export class UnsupportedPatternError extends AmiLifecycleError {
  override name = "UnsupportedPatternError";
  constructor(
    readonly path: string,
    readonly detail: string,
  ) {
    super(`unsupported event pattern at ${path || "(root)"}: ${detail}`);
  }
}

type Leaf = string | number | boolean | null;

/**
 * Decides whether EventBridge would deliver `event` to a rule with `pattern`, for the operators the service
 * and its neighbours use: exact values, OR within an array, AND across fields, nested objects, arrays in the
 * event (any element may match), `prefix`, `suffix`, `equals-ignore-case`, `wildcard`, `exists`,
 * `anything-but` (value, list, prefix, suffix, equals-ignore-case, wildcard), `numeric` and `$or`.
 * As in EventBridge, operators apply to leaf values only, and every field of the pattern must match.
 */
export function matchesPattern(pattern: EventPattern, event: unknown): boolean {
  return matchesObject(pattern, [event], "");
}

function matchesObject(pattern: EventPattern, nodes: readonly unknown[], path: string): boolean {
  return Object.entries(pattern).every(([field, expected]) => {
    const fieldPath = path ? `${path}.${field}` : field;
    if (field === "$or") return matchesAnyBranch(expected, nodes, fieldPath);
    const children = childrenOf(nodes, field);
    if (Array.isArray(expected)) return matchesField(expected, leavesOf(children), fieldPath);
    if (isPlainObject(expected)) return matchesObject(expected as EventPattern, children, fieldPath);
    throw new UnsupportedPatternError(
      fieldPath,
      "a field must hold an array of conditions or a nested pattern",
    );
  });
}

function matchesAnyBranch(branches: unknown, nodes: readonly unknown[], path: string): boolean {
  if (!Array.isArray(branches) || branches.length < 2 || !branches.every(isPlainObject)) {
    throw new UnsupportedPatternError(path, "$or needs an array of at least two patterns");
  }
  return branches.some((branch) => matchesObject(branch as EventPattern, nodes, path));
}

/** The values found under `field` in each node; an array in the event contributes each element. */
function childrenOf(nodes: readonly unknown[], field: string): unknown[] {
  return nodes.flatMap((node) => {
    if (!isPlainObject(node) || !Object.hasOwn(node, field)) return [];
    const value = (node as Record<string, unknown>)[field];
    return Array.isArray(value) ? value.flat(Number.POSITIVE_INFINITY) : [value];
  });
}

function leavesOf(values: readonly unknown[]): Leaf[] {
  return values.filter((value): value is Leaf => !isPlainObject(value));
}

function matchesField(conditions: readonly unknown[], leaves: readonly Leaf[], path: string): boolean {
  return conditions.some((condition) => {
    if (isPlainObject(condition)) {
      const operator = condition as Record<string, unknown>;
      if ("exists" in operator) return existsMatches(operator.exists, leaves, path);
      // Every other operator needs a value: a missing field matches none of them, not even anything-but.
      return leaves.some((leaf) => matchesOperator(operator, leaf, path));
    }
    if (Array.isArray(condition)) throw new UnsupportedPatternError(path, "nested arrays are not conditions");
    return leaves.some((leaf) => leaf === condition);
  });
}

function existsMatches(expected: unknown, leaves: readonly Leaf[], path: string): boolean {
  if (typeof expected !== "boolean") throw new UnsupportedPatternError(path, "exists takes true or false");
  return expected === leaves.length > 0;
}

function matchesOperator(operator: Record<string, unknown>, leaf: Leaf, path: string): boolean {
  const [name, ...others] = Object.keys(operator);
  if (name === undefined || others.length > 0) {
    throw new UnsupportedPatternError(path, "an operator object holds exactly one operator");
  }
  const argument = operator[name];
  switch (name) {
    case "prefix":
      return (
        typeof leaf === "string" &&
        stringTest(argument, path, (text, caseless) => startsWith(leaf, text, caseless))
      );
    case "suffix":
      return (
        typeof leaf === "string" &&
        stringTest(argument, path, (text, caseless) => endsWith(leaf, text, caseless))
      );
    case "equals-ignore-case":
      return typeof leaf === "string" && leaf.toLowerCase() === requireString(argument, path).toLowerCase();
    case "wildcard":
      return typeof leaf === "string" && wildcardToRegExp(requireString(argument, path), path).test(leaf);
    case "numeric":
      return typeof leaf === "number" && numericMatches(argument, leaf, path);
    case "anything-but":
      return anythingButMatches(argument, leaf, path);
    default:
      throw new UnsupportedPatternError(path, `unknown operator "${name}"`);
  }
}

/** `prefix`/`suffix` take a string or `{ "equals-ignore-case": string }`. */
function stringTest(
  argument: unknown,
  path: string,
  test: (text: string, caseless: boolean) => boolean,
): boolean {
  if (typeof argument === "string") return test(argument, false);
  if (
    isPlainObject(argument) &&
    typeof (argument as Record<string, unknown>)["equals-ignore-case"] === "string"
  ) {
    return test((argument as Record<string, string>)["equals-ignore-case"] as string, true);
  }
  throw new UnsupportedPatternError(path, "prefix/suffix take a string or { equals-ignore-case: string }");
}

function anythingButMatches(argument: unknown, leaf: Leaf, path: string): boolean {
  if (Array.isArray(argument)) return !argument.some((excluded) => excluded === leaf);
  if (!isPlainObject(argument)) return argument !== leaf;
  const [name, ...others] = Object.keys(argument as object);
  if (name === undefined || others.length > 0) {
    throw new UnsupportedPatternError(path, "anything-but holds exactly one operator");
  }
  const nested = (argument as Record<string, unknown>)[name];
  // The negated string operators only ever match strings.
  if (typeof leaf !== "string") return false;
  switch (name) {
    case "prefix":
      return !startsWith(leaf, requireString(nested, path), false);
    case "suffix":
      return !endsWith(leaf, requireString(nested, path), false);
    case "equals-ignore-case": {
      const excluded = Array.isArray(nested) ? nested : [nested];
      return !excluded.some((text) => requireString(text, path).toLowerCase() === leaf.toLowerCase());
    }
    case "wildcard": {
      const excluded = Array.isArray(nested) ? nested : [nested];
      return !excluded.some((text) => wildcardToRegExp(requireString(text, path), path).test(leaf));
    }
    default:
      throw new UnsupportedPatternError(path, `unknown anything-but operator "${name}"`);
  }
}

const numericComparisons: Record<string, (value: number, bound: number) => boolean> = {
  "=": (value, bound) => value === bound,
  "<": (value, bound) => value < bound,
  "<=": (value, bound) => value <= bound,
  ">": (value, bound) => value > bound,
  ">=": (value, bound) => value >= bound,
};

function numericMatches(argument: unknown, value: number, path: string): boolean {
  if (!Array.isArray(argument) || argument.length === 0 || argument.length % 2 !== 0) {
    throw new UnsupportedPatternError(path, 'numeric takes [operator, number, …] such as [">", 0, "<=", 5]');
  }
  for (let index = 0; index < argument.length; index += 2) {
    const compare = numericComparisons[String(argument[index])];
    const bound = argument[index + 1];
    if (!compare || typeof bound !== "number") {
      throw new UnsupportedPatternError(path, `numeric has no comparison ${JSON.stringify(argument[index])}`);
    }
    if (!compare(value, bound)) return false;
  }
  return true;
}

/** EventBridge wildcards: `*` any run of characters; `\*` and `\\` escape; everything else literal. */
function wildcardToRegExp(wildcard: string, path: string): RegExp {
  let source = "";
  for (let index = 0; index < wildcard.length; index++) {
    const character = wildcard.charAt(index);
    if (character === "\\") {
      const escaped = wildcard.charAt(++index);
      if (escaped !== "*" && escaped !== "\\")
        throw new UnsupportedPatternError(path, "wildcard escapes only * and \\");
      source += `\\${escaped}`;
    } else if (character === "*") {
      if (wildcard.charAt(index + 1) === "*")
        throw new UnsupportedPatternError(path, "wildcard may not hold **");
      source += "[\\s\\S]*";
    } else {
      source += character.replace(/[\\^$.*+?()[\]{}|/]/g, "\\$&");
    }
  }
  return new RegExp(`^${source}$`, "u");
}

function startsWith(value: string, text: string, caseless: boolean): boolean {
  return caseless ? value.toLowerCase().startsWith(text.toLowerCase()) : value.startsWith(text);
}

function endsWith(value: string, text: string, caseless: boolean): boolean {
  return caseless ? value.toLowerCase().endsWith(text.toLowerCase()) : value.endsWith(text);
}

function requireString(value: unknown, path: string): string {
  if (typeof value !== "string") throw new UnsupportedPatternError(path, "this operator takes a string");
  return value;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
