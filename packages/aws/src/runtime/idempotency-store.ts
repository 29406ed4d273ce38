import { IdempotencyConfig } from "@aws-lambda-powertools/idempotency";
import { DynamoDBPersistenceLayer } from "@aws-lambda-powertools/idempotency/dynamodb";
import type { IdempotencySetup } from "../powertools/idempotent";
import type { Runtime } from "./runtime";

/** How long an idempotency record answers a repeated request unless a handler says otherwise. */
const defaultExpiresAfterSeconds = 24 * 3600;

/**
 * Powertools idempotency on the runtime's idempotency table, keyed by `eventKeyJmesPath` of the parsed
 * event (`requestId`…) or, without one, by the whole payload. One persistence layer per handler:
 * Powertools binds a layer to the first configuration it sees.
 */
export function dynamoIdempotency(
  runtime: Runtime,
  options: { eventKeyJmesPath?: string; expiresAfterSeconds?: number } = {},
): IdempotencySetup {
  const store = runtime.idempotencyStore();
  return {
    persistenceStore: new DynamoDBPersistenceLayer({
      tableName: store.tableName,
      awsSdkV3Client: store.client,
    }),
    config: new IdempotencyConfig({
      ...(options.eventKeyJmesPath
        ? { eventKeyJmesPath: options.eventKeyJmesPath, throwOnNoIdempotencyKey: true }
        : {}),
      expiresAfterSeconds: options.expiresAfterSeconds ?? defaultExpiresAfterSeconds,
    }),
  };
}
