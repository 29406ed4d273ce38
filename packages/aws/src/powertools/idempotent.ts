import type { IdempotencyConfig } from "@aws-lambda-powertools/idempotency";
import { makeIdempotent } from "@aws-lambda-powertools/idempotency";
import type { BasePersistenceLayer } from "@aws-lambda-powertools/idempotency/persistence";
import type { Context } from "aws-lambda";

/** Idempotency settings of one handler: where records live and which part of the event is the key. */
export interface IdempotencySetup {
  persistenceStore: BasePersistenceLayer;
  config: IdempotencyConfig;
}

/**
 * Wraps a use case in Powertools idempotency, for the handlers where it adds a guarantee no domain
 * condition gives (one sweep per request at a time, one rollback per request). The setup is resolved at
 * the first invocation (cold start), so building the handler reads no environment. Kept out of the event
 * handlers' wrapper so that bundles without it carry neither idempotency nor JMESPath.
 */
export function idempotent<Event, Result>(
  handle: (event: Event, context: Context) => Promise<Result>,
  setup: () => IdempotencySetup,
): (event: Event, context: Context) => Promise<Result> {
  let idempotentHandle: ((event: Event, context: Context) => Promise<Result>) | undefined;
  let config: IdempotencyConfig | undefined;
  return (event, context) => {
    if (!idempotentHandle) {
      const resolved = setup();
      config = resolved.config;
      idempotentHandle = makeIdempotent(handle, resolved);
    }
    // Powertools stops a record from outliving the invocation's remaining time only when it knows it.
    config?.registerLambdaContext(context);
    // The key is the event alone (the first argument); the context only rides along.
    return idempotentHandle(event, context);
  };
}
