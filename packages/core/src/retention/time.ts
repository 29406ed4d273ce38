/** Milliseconds in a day: retention periods are whole days of 24 hours (UTC, no calendar). */
export const dayMs = 86_400_000;

/** Parses an ISO-8601 time; undefined for absent or unparseable input (never NaN into comparisons). */
export function parseTime(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? undefined : ms;
}

/** ISO form of an epoch time, for messages. */
export function iso(ms: number): string {
  return new Date(ms).toISOString();
}
