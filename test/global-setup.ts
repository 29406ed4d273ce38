import type { TestProject } from "vitest/node";
import { startDynamoDbLocal } from "../packages/simulated-account/src/dynamodb-local";

/** Starts one DynamoDB Local for the whole run; each test file makes its own uniquely named tables. */
export default async function setup(project: TestProject) {
  const dynamo = await startDynamoDbLocal();
  project.provide("dynamoEndpoint", dynamo.endpoint);
  return () => dynamo.stop();
}
