/**
 * The next run of a sweep schedule after `now`, for the forms the shipped config uses: `rate(N unit)`
 * (one period after the last run, or from `now` when none is known) and a daily
 * `cron(M H * * ? *)` in UTC. Other expressions (and other time zones) return undefined: status then
 * prints the expression instead of guessing.
 */
export function nextRun(
  sweep: { schedule: string; timezone: string },
  now: Date,
  last?: Date,
): Date | undefined {
  const daily = /^cron\((\d{1,2}) (\d{1,2}) \* \* \? \*\)$/.exec(sweep.schedule);
  if (daily && sweep.timezone === "UTC") {
    const next = new Date(now);
    next.setUTCHours(Number(daily[2]), Number(daily[1]), 0, 0);
    if (next.getTime() <= now.getTime()) next.setUTCDate(next.getUTCDate() + 1);
    return next;
  }
  const rate = /^rate\((\d+) (minute|minutes|hour|hours|day|days)\)$/.exec(sweep.schedule);
  if (rate) {
    const unitMs = rate[2]?.startsWith("minute")
      ? 60_000
      : rate[2]?.startsWith("hour")
        ? 3_600_000
        : 86_400_000;
    const period = Number(rate[1]) * unitMs;
    if (period === 0) return undefined;
    let next = (last ?? now).getTime() + period;
    while (next <= now.getTime()) next += period;
    return new Date(next);
  }
  return undefined;
}
