/** Milliseconds in a day: retention periods are whole days of 24 hours (UTC, no calendar). */
export const dayMs = 86_400_000;

/**
 * Parses an ISO-8601 time; undefined for absent or unparseable input (never NaN into comparisons).
 * The canonical forms EC2 and the registry write (`2025-06-01T12:00:00.000Z`, `…:00Z`) take an
 * arithmetic fast path (sweeps parse hundreds of thousands); anything else goes to Date.parse.
 */
export function parseTime(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const fast = parseCanonicalUtc(value);
  if (fast !== undefined) return fast;
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? undefined : ms;
}

/** ISO form of an epoch time, for messages. */
export function iso(ms: number): string {
  return new Date(ms).toISOString();
}

/** `YYYY-MM-DDTHH:MM:SS(.sss)?Z` to epoch ms, or undefined when the string is not exactly that. */
function parseCanonicalUtc(value: string): number | undefined {
  const length = value.length;
  if (length !== 20 && length !== 24) return undefined;
  if (
    value.charCodeAt(4) !== 45 || // -
    value.charCodeAt(7) !== 45 ||
    value.charCodeAt(10) !== 84 || // T
    value.charCodeAt(13) !== 58 || // :
    value.charCodeAt(16) !== 58 ||
    value.charCodeAt(length - 1) !== 90 || // Z
    (length === 24 && value.charCodeAt(19) !== 46) // .
  ) {
    return undefined;
  }
  const year = digits(value, 0, 4);
  const month = digits(value, 5, 2);
  const day = digits(value, 8, 2);
  const hour = digits(value, 11, 2);
  const minute = digits(value, 14, 2);
  const second = digits(value, 17, 2);
  const millis = length === 24 ? digits(value, 20, 3) : 0;
  // Out-of-range fields and month ends are left to Date.parse, whose leniency there we don't replicate.
  if (
    month < 1 ||
    month > 12 ||
    day < 1 ||
    day > 28 ||
    hour > 23 ||
    minute > 59 ||
    second > 59 ||
    millis < 0
  ) {
    return undefined;
  }
  return daysFromCivil(year, month, day) * dayMs + ((hour * 60 + minute) * 60 + second) * 1000 + millis;
}

/** The decimal number in `count` characters from `start`, or -1 when one is not a digit. */
function digits(value: string, start: number, count: number): number {
  let result = 0;
  for (let index = start; index < start + count; index++) {
    const code = value.charCodeAt(index) - 48;
    if (code < 0 || code > 9) return -1;
    result = result * 10 + code;
  }
  return result;
}

/** Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's algorithm). */
function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yearOfEra = y - era * 400;
  const dayOfYear = Math.floor((153 * (month + (month > 2 ? -3 : 9)) + 2) / 5) + day - 1;
  const dayOfEra = yearOfEra * 365 + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100) + dayOfYear;
  return era * 146_097 + dayOfEra - 719_468;
}
