import type { StandardSchemaV1 } from "@standard-schema/spec";

// The few contracts a function checks without zod (the sweep's request, the function environment): zod's
// runtime is a sixth of what the sweep carries beyond its SDK clients, for three small shapes. The
// messages read like the zod contracts' (`readableIssueMessage`), so every refusal reads the same.

/** One problem in an untrusted document: where (path segments) and why. */
export interface FieldIssue {
  path: PropertyKey[];
  message: string;
}

/** Bounds of a string field; `pattern` with the message that says what the field must look like. */
export interface StringBounds {
  min?: number;
  max: number;
  /** a pattern, or a predicate for what a pattern cannot say (a calendar date) */
  pattern?: RegExp | ((value: string) => boolean);
  patternMessage?: string;
}

/** Bounds of a whole-number field. */
export interface WholeNumberBounds {
  min?: number;
  max?: number;
  /** `min` is exclusive: the number must be greater than it */
  above?: boolean;
}

/** An AWS account id, as the zod contracts check it (`accountIdSchema`). */
export const accountIdPattern = /^\d{12}$/;
/** An AWS region name's shape, as the zod contracts check it (`awsRegionSchema`). */
export const regionNamePattern = /^[a-z]{2,4}(-[a-z]+){1,3}-\d{1,2}$/;
/** An ISO-8601 UTC time as AWS writes them (`2026-11-20T10:21:04Z`, optional fraction), fields in range. */
const isoTimeShape = /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])T([01]\d|2[0-3]):[0-5]\d:[0-5]\d(\.\d+)?Z$/;

/** True for an ISO-8601 UTC time that names a real instant (`2026-02-30T…` does not), as zod's `iso.datetime()`. */
export function isIsoTime(value: string): boolean {
  if (!isoTimeShape.test(value)) return false;
  const parsed = new Date(value);
  return !Number.isNaN(parsed.getTime()) && parsed.toISOString().slice(0, 10) === value.slice(0, 10);
}

/**
 * Reads the fields of an untrusted document, collecting every problem with its path instead of stopping at
 * the first; each read returns the value when it is valid, else undefined.
 */
export class FieldReader {
  /** every problem found so far */
  readonly issues: FieldIssue[] = [];

  /** Records a problem at `path`. */
  problem(path: PropertyKey[], message: string): undefined {
    this.issues.push({ path, message });
    return undefined;
  }

  /** A plain object (not null, not an array). */
  object(value: unknown, path: PropertyKey[]): Record<string, unknown> | undefined {
    if (value === undefined) return this.problem(path, "is required");
    if (typeof value !== "object" || value === null || Array.isArray(value))
      return this.problem(path, "must be an object");
    return value as Record<string, unknown>;
  }

  /** A string within its bounds. */
  string(value: unknown, path: PropertyKey[], bounds: StringBounds): string | undefined {
    if (value === undefined) return this.problem(path, "is required");
    if (typeof value !== "string") return this.problem(path, "must be a string");
    if (bounds.min !== undefined && value.length < bounds.min)
      return this.problem(
        path,
        bounds.min === 1 ? "must not be empty" : `must be at least ${bounds.min} characters`,
      );
    if (value.length > bounds.max) return this.problem(path, `must be at most ${bounds.max} characters`);
    const { pattern } = bounds;
    const matches =
      pattern === undefined || (typeof pattern === "function" ? pattern(value) : pattern.test(value));
    if (!matches) return this.problem(path, bounds.patternMessage ?? `must match ${pattern}`);
    return value;
  }

  /** Like `string`, but absent is fine. */
  optionalString(value: unknown, path: PropertyKey[], bounds: StringBounds): string | undefined {
    return value === undefined ? undefined : this.string(value, path, bounds);
  }

  /** Exactly one string value. */
  literal<Value extends string>(value: unknown, path: PropertyKey[], expected: Value): Value | undefined {
    if (value === expected) return expected;
    return this.problem(path, value === undefined ? "is required" : `must be ${JSON.stringify(expected)}`);
  }

  /** A whole number within its bounds. */
  wholeNumber(value: unknown, path: PropertyKey[], bounds: WholeNumberBounds = {}): number | undefined {
    if (value === undefined) return this.problem(path, "is required");
    if (typeof value !== "number" || !Number.isFinite(value)) return this.problem(path, "must be a number");
    // Safe integers only, as zod's `int()`: beyond 2^53 a "whole number" is no longer exact.
    if (!Number.isSafeInteger(value)) return this.problem(path, "must be a whole number");
    if (bounds.min !== undefined) {
      if (bounds.above && value <= bounds.min) return this.problem(path, `must be > ${bounds.min}`);
      if (!bounds.above && value < bounds.min) return this.problem(path, `must be ≥ ${bounds.min}`);
    }
    if (bounds.max !== undefined && value > bounds.max) return this.problem(path, `must be ≤ ${bounds.max}`);
    return value;
  }

  /** An array of strings, each within its bounds, at most `maxItems` of them. */
  strings(value: unknown, path: PropertyKey[], maxItems: number, bounds: StringBounds): string[] | undefined {
    if (value === undefined) return this.problem(path, "is required");
    if (!Array.isArray(value)) return this.problem(path, "must be an array");
    if (value.length > maxItems) return this.problem(path, `must have at most ${maxItems} items`);
    const before = this.issues.length;
    const items = value.map((item, index) => this.string(item, [...path, index], bounds));
    return this.issues.length === before ? (items as string[]) : undefined;
  }
}

/**
 * A Standard Schema (what Powertools' `parse` takes) over a reader function: valid when the read found no
 * problem. `read` may return anything when it found problems; that value is never used.
 */
export function readerSchema<Output>(
  read: (input: unknown, reader: FieldReader) => Output | undefined,
): StandardSchemaV1<unknown, Output> {
  return {
    "~standard": {
      version: 1,
      vendor: "ami-lifecycle",
      validate(input) {
        const reader = new FieldReader();
        const value = read(input, reader);
        if (reader.issues.length > 0 || value === undefined)
          return { issues: reader.issues.length > 0 ? reader.issues : [{ message: "is invalid", path: [] }] };
        return { value };
      },
    },
  };
}
