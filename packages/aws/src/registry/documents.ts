import {
  type AttributeValue,
  BatchGetItemCommand,
  DeleteItemCommand,
  type DynamoDBClient,
  GetItemCommand,
  PutItemCommand,
  QueryCommand as QueryItemsCommand,
  TransactWriteItemsCommand,
  UpdateItemCommand,
} from "@aws-sdk/client-dynamodb";
import type {
  BatchGetCommandInput,
  BatchGetCommandOutput,
  DeleteCommandInput,
  DeleteCommandOutput,
  GetCommandInput,
  GetCommandOutput,
  PutCommandInput,
  PutCommandOutput,
  QueryCommandInput,
  QueryCommandOutput,
  TransactWriteCommandInput,
  TransactWriteCommandOutput,
  UpdateCommandInput,
  UpdateCommandOutput,
} from "@aws-sdk/lib-dynamodb";
import { type MarshallOptions, marshall, unmarshall } from "./attribute-values";

// The registry's document commands: plain objects in, plain objects out, sent as the raw DynamoDB
// commands. The same names and shapes as @aws-sdk/lib-dynamodb's (whose types they reuse), without its
// per-command marshalling tables and middleware, which every Lambda bundle would otherwise carry
// (issue 14: bundle bytes). Only the commands and item fields the registry uses are translated.

export type {
  GetCommandInput,
  GetCommandOutput,
  QueryCommandInput,
  TransactWriteCommandInput,
  UpdateCommandInput,
} from "@aws-sdk/lib-dynamodb";

type Item = Record<string, unknown>;
type RawItem = Record<string, AttributeValue>;
type RawCommand = Parameters<DynamoDBClient["send"]>[0];

/** The input fields that hold an item, a key or expression values (marshalled as whole maps). */
const itemFields = ["Item", "Key", "ExpressionAttributeValues", "ExclusiveStartKey"] as const;

/** The input with its item fields, its transaction's actions' and its batch's keys marshalled. */
function marshalled(input: object, options: MarshallOptions): object {
  const toRaw = (item: Item) => marshall(item, options);
  const withItems = (fields: Record<string, unknown>) => {
    const copy: Record<string, unknown> = { ...fields };
    for (const field of itemFields) if (copy[field] !== undefined) copy[field] = toRaw(copy[field] as Item);
    return copy;
  };
  const raw = withItems(input as Record<string, unknown>);
  if (Array.isArray(raw.TransactItems)) {
    raw.TransactItems = raw.TransactItems.map((action: Record<string, Record<string, unknown>>) =>
      Object.fromEntries(Object.entries(action).map(([kind, write]) => [kind, write && withItems(write)])),
    );
  }
  if (raw.RequestItems) {
    raw.RequestItems = Object.fromEntries(
      Object.entries(raw.RequestItems as Record<string, { Keys?: Item[] }>).map(([table, request]) => [
        table,
        { ...request, ...(request.Keys ? { Keys: request.Keys.map(toRaw) } : {}) },
      ]),
    );
  }
  return raw;
}

/** The output with its item, items, attributes, last key and batch responses unmarshalled. */
function unmarshalled(output: Record<string, unknown>): Record<string, unknown> {
  const plain: Record<string, unknown> = { ...output };
  for (const field of ["Item", "Attributes", "LastEvaluatedKey"] as const) {
    if (plain[field] !== undefined) plain[field] = unmarshall(plain[field] as RawItem);
  }
  if (Array.isArray(plain.Items)) plain.Items = plain.Items.map((item: RawItem) => unmarshall(item));
  if (plain.Responses && !Array.isArray(plain.Responses)) {
    plain.Responses = Object.fromEntries(
      Object.entries(plain.Responses as Record<string, RawItem[]>).map(([table, items]) => [
        table,
        items.map((item) => unmarshall(item)),
      ]),
    );
  }
  if (plain.UnprocessedKeys) {
    plain.UnprocessedKeys = Object.fromEntries(
      Object.entries(plain.UnprocessedKeys as Record<string, { Keys?: RawItem[] }>).map(
        ([table, request]) => [
          table,
          { ...request, ...(request.Keys ? { Keys: request.Keys.map((key) => unmarshall(key)) } : {}) },
        ],
      ),
    );
  }
  return plain;
}

