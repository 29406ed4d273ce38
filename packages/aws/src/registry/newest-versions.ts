import type { VersionRecord } from "@ami-lifecycle/core";
import { translateAwsError } from "../errors";
import { type DynamoDBDocumentClient, QueryCommand } from "./documents";
import { familyPartition, toVersionRecords, versionPrefix } from "./items";

/**
 * Items per Query page: a few versions with their region items. Deciding `latest` usually needs only
 * the newest one or two, so a page is small and the retired tail of a family is never read.
 */
const newestVersionsPageItems = 16;

/**
 * A family's versions newest first, one small descending Query page at a time, only as far as the caller
 * iterates. Descending, a version's region items (`V#…42#R#…`) come before its version item (`V#…42`),
 * so a version is complete, and yielded, when its version item arrives; a page may end mid-version.
 */
export async function* newestVersions(
  documents: DynamoDBDocumentClient,
  tableName: string,
  family: string,
): AsyncGenerator<VersionRecord> {
  let pending: Record<string, unknown>[] = [];
  let startKey: Record<string, unknown> | undefined;
  do {
    let page: { Items?: Record<string, unknown>[]; LastEvaluatedKey?: Record<string, unknown> };
    try {
      page = await documents.send(
        new QueryCommand({
          TableName: tableName,
          KeyConditionExpression: "pk = :pk AND begins_with(sk, :prefix)",
          ExpressionAttributeValues: { ":pk": familyPartition(family), ":prefix": versionPrefix },
          ScanIndexForward: false,
          Limit: newestVersionsPageItems,
          ConsistentRead: true,
          ...(startKey ? { ExclusiveStartKey: startKey } : {}),
        }),
      );
    } catch (error) {
      throw translateAwsError("DynamoDB.Query", error);
    }
    for (const item of page.Items ?? []) {
      pending.push(item);
      if (item.entity !== "version") continue;
      // toVersionRecords expects the ascending order: the version item, then its regions.
      const [version] = toVersionRecords([item, ...pending.slice(0, -1).reverse()]);
      pending = [];
      if (version) yield version;
    }
    startKey = page.LastEvaluatedKey;
  } while (startKey);
}
