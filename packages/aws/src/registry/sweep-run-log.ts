import type { SweepRun, SweepRunLog } from "@ami-lifecycle/core";
import type { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { translateAwsError } from "../errors";
import { isConditionalCheckFailed } from "./conditions";
import { DynamoDBDocumentClient, GetCommand, type GetCommandOutput, PutCommand } from "./documents";
import type { RegistryKey } from "./items";

/** Key of the item holding the last scheduled sweep of the deployment. */
export const lastSweepKey: RegistryKey = { pk: "SWEEP", sk: "LAST" };

/**
 * The last scheduled sweep, one item in the registry table: the sweep role writes the table already
 * and the operator reads it, so `status --stage` needs no new grant for it.
 */
export class DynamoSweepRunLog implements SweepRunLog {
  private readonly documents: DynamoDBDocumentClient;

  constructor(private readonly options: { client: DynamoDBClient; tableName: string }) {
    this.documents = DynamoDBDocumentClient.from(options.client, {
      marshallOptions: { removeUndefinedValues: true },
    });
  }

  /** Writes the run unless a later one is already recorded (a retried, older run never hides a newer one). */
  async record(run: SweepRun): Promise<void> {
    try {
      await this.documents.send(
        new PutCommand({
          TableName: this.options.tableName,
          Item: { ...lastSweepKey, run },
          ConditionExpression: "attribute_not_exists(pk) OR #run.#at <= :at",
          ExpressionAttributeNames: { "#run": "run", "#at": "at" },
          ExpressionAttributeValues: { ":at": run.at },
        }),
      );
    } catch (error) {
      if (isConditionalCheckFailed(error)) return;
      throw translateAwsError("DynamoDB.PutItem", error);
    }
  }

  /** The last recorded run, or undefined before the first. */
  async last(): Promise<SweepRun | undefined> {
    let output: GetCommandOutput;
    try {
      output = await this.documents.send(
        new GetCommand({ TableName: this.options.tableName, Key: lastSweepKey, ConsistentRead: true }),
      );
    } catch (error) {
      throw translateAwsError("DynamoDB.GetItem", error);
    }
    return output.Item?.run as SweepRun | undefined;
  }
}
