import {
  type BatchGetItemCommand,
  DynamoDBClient,
  type QueryCommand as QueryItemsCommand,
  TransactWriteItemsCommand,
} from "@aws-sdk/client-dynamodb";
import { afterEach, describe, expect, it } from "vitest";
import {
  BatchGetCommand,
  DynamoDBDocumentClient,
  PutCommand,
  paginateQuery,
  TransactWriteCommand,
} from "../../../packages/aws/src/registry/documents";

/** A DynamoDB client whose calls never leave the process: each raw command is recorded and answered. */
function recordingClient(answer: (command: unknown) => Record<string, unknown> = () => ({})) {
  const client = new DynamoDBClient({
    region: "us-east-1",
    credentials: { accessKeyId: "a", secretAccessKey: "b" },
  });
  const sent: unknown[] = [];
  client.send = (async (command: unknown) => {
    sent.push(command);
    return answer(command);
  }) as DynamoDBClient["send"];
  return { client, sent };
}

const clients: DynamoDBClient[] = [];
afterEach(() => {
  for (const client of clients.splice(0)) client.destroy();
});

describe("the registry's document commands", () => {
  it("marshal every transaction action's item, key and values into the raw TransactWriteItems", async () => {
    const { client, sent } = recordingClient();
    clients.push(client);
    await DynamoDBDocumentClient.from(client).send(
      new TransactWriteCommand({
        TransactItems: [
          { Put: { TableName: "t", Item: { pk: "F#a", n: 1 } } },
          {
            Update: {
              TableName: "t",
              Key: { pk: "F#a", sk: "V#1" },
              UpdateExpression: "SET s = :s",
              ExpressionAttributeValues: { ":s": "retired" },
            },
          },
        ],
      }),
    );

    expect(sent[0]).toBeInstanceOf(TransactWriteItemsCommand);
    expect((sent[0] as TransactWriteItemsCommand).input.TransactItems).toEqual([
      { Put: { TableName: "t", Item: { pk: { S: "F#a" }, n: { N: "1" } } } },
      {
        Update: {
          TableName: "t",
          Key: { pk: { S: "F#a" }, sk: { S: "V#1" } },
          UpdateExpression: "SET s = :s",
          ExpressionAttributeValues: { ":s": { S: "retired" } },
        },
      },
    ]);
  });

  it("answer a batch get with plain responses and unprocessed keys", async () => {
    const { client, sent } = recordingClient(() => ({
      Responses: { t: [{ pk: { S: "F#a" }, last: { N: "3" } }] },
      UnprocessedKeys: { t: { Keys: [{ pk: { S: "F#b" } }] } },
    }));
    clients.push(client);
    const output = await DynamoDBDocumentClient.from(client).send(
      new BatchGetCommand({ RequestItems: { t: { Keys: [{ pk: "F#a" }, { pk: "F#b" }] } } }),
    );

    expect((sent[0] as BatchGetItemCommand).input.RequestItems).toEqual({
      t: { Keys: [{ pk: { S: "F#a" } }, { pk: { S: "F#b" } }] },
    });
    expect(output.Responses).toEqual({ t: [{ pk: "F#a", last: 3 }] });
    expect(output.UnprocessedKeys).toEqual({ t: { Keys: [{ pk: "F#b" }] } });
  });

  it("page a query through its last evaluated keys, each page limited to the page size", async () => {
    const pages = [
      {
        Items: [{ pk: { S: "F#a" }, sk: { S: "V#1" } }],
        LastEvaluatedKey: { pk: { S: "F#a" }, sk: { S: "V#1" } },
      },
      { Items: [{ pk: { S: "F#a" }, sk: { S: "V#2" } }] },
    ];
    const { client, sent } = recordingClient(() => pages.shift() ?? {});
    clients.push(client);
    const items: unknown[] = [];
    for await (const page of paginateQuery(
      { client: DynamoDBDocumentClient.from(client), pageSize: 1 },
      { TableName: "t", KeyConditionExpression: "pk = :pk", ExpressionAttributeValues: { ":pk": "F#a" } },
    )) {
      items.push(...(page.Items ?? []));
    }

    expect(items).toEqual([
      { pk: "F#a", sk: "V#1" },
      { pk: "F#a", sk: "V#2" },
    ]);
    const inputs = sent.map((command) => (command as QueryItemsCommand).input);
    expect(inputs.map((input) => input.Limit)).toEqual([1, 1]);
    expect(inputs.map((input) => input.ExclusiveStartKey)).toEqual([
      undefined,
      { pk: { S: "F#a" }, sk: { S: "V#1" } },
    ]);
  });

  it("keep each document client's marshall options, whatever another client over the same DynamoDB client asked", async () => {
    const { client, sent } = recordingClient();
    clients.push(client);
    const dropsUndefined = DynamoDBDocumentClient.from(client, {
      marshallOptions: { removeUndefinedValues: true },
    });
    const strict = DynamoDBDocumentClient.from(client);

    await dropsUndefined.send(new PutCommand({ TableName: "t", Item: { pk: "F#a", note: undefined } }));
    await expect(
      strict.send(new PutCommand({ TableName: "t", Item: { pk: "F#a", note: undefined } })),
    ).rejects.toThrow(/removeUndefinedValues/);
    expect(sent).toHaveLength(1);
  });
});
