import { en } from "zod/locales";
import * as z from "zod/mini";
import { formatPath, type ReadableIssue } from "../config-limits";
import { accountIdPattern, regionNamePattern } from "./field-reader";

// The zod pieces every contract shares (the config's and the events'), apart from the config schema: an
// event handler needs these, not the whole configuration's schema (the functions run on the config the
// deploy checked, checked-config.ts).

// zod/mini carries no messages of its own (classic zod installs English on first use). Install English
// here, so issues that no schema and no error map words read as before ("Invalid input: expected string,
// received undefined"): every zod contract imports this module, and a bundler keeps a
// module's top-level statements whenever it keeps the module (`sideEffects: false` only drops unused ones).
z.config(en());

/**
 * The shape of an AWS region name such as `eu-west-1` (every partition: GovCloud, China, ISO, European
 * Sovereign Cloud). Whether the region exists is checked against the SDK's list by the config's schema.
 */
export const awsRegionSchema = z
  .string()
  .check(z.regex(regionNamePattern, "must be an AWS region such as eu-west-1"));
/** A 12-digit AWS account id. */
export const accountIdSchema = z
  .string()
  .check(z.regex(accountIdPattern, "must be a 12-digit AWS account id"));

/**
 * A zod error map that words the built-in issues the way the rest of the service does ("is required",
 * "must be one of …"); messages given on the schema itself take precedence.
 */
export function readableIssueMessage(issue: z.core.$ZodRawIssue): string | undefined {
  const missing =
    issue.code === "invalid_type" || issue.code === "invalid_value" || issue.code === "invalid_union";
  if (missing && issue.input === undefined) return "is required";
  switch (issue.code) {
    case "invalid_type":
      return issue.expected === "int" ? "must be a whole number" : `must be ${withArticle(issue.expected)}`;
    case "invalid_value":
      return issue.values.length === 1
        ? `must be ${JSON.stringify(issue.values[0])}`
        : `must be one of ${issue.values.map((value) => JSON.stringify(value)).join(", ")}`;
    case "too_big":
      return boundMessage("at most", issue.origin, issue.maximum, issue.inclusive !== false);
    case "too_small":
      if (issue.minimum === 1 && (issue.origin === "string" || issue.origin === "array"))
        return "must not be empty";
      return boundMessage("at least", issue.origin, issue.minimum, issue.inclusive !== false);
    case "invalid_union":
      if ("options" in issue && Array.isArray(issue.options)) {
        return `must be one of ${issue.options.map((value: unknown) => JSON.stringify(value)).join(", ")}`;
      }
      return undefined;
    default:
      return undefined;
  }
}

/**
 * Turns zod issues into path + reason pairs. An unknown key becomes one issue at that key's own path
 * (`families[0].retention.keepLast: is not a known field`) so a typo points at itself.
 */
export function readableIssues(issues: readonly z.core.$ZodIssue[]): ReadableIssue[] {
  return issues.flatMap((issue) =>
    issue.code === "unrecognized_keys"
      ? issue.keys.map((key) => ({ path: formatPath([...issue.path, key]), message: "is not a known field" }))
      : [{ path: formatPath(issue.path), message: issue.message }],
  );
}

function boundMessage(direction: "at most" | "at least", origin: string, bound: unknown, inclusive: boolean) {
  const limit = String(bound);
  if (origin === "string") return `must be ${direction} ${limit} characters`;
  if (origin === "array" || origin === "set") return `must have ${direction} ${limit} items`;
  const symbol = direction === "at most" ? (inclusive ? "≤" : "<") : inclusive ? "≥" : ">";
  return `must be ${symbol} ${limit}`;
}

function withArticle(expected: string): string {
  if (expected === "boolean") return "true or false";
  return /^[aeiou]/.test(expected) ? `an ${expected}` : `a ${expected}`;
}
