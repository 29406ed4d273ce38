import type { Notification } from "../notifications";
import type { ReactionDependencies } from "./dependencies";

/**
 * Performs a side effect at most once per key, and at least once: the key is claimed in the registry
 * first and released if the effect fails, so a retried event performs it again.
 */
export async function once(
  deps: Pick<ReactionDependencies, "registry">,
  key: string,
  effect: () => Promise<void>,
): Promise<boolean> {
  if (!(await deps.registry.claimOnce(key))) return false;
  try {
    await effect();
    return true;
  } catch (error) {
    await deps.registry.releaseClaim(key);
    throw error;
  }
}

/** Publishes a notification exactly once in effect, keyed by `key`. */
export function notifyOnce(
  deps: Pick<ReactionDependencies, "registry" | "notifier">,
  key: string,
  notification: Notification,
): Promise<boolean> {
  return once(deps, `notify:${key}`, () => deps.notifier.publish(notification));
}
