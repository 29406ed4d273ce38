import type { ReactionLog } from "../dependencies";
import { AmiLifecycleError } from "../errors";
import type { ClaimLease, Notifier, OnceClaims } from "../ports";
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

/** One step of onceInTurn: a one-time effect and the key of its claim. */
export interface OnceStep {
  key: string;
  effect: () => Promise<void>;
}

/**
 * Performs one-time effects in turn, each exactly like `once` (at most once per key in effect, at least
 * once), with one completion write for all of them (completeClaims): two
 * notifications of one event cost one write instead of two. When an effect fails (or another attempt
 * holds a claim), the effects already performed are completed, the leases not used are given back and
 * the error is rethrown. Returns, per step, whether this call performed it.
 */
export async function onceInTurn(
  deps: { registry: OnceClaims; log?: ReactionLog },
  steps: readonly OnceStep[],
): Promise<boolean[]> {
  const leases: ClaimLease[] = [];
  for (const step of steps) leases.push(await deps.registry.takeClaim(step.key));
  const performed: string[] = [];
  try {
    for (const [index, step] of steps.entries()) {
      const lease = leases[index];
      if (lease?.state === "done") continue;
      if (lease?.state === "held") throw new ClaimHeldError(step.key);
      await step.effect();
      performed.push(step.key);
    }
  } catch (error) {
    for (const [index, step] of steps.entries()) {
      const lease = leases[index];
      if (lease?.state !== "taken" || performed.includes(step.key)) continue;
      await giveBack(deps, step.key, lease.leaseId);
    }
    await completeAll(deps, performed);
    throw error;
  }
  // The at-least-once side, as in `once`: if this write fails, the claims stay pending and an attempt
  // after the lease performs the effects again (rather than never).
  await completeAll(deps, performed);
  return steps.map((step) => performed.includes(step.key));
}

async function giveBack(
  deps: { registry: OnceClaims; log?: ReactionLog },
  key: string,
  leaseId: string,
): Promise<void> {
  try {
    await deps.registry.releaseLease(key, leaseId);
  } catch (releaseError) {
    // The effect's error is what the caller must see; the lease running out stands in for the release.
    deps.log?.warn("could not give back a one-time claim; it is retried when its lease runs out", {
      key,
      error: releaseError instanceof Error ? releaseError.message : String(releaseError),
    });
  }
}

async function completeAll(deps: { registry: OnceClaims }, keys: readonly string[]) {
  if (keys.length === 0) return;
  if (keys.length === 1) return deps.registry.completeClaim(keys[0] as string);
  return deps.registry.completeClaims(keys);
}
