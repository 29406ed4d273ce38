import { translateAwsError } from "../errors";
import { BatchGetCommand, type DynamoDBDocumentClient, GetCommand } from "./documents";
import { counterKey, imageKey } from "./items";

// A new image's event looks its image id up, then registers it, which reads the family's version
// counter first: both items are read in one BatchGetItem (one round trip instead of two, the same
// read units). The counter read early is only a guess: the registration's counter condition checks it.

/** The image claim item (undefined when the image is not registered) and the family's last version. */
export interface ImageAndCounter {
  imageItem: Record<string, unknown> | undefined;
  lastVersion: number;
}

/** Reads the image claim of `imageId` and the version counter of `family` in one round trip. */
export async function readImageAndCounter(
  documents: DynamoDBDocumentClient,
  tableName: string,
  imageId: string,
  family: string,
): Promise<ImageAndCounter> {
  const keys = { image: imageKey(imageId), counter: counterKey(family) };
  let items: Record<string, unknown>[] = [];
  let unprocessed: Record<string, unknown>[] = [];
  try {
    const answer = await documents.send(
      new BatchGetCommand({
        RequestItems: { [tableName]: { Keys: [keys.image, keys.counter], ConsistentRead: true } },
      }),
    );
    items = answer.Responses?.[tableName] ?? [];
    unprocessed = (answer.UnprocessedKeys?.[tableName]?.Keys ?? []) as Record<string, unknown>[];
  } catch (error) {
    throw translateAwsError("DynamoDB.BatchGetItem", error);
  }
  // Keys DynamoDB left unprocessed (throttling) are read one by one rather than guessed absent.
  for (const key of unprocessed) {
    try {
      const { Item } = await documents.send(
        new GetCommand({ TableName: tableName, Key: key, ConsistentRead: true }),
      );
      if (Item) items.push(Item);
    } catch (error) {
      throw translateAwsError("DynamoDB.GetItem", error);
    }
  }
  const find = (key: { pk: string; sk: string }) =>
    items.find((item) => item.pk === key.pk && item.sk === key.sk);
  const counter = find(keys.counter);
  return {
    imageItem: find(keys.image),
    lastVersion: typeof counter?.lastVersion === "number" ? counter.lastVersion : 0,
  };
}
