import type { GuardDependencies } from "./guard-dependencies";
import { publicAccessUnblockedNotification } from "./public-sharing-messages";

/**
 * Reads image block public access in every region and alerts the security topic once per sweep when it is
 * off anywhere. Returns the regions where it is off (empty when none, or without a sharing port).
 */
export async function checkImageBlockPublicAccess(
  deps: Pick<GuardDependencies, "sharing" | "securityNotifier">,
  regions: readonly string[],
  now: Date,
): Promise<string[]> {
  const sharing = deps.sharing;
  const unblocked: string[] = [];
  for (const region of regions) {
    if ((await sharing.getImageBlockPublicAccessState(region)) === "unblocked") unblocked.push(region);
  }
  if (unblocked.length > 0) {
    await deps.securityNotifier.publish(publicAccessUnblockedNotification(unblocked, now));
  }
  return unblocked;
}
