import type { RetentionPolicy } from "../config";
import type { ImageEvidence } from "../organization/consumer-evidence";
import type { Inventory } from "./inventory";
import { selectLatest } from "./rules/keep-latest";
import { selectNewestAvailable } from "./rules/newest-available";
import type { Reason } from "./types";
import type { VersionView } from "./version-view";

/** Family-wide facts the rules share, computed once per plan. */
export interface PlanContext {
  familyName: string;
  policy: RetentionPolicy;
  nowMs: number;
  inventory: Inventory;
  /** accounts whose images may be retired; undefined = trust the view */
  accounts: ReadonlySet<string> | undefined;
  /** the newest `keepLatest` available, non-withdrawn versions, newest first */
  latest: readonly VersionView[];
  /**
   * every non-withdrawn version, oldest first, available or not: tells when a version fell out of
   * `latest` without depending on what retirement itself disables
   */
  current: readonly VersionView[];
  /** the version newest-available keeps, with why it was chosen */
  newestAvailable: { version: number; message: string } | undefined;
  /** cross-account evidence per image, when the sweep gathered it (shared families only) */
  consumerEvidence?: ReadonlyMap<string, ImageEvidence>;
}

/** A rule that may keep a whole version: returns its reason when it applies. */
export type KeepRule = (version: VersionView, context: PlanContext) => Reason | undefined;

/** Computes the family-wide facts once. `views` is sorted by build time. */
export function buildContext(
  familyName: string,
  policy: RetentionPolicy,
  nowMs: number,
  inventory: Inventory,
  accounts: readonly string[] | undefined,
  views: readonly VersionView[],
): PlanContext {
  const current = views.filter((view) => !view.record.withdrawn);
  const availableCurrent = current.filter((view) => view.available);
  return {
    familyName,
    policy,
    nowMs,
    inventory,
    accounts: accounts ? new Set(accounts) : undefined,
    latest: selectLatest(availableCurrent, policy.keepLatest),
    current,
    newestAvailable: selectNewestAvailable(views),
  };
}
