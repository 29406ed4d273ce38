import type { RegistryBatchWrite, RetiredStage } from "@ami-lifecycle/core";
import type { TransactWriteCommandInput } from "./documents";
import { regionItem, stageDateAttribute, stagesBefore, versionKey } from "./items";

type TransactItem = NonNullable<TransactWriteCommandInput["TransactItems"]>[number];

/** DynamoDB's limit of actions per TransactWriteItems (aws-facts: 100 items, 4 MB). */
export const transactionItemsLimit = 100;

/**
 * The transaction action of one batched write, or undefined when the write has nothing to do (a stage
 * advance to `active`). A region write is conditioned on the item holding the expected image: such an
 * item was written with its version's existence check and its image claim (putRegionImage), so the
 * version exists and the claim already names this place; the one action keeps both guarantees.
 */
export function batchAction(
  tableName: string,
  family: string,
  write: RegistryBatchWrite,
  now: string,
): TransactItem | undefined {
  if (write.kind === "region-image") {
    return {
      Put: {
        TableName: tableName,
        Item: regionItem(family, write.version, write.record),
        ConditionExpression: "imageId = :expectedImageId",
        ExpressionAttributeValues: { ":expectedImageId": write.expectImageId },
      },
    };
  }
  const from = stagesBefore(write.stage);
  if (from.length === 0) return undefined;
  const values: Record<string, unknown> = { ":stage": write.stage, ":now": now };
  from.forEach((earlier, index) => {
    values[`:from${index}`] = earlier;
  });
  return {
    Update: {
      TableName: tableName,
      Key: versionKey(family, write.version),
      UpdateExpression: "SET #stage = :stage, stageChangedAt = :now, #stageDate = :now",
      ConditionExpression: `attribute_exists(pk) AND #stage IN (${from.map((_, index) => `:from${index}`).join(", ")})`,
      ExpressionAttributeNames: {
        "#stage": "stage",
        "#stageDate": stageDateAttribute(write.stage as RetiredStage),
      },
      ExpressionAttributeValues: values,
    },
  };
}

/**
 * Splits writes into transactions of at most `limit` actions. A transaction may touch an item once, so
 * a write to an item already in the current chunk starts a new one.
 */
export function chunkWrites(
  family: string,
  writes: readonly RegistryBatchWrite[],
  limit = transactionItemsLimit,
): number[][] {
  const chunks: number[][] = [];
  let current: number[] = [];
  let items = new Set<string>();
  writes.forEach((write, index) => {
    const item =
      write.kind === "region-image"
        ? `${family}/${write.version}/${write.record.region}`
        : `${family}/${write.version}`;
    if (current.length >= limit || items.has(item)) {
      chunks.push(current);
      current = [];
      items = new Set();
    }
    current.push(index);
    items.add(item);
  });
  if (current.length > 0) chunks.push(current);
  return chunks;
}
