import { maxRequestedDeletionsLimit } from "../config-limits";
import {
  accountIdPattern,
  type FieldReader,
  isIsoTime,
  readerSchema,
  regionNamePattern,
} from "../contracts/field-reader";
import { familySweepRequestDetailType, serviceEventSource } from "../events/service-events";

// The sweep's contract is read by hand (contracts/field-reader.ts) rather than with zod: these three small
// shapes were the only reason the sweep's bundle carried zod's runtime. It accepts what the zod contract
// (a union of the three, first match wins) accepted, with the event contracts' messages, except where it is
// stricter on purpose: an empty event id or scheduled time (each would name every such request alike, and
// a request keyed alike is answered from the first one's record) and a region name over 64 characters.

/** What EventBridge Scheduler sends the sweep function (`scheduledSweepInput`). */
export interface ScheduledSweepInput {
  kind: "scheduled-sweep";
  executionId?: string;
  scheduledTime?: string;
}

/**
 * The Scheduler target input of the periodic sweep (the stack passes it as `JSON.stringify(scheduledSweepInput)`).
 * `executionId` and `scheduledTime` are filled by Scheduler's context attributes (a new execution id per
 * attempt, so a retry after a failed sweep runs again instead of being answered from the idempotency store).
 */
export const scheduledSweepInput = {
  kind: "scheduled-sweep",
  executionId: "<aws.scheduler.execution-id>",
  scheduledTime: "<aws.scheduler.scheduled-time>",
} as const satisfies ScheduledSweepInput;

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

/**
 * Every way the sweep function is invoked, normalised to a SweepInvocation: Scheduler's input, a
 * "Family Sweep Requested" event (a new version, the CLI) and the continuation a sweep requests of itself
 * (same source and detail-type: the same rule and grant).
 */
export const sweepInvocationSchema = readerSchema(readSweepInvocation);

function readSweepInvocation(input: unknown, reader: FieldReader): SweepInvocation | undefined {
  const document = reader.object(input, []);
  if (!document) return undefined;
  if (document.kind !== undefined) return readScheduledInput(document, reader);
  return readServiceEvent(document, reader);
}

function readScheduledInput(
  input: Record<string, unknown>,
  reader: FieldReader,
): SweepInvocation | undefined {
  reader.literal(input.kind, ["kind"], "scheduled-sweep");
  const executionId = reader.optionalString(input.executionId, ["executionId"], { min: 1, max: 128 });
  const scheduledTime = reader.optionalString(input.scheduledTime, ["scheduledTime"], { min: 1, max: 64 });
  return {
    // Without Scheduler's attributes (a bare `{"kind":"scheduled-sweep"}`) each invocation is its own
    // request: a fixed key would answer tomorrow's sweep from today's idempotency record.
    requestId: `scheduled:${executionId ?? scheduledTime ?? globalThis.crypto.randomUUID()}`,
    reason: `scheduled sweep${scheduledTime ? ` at ${scheduledTime}` : ""}`,
  };
}

/** The EventBridge envelope of the service's own sweep request, then its detail (a family's or a continuation). */
function readServiceEvent(event: Record<string, unknown>, reader: FieldReader): SweepInvocation | undefined {
  reader.string(event.version, ["version"], { max: 16 });
  const id = reader.string(event.id, ["id"], { min: 1, max: 128 });
  reader.literal(event["detail-type"], ["detail-type"], familySweepRequestDetailType);
  reader.literal(event.source, ["source"], serviceEventSource);
  reader.string(event.account, ["account"], {
    max: 12,
    pattern: accountIdPattern,
    patternMessage: "must be a 12-digit AWS account id",
  });
  reader.string(event.time, ["time"], {
    max: 64,
    pattern: isIsoTime,
    patternMessage: "must be an ISO-8601 time such as 2026-11-20T10:21:04Z",
  });
  reader.string(event.region, ["region"], {
    max: 64,
    pattern: regionNamePattern,
    patternMessage: "must be an AWS region such as eu-west-1",
  });
  reader.strings(event.resources, ["resources"], 100, { max: 2048 });
  const detail = reader.object(event.detail, ["detail"]);
  if (!detail || id === undefined) return undefined;
  // A family's request first, as the zod union tried it first: a detail naming a family is one.
  if (detail.family === undefined && detail.continuation !== undefined)
    return readContinuation(detail, reader);
  return readFamilyRequest(id, detail, reader);
}

function readFamilyRequest(
  eventId: string,
  detail: Record<string, unknown>,
  reader: FieldReader,
): SweepInvocation | undefined {
  const family = reader.string(detail.family, ["detail", "family"], { min: 1, max: 63 });
  const reason = reader.optionalString(detail.reason, ["detail", "reason"], { max: 1024 }) ?? "requested";
  // `ami-lifecycle sweep --max-deletions N`: the family's own ceiling is checked against the config when
  // the sweep runs (requestedCapIssues); here only what no config could allow.
  const maxDeletions =
    detail.maxDeletions === undefined
      ? undefined
      : reader.wholeNumber(detail.maxDeletions, ["detail", "maxDeletions"], {
          min: 0,
          max: maxRequestedDeletionsLimit,
        });
  // Names the request itself (a new version's: `sweep-request:<family>:<version>`): a request put on the
  // bus twice (the reaction retried after putting it) is then one sweep, not two.
  const requestKey = reader.optionalString(detail.requestKey, ["detail", "requestKey"], { min: 1, max: 256 });
  if (family === undefined) return undefined;
  return {
    requestId: requestKey ?? eventId,
    families: [family],
    reason,
    ...(maxDeletions !== undefined ? { maxDeletions } : {}),
  };
}

function readContinuation(detail: Record<string, unknown>, reader: FieldReader): SweepInvocation | undefined {
  const continuation = reader.object(detail.continuation, ["detail", "continuation"]);
  const reason = reader.optionalString(detail.reason, ["detail", "reason"], { max: 1024 }) ?? "continuation";
  if (!continuation) return undefined;
  const runId = reader.string(continuation.runId, ["detail", "continuation", "runId"], { min: 1, max: 256 });
  const part = reader.wholeNumber(continuation.part, ["detail", "continuation", "part"], {
    min: 0,
    above: true,
  });
  if (runId === undefined || part === undefined) return undefined;
  return {
    // The part, not the event id: a continuation put twice (a retried PutEvents) is one request.
    requestId: `continuation:${runId}:${part}`,
    reason,
    continuation: { runId, part },
  };
}
