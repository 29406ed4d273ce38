import type { KeepRule } from "../context";
import type { VersionView } from "../version-view";

/**
 * newest-available: the family is never left without a launchable version. Keeps the newest available
 * non-withdrawn version; when every available version is withdrawn, the newest available one anyway;
 * when none is available at all, the newest version whose images still exist (it can be re-enabled).
 */
export const newestAvailable: KeepRule = (version, context) => {
  if (context.newestAvailable?.version !== version.version) return undefined;
  return { rule: "newest-available", message: context.newestAvailable.message };
};

/** Chooses the version newest-available keeps. `views` is sorted by build time. */
export function selectNewestAvailable(
  views: readonly VersionView[],
): { version: number; message: string } | undefined {
  const current = findLast(views, (view) => view.available && !view.record.withdrawn);
  if (current) return { version: current.version, message: "newest available version of the family" };
  const withdrawn = findLast(views, (view) => view.available);
  if (withdrawn) {
    return {
      version: withdrawn.version,
      message: "every available version is withdrawn: the newest is kept so the family stays launchable",
    };
  }
  const existing = findLast(views, (view) => view.images.some((image) => image.state !== "deregistered"));
  if (existing) {
    return {
      version: existing.version,
      message: "no version is available: the newest existing one is kept so it can be re-enabled",
    };
  }
  return undefined;
}

function findLast<T>(items: readonly T[], predicate: (item: T) => boolean): T | undefined {
  for (let index = items.length - 1; index >= 0; index--) {
    const item = items[index] as T;
    if (predicate(item)) return item;
  }
  return undefined;
}
