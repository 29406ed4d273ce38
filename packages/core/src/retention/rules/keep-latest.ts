import type { KeepRule } from "../context";
import type { VersionView } from "../version-view";

/**
 * keep-latest: the newest `retention.keepLatest` versions that are available (launchable in at least one
 * region) and not withdrawn are kept. "Newest" is the latest build (creation time), not the highest version
 * number: adopted images get new numbers however old they are. Pending, failed, disabled and withdrawn versions don't count,
 * so a bad or unfinished build never pushes a good version out.
 */
export const keepLatest: KeepRule = (version, context) => {
  if (!context.latest.includes(version)) return undefined;
  const rank = context.latest.indexOf(version) + 1;
  return {
    rule: "keep-latest",
    message: `newest available version #${rank} of the ${context.policy.keepLatest} kept`,
  };
};

/** The newest `count` of the given versions (sorted oldest build first), newest first. */
export function selectLatest(availableCurrent: readonly VersionView[], count: number): VersionView[] {
  return availableCurrent.slice(Math.max(0, availableCurrent.length - count)).reverse();
}

/** Why a version that keep-latest does not keep is a retirement candidate. */
export function outsideLatestMessage(keep: number, latest: readonly VersionView[]): string {
  const kept = latest.map((view) => `v${view.version}`).join(", ");
  return `not among the newest ${keep} available versions (${kept || "none"})`;
}
