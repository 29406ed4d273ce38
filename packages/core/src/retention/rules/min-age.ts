import type { KeepRule } from "../context";
import { dayMs, iso } from "../time";

/**
 * min-age: versions younger than `retention.minAgeDays` (from the version's createdAt) are kept, so a
 * build that has not been rolled out yet is never retired. A withdrawn version is exempt: rollback is a
 * deliberate request to retire it.
 */
export const minAge: KeepRule = (version, context) => {
  if (version.record.withdrawn) return undefined;
  const matureAt = version.createdAtMs + context.policy.minAgeDays * dayMs;
  if (context.nowMs >= matureAt) return undefined;
  return {
    rule: "min-age",
    message: `younger than ${context.policy.minAgeDays} days (created ${iso(version.createdAtMs)}, kept until ${iso(matureAt)})`,
  };
};
