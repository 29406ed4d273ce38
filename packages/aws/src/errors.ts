import { AmiLifecycleError, AwsOperationError, TransientAwsError } from "@ami-lifecycle/core";

/**
 * Error codes that mean "try again later". They mirror the SDK's own retry classification
 * (@smithy/service-error-classification: throttling, transient and Node socket codes), which is not a
 * direct dependency; an error that still carries one of them has already survived the SDK's retries.
 */
const transientErrorCodes: ReadonlySet<string> = new Set([
  "BandwidthLimitExceeded",
  "EC2ThrottledException",
  "LimitExceededException",
  "PriorRequestNotComplete",
  "ProvisionedThroughputExceededException",
  "RequestLimitExceeded",
  "RequestThrottled",
  "RequestThrottledException",
  "SlowDown",
  "ThrottledException",
  "Throttling",
  "ThrottlingException",
  "TooManyRequestsException",
  "TransactionInProgressException",
  "TimeoutError",
  "RequestTimeout",
  "RequestTimeoutException",
  "ServiceUnavailable",
  "InternalError",
  "InternalFailure",
  "InternalServerError",
  "Unavailable",
  "ECONNRESET",
  "ECONNREFUSED",
  "EPIPE",
  "ETIMEDOUT",
]);

/** The shape SDK v3 service exceptions (and Node socket errors) share, read defensively. */
interface SdkErrorLike {
  name?: unknown;
  code?: unknown;
  Code?: unknown;
  $fault?: unknown;
  $metadata?: { httpStatusCode?: unknown };
  $retryable?: { throttling?: unknown };
}

/** The AWS error code of an SDK error (`name` for SDK v3 service exceptions), or "Unknown". */
export function awsErrorCode(error: unknown): string {
  if (typeof error !== "object" || error === null) return "Unknown";
  const candidate = error as SdkErrorLike;
  for (const value of [candidate.Code, candidate.code, candidate.name]) {
    if (typeof value === "string" && value.length > 0 && value !== "Error") return value;
  }
  return "Unknown";
}

/** True when the error is throttling, a timeout or a server-side (5xx) failure. */
export function isTransientAwsError(error: unknown): boolean {
  if (typeof error !== "object" || error === null) return false;
  const candidate = error as SdkErrorLike;
  const status = candidate.$metadata?.httpStatusCode;
  if (typeof status === "number" && (status === 429 || status >= 500)) return true;
  if (candidate.$retryable?.throttling === true) return true;
  return transientErrorCodes.has(awsErrorCode(error));
}

/** True when the SDK error carries exactly this AWS error code. */
export function hasAwsErrorCode(error: unknown, ...codes: string[]): boolean {
  return codes.includes(awsErrorCode(error));
}

/**
 * Translates an SDK error at the adapter boundary: errors the service already raised on purpose pass
 * through; throttling/5xx become TransientAwsError (so Lambda retries); anything else becomes
 * AwsOperationError with its code. The SDK error is always kept as `cause`.
 */
export function translateAwsError(operation: string, error: unknown): AmiLifecycleError {
  if (error instanceof AmiLifecycleError) return error;
  const code = awsErrorCode(error);
  return isTransientAwsError(error)
    ? new TransientAwsError(operation, code, { cause: error })
    : new AwsOperationError(operation, code, { cause: error });
}

/** Runs one SDK call and translates whatever it throws (see translateAwsError). */
export async function withAwsErrors<T>(operation: string, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    throw translateAwsError(operation, error);
  }
}
