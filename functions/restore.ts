import type { Runtime } from "@ami-lifecycle/aws";
import {
  ec2RestoreService,
  lazyProductionRuntime,
  oncePerRequest,
  wholeRequestKey,
  wrapEventHandler,
} from "@ami-lifecycle/aws";
import {
  type RestoreRequest,
  restoreDependencies,
  restoreRequestSchema,
  restoreVersion,
} from "@ami-lifecycle/core";
import checkedConfig from "../ami-lifecycle.config.checked.json" with { type: "json" };

/** How long a restore request is answered from its first result instead of restoring again. */
const repeatedRequestWindowSeconds = 3600;

/**
 * Builds the restore handler over a runtime. Invoked directly by automation, no rule: an invalid request
 * or a refused restore (past the recovery date, snapshots gone) is thrown back to the caller. The same
 * request sent twice is answered from its first result; an attempt that failed half-way is retried and
 * resumes, since every step of the restore checks EC2 first and the notification is sent once.
 */
export function createRestoreHandler(runtime: () => Runtime) {
  const restoreOnce = oncePerRequest(
    "restore",
    async (request: RestoreRequest) => {
      const deps = restoreDependencies(runtime().reactions);
      return restoreVersion(deps, request.family, request.version, {
        ...(request.region !== undefined ? { region: request.region } : {}),
      });
    },
    () => ({
      store: runtime().idempotencyStore(),
      clock: runtime().reactions.clock,
      key: wholeRequestKey,
      expiresAfterSeconds: repeatedRequestWindowSeconds,
    }),
  );
  return wrapEventHandler({
    name: "restore",
    schema: restoreRequestSchema,
    invokedBy: "direct",
    logKeys: (request) => ({ family: request.family, version: String(request.version) }),
    handle: restoreOnce,
  });
}

/**
 * Lambda entry point: `{ "family": "web", "version": 41, "region": "eu-west-1" }` by direct invocation.
 * It alone restores, so it alone wires (and bundles) the Recycle Bin restore adapter.
 */
export const handler = createRestoreHandler(
  lazyProductionRuntime(checkedConfig, { restore: ec2RestoreService }),
);
