import { ConditionalCheckFailedException, TransactionCanceledException } from "@aws-sdk/client-dynamodb";
import { unmarshall } from "./attribute-values";

// How the registry reads DynamoDB's answers to conditional writes and transactions.

/** Why one action of a cancelled transaction failed (DynamoDB's CancellationReason, item unmarshalled). */
export interface CancellationReason {
  /** "None" for actions that did not cause the cancellation. */
  code: string;
  /** the item as it was, when the action asked for ReturnValuesOnConditionCheckFailure ALL_OLD */
  item?: Record<string, unknown>;
}

/** The per-action reasons of a TransactionCanceledException, in action order; undefined for any other error. */
export function cancellationReasons(error: unknown): CancellationReason[] | undefined {
  if (!(error instanceof TransactionCanceledException)) return undefined;
  return (error.CancellationReasons ?? []).map((reason) => ({
    code: reason.Code ?? "None",
    ...(reason.Item ? { item: unmarshall(reason.Item) } : {}),
  }));
}

/** True when the action at `index` failed its condition. */
export function conditionFailedAt(reasons: readonly CancellationReason[], index: number): boolean {
  return reasons[index]?.code === "ConditionalCheckFailed";
}

/**
 * True when the transaction was cancelled only because another transaction or write touched the same items
 * at the same time (no condition failed): running it again is correct.
 */
export function isTransactionConflict(reasons: readonly CancellationReason[]): boolean {
  return (
    reasons.some((reason) => reason.code === "TransactionConflict") &&
    reasons.every((reason) => reason.code === "TransactionConflict" || reason.code === "None")
  );
}

/** True for a single-item write whose condition failed. */
export function isConditionalCheckFailed(error: unknown): error is ConditionalCheckFailedException {
  return error instanceof ConditionalCheckFailedException;
}

/** The old item a failed conditional single-item write returned (ReturnValuesOnConditionCheckFailure ALL_OLD). */
export function conditionFailedItem(
  error: ConditionalCheckFailedException,
): Record<string, unknown> | undefined {
  return error.Item ? unmarshall(error.Item) : undefined;
}

/** Capped exponential backoff with full jitter, as AWS recommends for contention. */
export interface Backoff {
  /** attempts before giving up (the first try included) */
  maxAttempts: number;
  /** delay cap of the first retry, doubled per retry */
  baseDelayMs: number;
  /** upper bound of any single delay */
  maxDelayMs: number;
  /** source of randomness in [0, 1) */
  random: () => number;
  /** waits; replaceable so tests of the policy need no real time */
  sleep: (ms: number) => Promise<void>;
}

/** Defaults sized for DynamoDB contention between a few dozen concurrent writers of one family. */
export const defaultBackoff: Backoff = {
  maxAttempts: 60,
  baseDelayMs: 10,
  maxDelayMs: 250,
  random: Math.random,
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
};

/** Delay before retry number `retry` (1-based): uniform in [0, min(max, base·2^(retry-1))]. */
export function backoffDelay(backoff: Backoff, retry: number): number {
  const cap = Math.min(backoff.maxDelayMs, backoff.baseDelayMs * 2 ** Math.min(retry - 1, 30));
  return Math.floor(backoff.random() * cap);
}
