import type { Runtime } from "@ami-lifecycle/aws";
import {
  dynamoRollbackDecisions,
  lazyProductionRuntime,
  oncePerRequest,
  wholeRequestKey,
  wrapEventHandler,
} from "@ami-lifecycle/aws";
import {
  pointerDependencies,
  type RollbackRequest,
  rollback,
  rollbackRequestSchema,
} from "@ami-lifecycle/core";
import checkedConfig from "../ami-lifecycle.config.checked.json" with { type: "json" };

/** How long a rollback request is answered from its first result instead of rolling back again. */
const repeatedRequestWindowSeconds = 3600;

/**
 * Builds the rollback handler over a runtime. Invoked directly by automation (a failed canary, say), no
 * rule: an invalid request or a refused rollback is thrown back to the caller, never retried by a queue.
 * Two guards, for two kinds of repeat:
 * - the same request sent twice (a canary that fires twice, a caller's retry) is answered from its first
 *   result for an hour (a record keyed by the whole request, see oncePerRequest): it withdraws once instead of walking
 *   back two versions (going further back names `to`);
 * - an attempt that failed after moving pointers (SNS down) is retried by Lambda under the same request id,
 *   and that record forgets a failed attempt: the registry holds the decision keyed by that id (or the
 *   caller's `requestId`), so the retry applies the first attempt's target and only notifies.
 */
export function createRollbackHandler(runtime: () => Runtime) {
  const rollbackOnce = oncePerRequest(
    "rollback",
    async (request: RollbackRequest, context) => {
      return rollback(pointerDependencies(runtime().reactions), request.family, {
        ...(request.to !== undefined ? { to: request.to } : {}),
        ...(request.force !== undefined ? { force: request.force } : {}),
        requestId: request.requestId ?? context.awsRequestId,
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
    name: "rollback",
    schema: rollbackRequestSchema,
    invokedBy: "direct",
    logKeys: (request) => ({ family: request.family }),
    handle: rollbackOnce,
  });
}

/**
 * Lambda entry point: `{ "family": "web", "to": 41, "force": false, "requestId": "canary-77" }` by direct
 * invocation. It alone records rollback decisions, so it alone wires (and bundles) them.
 */
export const handler = createRollbackHandler(
  lazyProductionRuntime(checkedConfig, { rollbackDecisions: dynamoRollbackDecisions }),
);
