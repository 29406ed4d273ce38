import { ConfiguredRetryStrategy } from "@smithy/util-retry";

/**
 * A standard SDK retry strategy without backoff delay, so throttled test scenarios retry at once.
 * Pass it as `retryStrategy` in the client config.
 */
export function fastRetryStrategy(maxAttempts = 3): ConfiguredRetryStrategy {
  return new ConfiguredRetryStrategy(maxAttempts, () => 0);
}
