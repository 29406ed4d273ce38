import type { KeepRule } from "../context";
import { dayMs, parseTime } from "../time";

/**
 * recently-launched: with `retention.unusedForDays` set, a version any of whose images was launched
 * within that many days is kept. EC2 updates LastLaunchedTime up to 24 h late, so a window of less than
 * two days is unreliable. Applies to withdrawn versions too: a launch is use.
 */
export const recentlyLaunched: KeepRule = (version, context) => {
  const window = context.policy.unusedForDays;
  if (window === undefined) return undefined;
  const since = context.nowMs - window * dayMs;
  const launched: string[] = [];
  for (const image of version.images) {
    const lastLaunched = parseTime(image.lastLaunchedTime);
    if (lastLaunched !== undefined && lastLaunched > since) {
      launched.push(`${image.imageId} in ${image.region} at ${image.lastLaunchedTime}`);
    }
  }
  if (launched.length === 0) return undefined;
  return { rule: "recently-launched", message: `launched within ${window} days: ${launched.join("; ")}` };
};
