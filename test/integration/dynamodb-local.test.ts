import { CreateTableCommand, DynamoDBClient, paginateListTables } from "@aws-sdk/client-dynamodb";
import { describe, expect, inject, it } from "vitest";
import { dynamoDbLocalClientConfig } from "../../packages/simulated-account/src/dynamodb-local";

describe("DynamoDB Local started by the test run", () => {
  it("answers on the loopback endpoint the global setup provided", async () => {
    // Prepare
    const endpoint = inject("dynamoEndpoint");
    const client = new DynamoDBClient(dynamoDbLocalClientConfig(endpoint));
    const tableName = `smoke-${Date.now()}`;

    // Act
    await client.send(
      new CreateTableCommand({
        TableName: tableName,
        AttributeDefinitions: [{ AttributeName: "pk", AttributeType: "S" }],
        KeySchema: [{ AttributeName: "pk", KeyType: "HASH" }],
        BillingMode: "PAY_PER_REQUEST",
      }),
    );
    // All pages: ListTables answers 100 names at most, and the other test files create more than that.
    const tableNames: string[] = [];
    for await (const page of paginateListTables({ client }, {})) tableNames.push(...(page.TableNames ?? []));

    // Assess
    expect(endpoint).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(tableNames).toContain(tableName);
  });
});
