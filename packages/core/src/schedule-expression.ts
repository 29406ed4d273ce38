/**
 * EventBridge Scheduler's recurring schedule expressions, checked the way Scheduler reads them, so a
 * schedule it would refuse (or read differently) fails `validate` instead of the deploy:
 *
 * - `cron(minutes hours day-of-month month day-of-week year)`: six fields; `,` lists, `-` ranges, `*` all,
 *   `/` increments; day-of-month also `?`, `L`, `W`; day-of-week also `?`, `L`, `#`; exactly one of
 *   day-of-month and day-of-week is `?`.
 * - `rate(value unit)`: a whole number ≥ 1 and `minute`/`hour`/`day`, singular for 1 and plural otherwise.
 */

interface CronField {
  name: string;
  min: number;
  max: number;
  /** names accepted instead of numbers (JAN → 1, SUN → 1) */
  names?: readonly string[];
  /** which of `?`, `L`, `W`, `#` the field allows besides `, - * /` */
  special: { question?: boolean; last?: boolean; weekday?: boolean; nth?: boolean; step: boolean };
}

const months = ["JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"];
const weekdays = ["SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"];

const cronFields: readonly CronField[] = [
  { name: "minutes", min: 0, max: 59, special: { step: true } },
  { name: "hours", min: 0, max: 23, special: { step: true } },
  {
    name: "day-of-month",
    min: 1,
    max: 31,
    special: { question: true, last: true, weekday: true, step: true },
  },
  { name: "month", min: 1, max: 12, names: months, special: { step: true } },
  {
    name: "day-of-week",
    min: 1,
    max: 7,
    names: weekdays,
    special: { question: true, last: true, nth: true, step: false },
  },
  { name: "year", min: 1970, max: 2199, special: { step: true } },
];

const cronFieldNames = cronFields.map((field) => field.name).join(" ");

/** Why Scheduler would refuse the expression, or undefined when it is a valid cron() or rate() expression. */
export function scheduleExpressionProblem(expression: string): string | undefined {
  const cron = /^cron\((.*)\)$/s.exec(expression);
  if (cron) return cronProblem(cron[1] ?? "");
  const rate = /^rate\((.*)\)$/s.exec(expression);
  if (rate) return rateProblem(rate[1] ?? "");
  return undefined;
}

function cronProblem(body: string): string | undefined {
  const values = body
    .trim()
    .split(/\s+/)
    .filter((value) => value !== "");
  if (values.length !== cronFields.length)
    return `cron needs ${cronFields.length} fields (${cronFieldNames}), got ${values.length}`;
  for (const [index, field] of cronFields.entries()) {
    const problem = fieldProblem(values[index] ?? "", field);
    if (problem) return `${field.name}: ${problem}`;
  }
  // Scheduler refuses both "every day of the month" and "every weekday" at once, and needs one of them.
  if ((values[2] === "?") === (values[4] === "?"))
    return "one of day-of-month and day-of-week must be ?, the other a value or *";
  return undefined;
}

function fieldProblem(value: string, field: CronField): string | undefined {
  if (value === "?")
    return field.special.question ? undefined : `"?" is allowed only in day-of-month and day-of-week`;
  const items = value.split(",");
  if (field.special.nth && value.includes("#") && items.length > 1) return "# allows only one expression";
  for (const item of items) {
    const problem = itemProblem(item, field);
    if (problem) return problem;
  }
  return undefined;
}

function itemProblem(item: string, field: CronField): string | undefined {
  const range = `${field.min}-${field.max}`;
  const outOfRange = `"${item}" is not ${field.names ? `a value of ${range} or ${field.names[0]}-${field.names.at(-1)}` : `in ${range}`}`;
  if (item === "*") return undefined;
  if (item.includes("/")) {
    if (!field.special.step) return `"${item}": / is not allowed in ${field.name}`;
    const [start = "", step = "", ...rest] = item.split("/");
    if (rest.length > 0 || !/^\d+$/.test(step) || Number(step) < 1)
      return `"${item}" needs an increment ≥ 1 after /`;
    if (Number(step) > field.max) return `"${item}": increment must be ≤ ${field.max}`;
    return start === "*" ? undefined : rangeProblem(start, field, outOfRange);
  }
  if (field.special.last && item === "L") return undefined;
  if (field.special.weekday && (item === "LW" || /^\d+W$/.test(item)))
    return item === "LW" ? undefined : valueProblem(item.slice(0, -1), field, outOfRange);
  if (field.special.last && field.special.nth && /L$/.test(item))
    return valueProblem(item.slice(0, -1), field, outOfRange);
  if (field.special.nth && item.includes("#")) {
    const [day = "", week = ""] = item.split("#");
    if (!/^[1-5]$/.test(week)) return `"${item}" needs a week number 1-5 after #`;
    return valueProblem(day, field, outOfRange);
  }
  return rangeProblem(item, field, outOfRange);
}

function rangeProblem(item: string, field: CronField, outOfRange: string): string | undefined {
  const bounds = item.split("-");
  if (bounds.length > 2) return outOfRange;
  for (const bound of bounds) {
    const problem = valueProblem(bound, field, outOfRange);
    if (problem) return problem;
  }
  return undefined;
}

function valueProblem(value: string, field: CronField, outOfRange: string): string | undefined {
  if (field.names?.includes(value.toUpperCase())) return undefined;
  if (!/^\d+$/.test(value)) return outOfRange;
  const number = Number(value);
  return number >= field.min && number <= field.max ? undefined : outOfRange;
}

const rateUnits = ["minute", "hour", "day"];

function rateProblem(body: string): string | undefined {
  const parts = body.trim().split(/\s+/);
  if (parts.length !== 2) return "rate needs a value and a unit, such as rate(12 hours)";
  const [value = "", unit = ""] = parts;
  if (!/^-?\d+$/.test(value) || Number(value) < 1) return `rate needs a whole number ≥ 1, got ${value}`;
  const singular = unit.replace(/s$/, "");
  if (!rateUnits.includes(singular)) return `rate unit must be minute(s), hour(s) or day(s), got "${unit}"`;
  if (Number(value) === 1 && unit !== singular) return `rate of 1 takes the singular unit "${singular}"`;
  if (Number(value) > 1 && unit === singular) return `rate of ${value} takes the plural unit "${singular}s"`;
  return undefined;
}
