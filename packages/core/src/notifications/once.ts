import type { ReactionLog } from "../dependencies";
import { AmiLifecycleError } from "../errors";
import type { Notifier, OnceClaims } from "../ports";
import type { Notification } from "./notification";

/**
 * Another attempt holds the lease of a one-time effect and may still perform it. Thrown (so Lambda retries
 * the event) rather than skipped: if that holder died, only a later attempt, after its lease ran out, can
 * perform the effect.
 */
export class ClaimHeldError extends AmiLifecycleError {
  override name = "ClaimHeldError";
  constructor(readonly key: string) {
    super(`one-time effect ${key} is being performed by another attempt; retry after its lease`);
  }
}

/**
 * Performs a side effect at most once per key (per claim), and at least once: the key is leased in the
 * registry (`pending`, a few minutes), the effect runs, then the claim is marked `done`. A failed effect
 * gives the lease back so a retry performs it at once; when that fails too, or the Lambda dies in between,
 * the lease runs out and a later attempt takes it over. A `done` claim is never performed again.
 */
export async function once(
  deps: { registry: OnceClaims; log?: ReactionLog },
  key: string,
  effect: () => Promise<void>,
): Promise<boolean> {
  const lease = await deps.registry.takeClaim(key);
  if (lease.state === "done") return false;
  if (lease.state === "held") throw new ClaimHeldError(key);
  try {
    await effect();
  } catch (error) {
    try {
      await deps.registry.releaseLease(key, lease.leaseId);
    } catch (releaseError) {
      // The effect's error is what the caller must see; the lease running out stands in for the release.
      deps.log?.warn("could not give back a one-time claim; it is retried when its lease runs out", {
        key,
        error: releaseError instanceof Error ? releaseError.message : String(releaseError),
      });
    }
    throw error;
  }
  // The at-least-once side: if this write fails after the effect succeeded, the claim stays pending and an
  // attempt after the lease performs the effect a second time (rather than never).
  await deps.registry.completeClaim(key);
  return true;
}

/** Publishes a notification exactly once in effect, keyed by `key`. */
export function notifyOnce(
  deps: { registry: OnceClaims; notifier: Notifier; log?: ReactionLog },
  key: string,
  notification: Notification,
): Promise<boolean> {
  return once(deps, `notify:${key}`, () => deps.notifier.publish(notification));
}