/** A document command: its plain input and the raw command that carries it. */
abstract class DocumentCommand<Input extends object, Output> {
  /** Phantom: the output `send` resolves to. */
  declare readonly output?: Output;
  constructor(
    readonly input: Input,
    /** the raw DynamoDB command built from the marshalled input */
    readonly raw: new (input: never) => unknown,
  ) {}
}

/** GetItem with a plain key and item. */
export class GetCommand extends DocumentCommand<GetCommandInput, GetCommandOutput> {
  constructor(input: GetCommandInput) {
    super(input, GetItemCommand);
  }
}

/** PutItem with a plain item and expression values. */
export class PutCommand extends DocumentCommand<PutCommandInput, PutCommandOutput> {
  constructor(input: PutCommandInput) {
    super(input, PutItemCommand);
  }
}

/** UpdateItem with a plain key, expression values and returned attributes. */
export class UpdateCommand extends DocumentCommand<UpdateCommandInput, UpdateCommandOutput> {
  constructor(input: UpdateCommandInput) {
    super(input, UpdateItemCommand);
  }
}

/** DeleteItem with a plain key and expression values. */
export class DeleteCommand extends DocumentCommand<DeleteCommandInput, DeleteCommandOutput> {
  constructor(input: DeleteCommandInput) {
    super(input, DeleteItemCommand);
  }
}

/** Query with plain expression values, start key, items and last key. */
export class QueryCommand extends DocumentCommand<QueryCommandInput, QueryCommandOutput> {
  constructor(input: QueryCommandInput) {
    super(input, QueryItemsCommand);
  }
}

/** BatchGetItem with plain keys, responses and unprocessed keys. */
export class BatchGetCommand extends DocumentCommand<BatchGetCommandInput, BatchGetCommandOutput> {
  constructor(input: BatchGetCommandInput) {
    super(input, BatchGetItemCommand);
  }
}

/** TransactWriteItems with plain items, keys and expression values in every action. */
export class TransactWriteCommand extends DocumentCommand<
  TransactWriteCommandInput,
  TransactWriteCommandOutput
> {
  constructor(input: TransactWriteCommandInput) {
    super(input, TransactWriteItemsCommand);
  }
}

/** Sends document commands through a DynamoDB client (its middleware stack is the client's). */
export class DynamoDBDocumentClient {
  private constructor(
    /** the DynamoDB client the raw commands go through */
    readonly client: DynamoDBClient,
    private readonly options: MarshallOptions,
  ) {}

  /** A document client over `client`; `marshallOptions` apply to this document client alone. */
  static from(
    client: DynamoDBClient,
    config?: { marshallOptions?: MarshallOptions },
  ): DynamoDBDocumentClient {
    return new DynamoDBDocumentClient(client, config?.marshallOptions ?? {});
  }

  /** The client's middleware stack (middleware added here sees the raw, marshalled input). */
  get middlewareStack(): DynamoDBClient["middlewareStack"] {
    return this.client.middlewareStack;
  }

  /** Sends the command as its raw DynamoDB command and answers with plain items. */
  async send<Input extends object, Output>(command: DocumentCommand<Input, Output>): Promise<Output> {
    const raw = new command.raw(marshalled(command.input, this.options) as never);
    const output = await this.client.send(raw as RawCommand);
    return unmarshalled(output as unknown as Record<string, unknown>) as Output;
  }
}

/** Every page of a query, following `LastEvaluatedKey`; `pageSize` is each page's `Limit`. */
export async function* paginateQuery(
  config: { client: DynamoDBDocumentClient; pageSize?: number },
  input: QueryCommandInput,
): AsyncGenerator<QueryCommandOutput> {
  let startKey = input.ExclusiveStartKey;
  do {
    const page: QueryCommandOutput = await config.client.send(
      new QueryCommand({
        ...input,
        ...(config.pageSize ? { Limit: config.pageSize } : {}),
        ...(startKey ? { ExclusiveStartKey: startKey } : {}),
      }),
    );
    yield page;
    startKey = page.LastEvaluatedKey;
  } while (startKey);
}
