import type { SweepProgress, SweepProgressStore } from "@ami-lifecycle/core";
import type { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { translateAwsError } from "../errors";
import { isConditionalCheckFailed } from "./conditions";
import { DynamoDBDocumentClient, GetCommand, type GetCommandOutput, PutCommand } from "./documents";
import type { RegistryKey } from "./items";

/** Key of the item holding one sweep run's progress (cursor, parts, lease). */
export function sweepProgressKey(runId: string): RegistryKey {
  return { pk: "SWEEP", sk: `RUN#${runId}` };
}

/**
 * A continued sweep's progress, one item in the registry table beside the last sweep's: the sweep role
 * reads and writes that table already. Writes are conditional on the epoch read, so two invocations of
 * the same part never both run it.
 */
export class DynamoSweepProgressStore implements SweepProgressStore {
  private readonly documents: DynamoDBDocumentClient;

  constructor(private readonly options: { client: DynamoDBClient; tableName: string }) {
    this.documents = DynamoDBDocumentClient.from(options.client, {
      marshallOptions: { removeUndefinedValues: true },
    });
  }

  /** The run's progress, read consistently (the claim right after depends on it). */
  async get(runId: string): Promise<SweepProgress | undefined> {
    let output: GetCommandOutput;
    try {
      output = await this.documents.send(
        new GetCommand({
          TableName: this.options.tableName,
          Key: sweepProgressKey(runId),
          ConsistentRead: true,
        }),
      );
    } catch (error) {
      throw translateAwsError("DynamoDB.GetItem", error);
    }
    return output.Item?.progress as SweepProgress | undefined;
  }

  /** Writes the progress if the stored epoch is the one read; false when another invocation wrote first. */
  async put(progress: SweepProgress, expectedEpoch: number | undefined): Promise<boolean> {
    try {
      await this.documents.send(
        new PutCommand({
          TableName: this.options.tableName,
          Item: { ...sweepProgressKey(progress.runId), progress },
          ...(expectedEpoch === undefined
            ? { ConditionExpression: "attribute_not_exists(pk)" }
            : {
                ConditionExpression: "#progress.#epoch = :epoch",
                ExpressionAttributeNames: { "#progress": "progress", "#epoch": "epoch" },
                ExpressionAttributeValues: { ":epoch": expectedEpoch },
              }),
        }),
      );
      return true;
    } catch (error) {
      if (isConditionalCheckFailed(error)) return false;
      throw translateAwsError("DynamoDB.PutItem", error);
    }
  }
}
