import type { Context } from "aws-lambda";

/** Lambda's longest timeout: what a handler run locally has left unless told otherwise. */
const lambdaMaxTimeoutMs = 900_000;

/**
 * A Lambda context for running handlers locally: what Powertools reads from the real one.
 * `remainingMs` is the invocation's time left (the simulated clock in a local deployment).
 */
export function localLambdaContext(
  functionName: string,
  requestId: string,
  remainingMs: () => number = () => lambdaMaxTimeoutMs,
): Context {
  return {
    callbackWaitsForEmptyEventLoop: false,
    functionName,
    functionVersion: "$LATEST",
    invokedFunctionArn: `arn:aws:lambda:local:000000000000:function:${functionName}`,
    memoryLimitInMB: "512",
    awsRequestId: requestId,
    logGroupName: `/aws/lambda/${functionName}`,
    logStreamName: "local",
    getRemainingTimeInMillis: remainingMs,
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
  };
}
