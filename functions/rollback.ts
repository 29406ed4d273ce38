import type { Runtime } from "@ami-lifecycle/aws";
import { lazyProductionRuntime, logger, metrics, tracer } from "@ami-lifecycle/aws";
import {
  pointerDependencies,
  type RollbackRequest,
  rollback,
  rollbackRequestSchema,
} from "@ami-lifecycle/core";
import { injectLambdaContext } from "@aws-lambda-powertools/logger/middleware";
import { logMetrics } from "@aws-lambda-powertools/metrics/middleware";
import { parser } from "@aws-lambda-powertools/parser/middleware";
import { captureLambdaHandler } from "@aws-lambda-powertools/tracer/middleware";
import middy from "@middy/core";
import type { Context } from "aws-lambda";
import configDocument from "../ami-lifecycle.config.json" with { type: "json" };

/**
 * Builds the rollback handler over a runtime. Invoked directly by automation (a failed canary, say), no
 * rule: an invalid request or a refused rollback is thrown back to the caller, never retried by a queue.
 * An asynchronous invocation is retried by Lambda under the same request id, so the rollback is keyed by
 * it (or by the caller's `requestId`): a retry applies the first attempt's decision and only notifies.
 */
export function createRollbackHandler(runtime: () => Runtime) {
  return middy(async (request: RollbackRequest, context: Context) => {
    logger.appendKeys({ family: request.family });
    return rollback(pointerDependencies(runtime().reactions), request.family, {
      ...(request.to !== undefined ? { to: request.to } : {}),
      ...(request.force !== undefined ? { force: request.force } : {}),
      requestId: request.requestId ?? context.awsRequestId,
    });
  })
    .use(injectLambdaContext(logger, { resetKeys: true }))
    .use(captureLambdaHandler(tracer))
    .use(logMetrics(metrics))
    .use(parser({ schema: rollbackRequestSchema }));
}

/** Lambda entry point: `{ "family": "web", "to": 41, "force": false, "requestId": "canary-77" }` by direct invocation. */
export const handler = createRollbackHandler(lazyProductionRuntime(configDocument));
