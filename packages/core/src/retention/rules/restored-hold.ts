import type { KeepRule } from "../context";
import { parseTime } from "../time";

/**
 * restored-hold: a version someone restored from retirement is kept until its hold ends
 * (`retention.restoredHoldDays` after the restore), so the next sweep does not retire it again at once.
 * It holds withdrawn versions too: a person chose to bring this one back.
 */
export const restoredHold: KeepRule = (version, context) => {
  const heldUntilMs = parseTime(version.record.heldUntil);
  if (heldUntilMs === undefined || context.nowMs >= heldUntilMs) return undefined;
  const restoredOn = version.record.restoredAt?.slice(0, 10) ?? "an unknown date";
  return {
    rule: "restored-hold",
    message: `restored on ${restoredOn}, held until ${version.record.heldUntil}`,
  };
};
