import { createHash, randomUUID } from "node:crypto";
import { AmiLifecycleError, type Clock } from "@ami-lifecycle/core";
import type { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import type { Context } from "aws-lambda";
import { translateAwsError } from "../errors";
import { conditionFailedItem, isConditionalCheckFailed } from "../registry/conditions";
import { DeleteCommand, DynamoDBDocumentClient, PutCommand } from "../registry/documents";

// One run per request for the sweep and the rollback: a conditional write with an expiry on the
// idempotency table (partition key `id`, TTL `expiration`), in place of Powertools idempotency and the
// JMESPath engine it brings. The same guarantees: a request that is running keeps its duplicates out,
// a request that completed answers its duplicates with its first result until it expires, and a request
// that failed (or whose invocation died, once its lease ran out) may run again.

/** Where the request records live and what identifies a request. */
export interface RequestOnceSetup<Event> {
  store: { tableName: string; client: DynamoDBClient };
  clock: Clock;
  /** the request's identity: equal keys are the same request */
  key: (event: Event) => string;
  /** how long a completed request answers its duplicates */
  expiresAfterSeconds: number;
}

/** The same request is being handled by another invocation; thrown so the caller (or Lambda) retries later. */
export class RequestInProgressError extends AmiLifecycleError {
  override name = "RequestInProgressError";
  constructor(readonly requestKey: string) {
    super(`request ${requestKey} is already being handled by another invocation`);
  }
}

/** The whole request as its key: a hash of its JSON with keys in a stable order. */
export function wholeRequestKey(event: unknown): string {
  return createHash("sha256").update(stableJson(event)).digest("hex");
}

/**
 * Runs `handle` at most once at a time per request, and answers a repeat of a completed request with its
 * first result (JSON, as it was returned) until `expiresAfterSeconds`. The setup is resolved at the first
 * invocation, so building the handler reads no environment.
 */
export function oncePerRequest<Event, Result>(
  name: string,
  handle: (event: Event, context: Context) => Promise<Result>,
  setup: () => RequestOnceSetup<Event>,
): (event: Event, context: Context) => Promise<Result> {
  let resolved: { setup: RequestOnceSetup<Event>; documents: DynamoDBDocumentClient } | undefined;
  return async (event, context) => {
    if (!resolved) {
      const chosen = setup();
      resolved = { setup: chosen, documents: DynamoDBDocumentClient.from(chosen.store.client) };
    }
    const { setup: chosen, documents } = resolved;
    const id = `${name}#${chosen.key(event)}`;
    const record = { documents, tableName: chosen.store.tableName, id };
    const nowMs = chosen.clock.now().getTime();
    const leaseId = randomUUID();
    const earlier = await startRequest(record, leaseId, nowMs, nowMs + context.getRemainingTimeInMillis());
    if (earlier?.status === "completed") return JSON.parse(String(earlier.result)) as Result;
    if (earlier) throw new RequestInProgressError(id);
    let result: Result;
    try {
      result = await handle(event, context);
    } catch (error) {
      // A failed request may run again at once (Lambda's retry, the caller's): give the record back.
      await endFailedRequest(record, leaseId);
      throw error;
    }
    const expiration = Math.floor(chosen.clock.now().getTime() / 1000) + chosen.expiresAfterSeconds;
    await completeRequest(record, result, expiration);
    return result;
  };
}

interface RequestRecord {
  documents: DynamoDBDocumentClient;
  tableName: string;
  id: string;
}

/**
 * Writes the record `in-progress` unless a live one exists: none, an expired completed one, or an
 * in-progress one whose invocation's time ran out (it died) may be replaced. Returns the live record
 * that kept this invocation out.
 */
async function startRequest(
  record: RequestRecord,
  leaseId: string,
  nowMs: number,
  leaseUntilMs: number,
): Promise<Record<string, unknown> | undefined> {
  try {
    await record.documents.send(
      new PutCommand({
        TableName: record.tableName,
        Item: {
          id: record.id,
          status: "in-progress",
          leaseId,
          inProgressUntil: leaseUntilMs,
          // TTL may delete a record the invocation left behind once its lease is long over.
          expiration: Math.floor(leaseUntilMs / 1000) + 3600,
        },
        ConditionExpression:
          "attribute_not_exists(id) OR (#status = :completed AND #expiration < :nowSeconds) OR (#status = :inProgress AND inProgressUntil < :nowMs)",
        ExpressionAttributeNames: { "#status": "status", "#expiration": "expiration" },
        ExpressionAttributeValues: {
          ":completed": "completed",
          ":inProgress": "in-progress",
          ":nowSeconds": Math.floor(nowMs / 1000),
          ":nowMs": nowMs,
        },
        ReturnValuesOnConditionCheckFailure: "ALL_OLD",
      }),
    );
    return undefined;
  } catch (error) {
    if (!isConditionalCheckFailed(error)) throw translateAwsError("DynamoDB.PutItem", error);
    return conditionFailedItem(error) ?? { status: "in-progress" };
  }
}

/** Stores the result for the request's repeats. */
async function completeRequest(record: RequestRecord, result: unknown, expiration: number): Promise<void> {
  try {
    await record.documents.send(
      new PutCommand({
        TableName: record.tableName,
        Item: { id: record.id, status: "completed", result: JSON.stringify(result ?? null), expiration },
      }),
    );
  } catch (error) {
    throw translateAwsError("DynamoDB.PutItem", error);
  }
}

/** Deletes the record while this invocation still holds it; the caller sees the handler's error, not this one's. */
async function endFailedRequest(record: RequestRecord, leaseId: string): Promise<void> {
  try {
    await record.documents.send(
      new DeleteCommand({
        TableName: record.tableName,
        Key: { id: record.id },
        ConditionExpression: "leaseId = :leaseId",
        ExpressionAttributeValues: { ":leaseId": leaseId },
      }),
    );
  } catch {
    // Not deleted: the lease running out stands in for it.
  }
}

/** JSON with object keys sorted, so two equal requests hash alike whatever their key order. */
function stableJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stableJson).join(",")}]`;
  if (value && typeof value === "object") {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, item]) => item !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([key, item]) => `${JSON.stringify(key)}:${stableJson(item)}`).join(",")}}`;
  }
  return JSON.stringify(value ?? null);
}
