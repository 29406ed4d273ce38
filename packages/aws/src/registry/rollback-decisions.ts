import type { PointerMove, RollbackDecision } from "@ami-lifecycle/core";
import { translateAwsError } from "../errors";
import { conditionFailedItem, isConditionalCheckFailed } from "./conditions";
import { type DynamoDBDocumentClient, GetCommand, PutCommand, UpdateCommand } from "./documents";
import { rollbackKey } from "./items";
import { registryTtlAttribute } from "./table";

// Rollback decisions (see RollbackDecision in core): written once per request, then marked applied.

/** Where rollback decisions live and how long they are kept. */
export interface RollbackDecisionTable {
  documents: DynamoDBDocumentClient;
  tableName: string;
  /** epoch seconds now, for the TTL */
  nowSeconds: () => number;
  /** how long a decision is kept (it must outlive every retry of its request) */
  ttlSeconds: number;
}

/** The recorded decision of a request, or undefined. */
export async function getRollbackDecision(
  table: RollbackDecisionTable,
  requestId: string,
): Promise<RollbackDecision | undefined> {
  try {
    const { Item } = await table.documents.send(
      new GetCommand({ TableName: table.tableName, Key: rollbackKey(requestId), ConsistentRead: true }),
    );
    return Item ? toDecision(Item) : undefined;
  } catch (error) {
    throw translateAwsError("DynamoDB.GetItem", error);
  }
}

/** Writes the decision only if the request has none; returns the one that is recorded. */
export async function recordRollbackDecision(
  table: RollbackDecisionTable,
  decision: RollbackDecision,
): Promise<RollbackDecision> {
  const { pointers: _notYetApplied, ...decided } = decision;
  try {
    await table.documents.send(
      new PutCommand({
        TableName: table.tableName,
        Item: {
          ...rollbackKey(decision.requestId),
          entity: "rollback",
          ...decided,
          [registryTtlAttribute]: table.nowSeconds() + table.ttlSeconds,
        },
        ConditionExpression: "attribute_not_exists(pk)",
        ReturnValuesOnConditionCheckFailure: "ALL_OLD",
      }),
    );
    return decided;
  } catch (error) {
    if (!isConditionalCheckFailed(error)) throw translateAwsError("DynamoDB.PutItem", error);
    const recorded = conditionFailedItem(error);
    return recorded
      ? toDecision(recorded)
      : ((await getRollbackDecision(table, decision.requestId)) ?? decided);
  }
}

/** Stores the pointer moves of the attempt that applied the decision. */
export async function markRollbackApplied(
  table: RollbackDecisionTable,
  requestId: string,
  pointers: PointerMove[],
): Promise<void> {
  try {
    await table.documents.send(
      new UpdateCommand({
        TableName: table.tableName,
        Key: rollbackKey(requestId),
        UpdateExpression: "SET pointers = :pointers",
        ConditionExpression: "attribute_exists(pk)",
        ExpressionAttributeValues: { ":pointers": pointers },
      }),
    );
  } catch (error) {
    throw translateAwsError("DynamoDB.UpdateItem", error);
  }
}

function toDecision(item: Record<string, unknown>): RollbackDecision {
  return {
    requestId: String(item.requestId),
    family: String(item.family),
    target: Number(item.target),
    withdrawn: Array.isArray(item.withdrawn) ? item.withdrawn.map(Number) : [],
    restored: item.restored === true,
    ...(Array.isArray(item.pointers) ? { pointers: item.pointers as PointerMove[] } : {}),
  };
}

/** The rollback decision store, for `DynamoVersionRegistry({ rollbackDecisions })`: only the rollback's runtime wires it. */
export const dynamoRollbackDecisions = {
  get: getRollbackDecision,
  record: recordRollbackDecision,
  markApplied: markRollbackApplied,
};

/** What the registry delegates its rollback decisions to (dynamoRollbackDecisions). */
export type RollbackDecisionStore = typeof dynamoRollbackDecisions;
