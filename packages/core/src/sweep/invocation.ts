import * as z from "zod/mini";
import { maxRequestedDeletionsLimit } from "../config";
import { boundedString, eventBridgeEnvelope } from "../events/event-fields";
import { familySweepRequestDetailType, serviceEventSource } from "../events/service-events";

/**
 * What EventBridge Scheduler sends the sweep function. `executionId` and `scheduledTime` are filled by
 * Scheduler's context attributes (a new execution id per attempt, so a retry after a failed sweep runs
 * again instead of being answered from the idempotency store).
 */
export const scheduledSweepInputSchema = z.object({
  kind: z.literal("scheduled-sweep"),
  executionId: z.optional(boundedString(128).check(z.minLength(1))),
  scheduledTime: z.optional(boundedString(64)),
});

/** The Scheduler target input of the periodic sweep (the stack passes it as `JSON.stringify(scheduledSweepInput)`). */
export const scheduledSweepInput = {
  kind: "scheduled-sweep",
  executionId: "<aws.scheduler.execution-id>",
  scheduledTime: "<aws.scheduler.scheduled-time>",
} as const satisfies z.input<typeof scheduledSweepInputSchema>;

/** The "Family Sweep Requested" event the service puts on its bus (a new version, the CLI). */
export const familySweepRequestEventSchema = eventBridgeEnvelope(
  serviceEventSource,
  familySweepRequestDetailType,
  z.object({
    family: boundedString(63).check(z.minLength(1)),
    reason: z._default(boundedString(1024), "requested"),
    // `ami-lifecycle sweep --max-deletions N`: the family's own ceiling is checked against the config
    // when the sweep runs (requestedCapIssues); here only what no config could allow.
    maxDeletions: z.optional(
      z
        .number()
        .check(
          z.int("must be a whole number"),
          z.gte(0, "must be ≥ 0"),
          z.lte(maxRequestedDeletionsLimit, `must be ≤ ${maxRequestedDeletionsLimit}`),
        ),
    ),
    /**
     * Names the request itself (a new version's: `sweep-request:<family>:<version>`): a request put on the
     * bus twice (the reaction retried after putting it) is then one sweep, not two.
     */
    requestKey: z.optional(boundedString(256).check(z.minLength(1))),
  }),
);

/** The continuation a sweep requests of itself (same source and detail-type: the same rule and grant). */
export const sweepContinuationEventSchema = eventBridgeEnvelope(
  serviceEventSource,
  familySweepRequestDetailType,
  z.object({
    continuation: z.object({
      runId: boundedString(256).check(z.minLength(1)),
      part: z.number().check(z.int(), z.positive()),
    }),
    reason: z._default(boundedString(1024), "continuation"),
  }),
);

/** One sweep to run: which families (all when absent), why, and the key that makes its invocation idempotent. */
export interface SweepInvocation {
  /** the request's own key, else the EventBridge event id, or Scheduler's execution id */
  requestId: string;
  families?: string[];
  reason: string;
  /** the request's one-off deletion cap per family (`sweep --max-deletions`), within the config's ceiling */
  maxDeletions?: number;
  /** the n-th continuation of run `runId` (its families are in the run's progress item) */
  continuation?: { runId: string; part: number };
}

/** Both ways the sweep function is invoked, normalised to a SweepInvocation. */
export const sweepInvocationSchema = z.union([
  z.pipe(
    scheduledSweepInputSchema,
    z.transform(
      (input): SweepInvocation => ({
        // Without Scheduler's attributes (a bare `{"kind":"scheduled-sweep"}`) each invocation is its own
        // request: a fixed key would answer tomorrow's sweep from today's idempotency record.
        requestId: `scheduled:${input.executionId ?? input.scheduledTime ?? globalThis.crypto.randomUUID()}`,
        reason: `scheduled sweep${input.scheduledTime ? ` at ${input.scheduledTime}` : ""}`,
      }),
    ),
  ),
  z.pipe(
    familySweepRequestEventSchema,
    z.transform(
      (event): SweepInvocation => ({
        requestId: event.detail.requestKey ?? event.id,
        families: [event.detail.family],
        reason: event.detail.reason,
        ...(event.detail.maxDeletions !== undefined ? { maxDeletions: event.detail.maxDeletions } : {}),
      }),
    ),
  ),
  z.pipe(
    sweepContinuationEventSchema,
    z.transform(
      (event): SweepInvocation => ({
        // The part, not the event id: a continuation put twice (a retried PutEvents) is one request.
        requestId: `continuation:${event.detail.continuation.runId}:${event.detail.continuation.part}`,
        reason: event.detail.reason,
        continuation: event.detail.continuation,
      }),
    ),
  ),
]);
