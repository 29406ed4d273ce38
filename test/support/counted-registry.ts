import { createRegistryTable, DynamoVersionRegistry } from "@ami-lifecycle/aws";
import type { Clock } from "@ami-lifecycle/core";
import { dynamoDbLocalClientConfig } from "@ami-lifecycle/simulated-account";
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { afterAll, beforeAll, inject } from "vitest";

/** A fresh registry table on DynamoDB Local whose client counts its round trips. */
export interface CountedTable {
  client: DynamoDBClient;
  tableName: string;
  /** DynamoDB round trips by command name (tests reset it with `calls.length = 0`). */
  calls: string[];
}

/** A counted table and two registries on it. */
export interface CountedRegistry extends CountedTable {
  registry: DynamoVersionRegistry;
  /** Another container's registry on the same table (its own caches and prefetches). */
  other: DynamoVersionRegistry;
}

/**
 * Registers, in the calling `describe`, a table named after `name` (created before its tests, the client
 * destroyed after), on a client that records every round trip.
 */
export function useCountedTable(name: string): CountedTable {
  const client = new DynamoDBClient(dynamoDbLocalClientConfig(inject("dynamoEndpoint")));
  const tableName = `${name}-${Date.now()}-${Math.floor(Math.random() * 1e6)}`;
  const calls: string[] = [];
  client.middlewareStack.add(
    (next, context) => async (args) => {
      calls.push(String(context.commandName));
      return next(args);
    },
    { step: "initialize", name: "countCalls" },
  );
  beforeAll(() => createRegistryTable(client, tableName));
  afterAll(() => client.destroy());
  return { client, tableName, calls };
}

/** `useCountedTable` with two registries on the table that share its counting client. */
export function useCountedRegistry(name: string, clock: Clock): CountedRegistry {
  const table = useCountedTable(name);
  const { client, tableName } = table;
  const registry = new DynamoVersionRegistry({ client, tableName, clock });
  const other = new DynamoVersionRegistry({ client, tableName, clock });
  return { ...table, registry, other };
}
