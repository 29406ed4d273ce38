import type { Reason } from "../types";
import { byBuildTime, type VersionView } from "../version-view";

/**
 * withdrawn: a version withdrawn by rollback is retired first. It does not count towards keep-latest,
 * min-age does not hold it, and the deletion cap deregisters it before older versions; in-use, protected,
 * recently-launched, not-managed and newest-available still keep it.
 */
export function withdrawnReason(version: VersionView): Reason | undefined {
  if (!version.record.withdrawn) return undefined;
  return { rule: "withdrawn", message: "withdrawn by rollback: retired first" };
}

/** Retirement order: withdrawn versions first, then oldest build first. */
export function retirementOrder(a: VersionView, b: VersionView): number {
  const withdrawnFirst = Number(!!b.record.withdrawn) - Number(!!a.record.withdrawn);
  return withdrawnFirst !== 0 ? withdrawnFirst : byBuildTime(a, b);
}
