import type { CapabilityPermissions } from "../permissions";

/** What the Lambda platform does under every handler's role (no port of core makes these calls). */
export const lambdaRuntimePermissions = {
  writeTraces: {
    purpose: "Lambda active tracing, the optional ADOT layer (X-Ray has no resource-level permissions)",
    calls: ["Lambda runtime: active tracing"],
    statements: [{ actions: ["xray:PutTraceSegments", "xray:PutTelemetryRecords"], resources: ["any"] }],
  },
  writeLogs: {
    purpose: "write to the function's own log group (created by the stack, so no logs:CreateLogGroup)",
    calls: ["Lambda runtime: function logs"],
    statements: [{ actions: ["logs:CreateLogStream", "logs:PutLogEvents"], resources: ["functionLogGroup"] }],
  },
  sendToDeadLetterQueue: {
    purpose: "Lambda puts events that failed every asynchronous attempt on the handlers' dead-letter queue",
    calls: ["Lambda service: asynchronous invocation's dead-letter queue"],
    statements: [{ actions: ["sqs:SendMessage"], resources: ["handlerDeadLetterQueue"] }],
  },
} as const satisfies CapabilityPermissions;

/** One-run-per-request records (oncePerRequest), for the handlers whose trigger may repeat a request. */
export const idempotencyPermissions = {
  useIdempotencyStore: {
    purpose: "one-run-per-request records of sweep requests, rollbacks and restores",
    calls: ["Powertools makeIdempotent (DynamoDBPersistenceLayer)"],
    statements: [
      {
        actions: ["dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:UpdateItem", "dynamodb:DeleteItem"],
        resources: ["idempotencyTable"],
      },
    ],
  },
} as const satisfies CapabilityPermissions;
