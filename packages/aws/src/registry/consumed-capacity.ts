import type { DynamoDBDocumentClient } from "./documents";

/** Name of the middleware, so a client shared by several registries gets it once. */
const middlewareName = "registryReturnConsumedCapacity";

/**
 * Asks DynamoDB for the consumed capacity (`ReturnConsumedCapacity: "TOTAL"`) on every registry call:
 * the capacity each event costs is what a user pays for, and the events benchmark adds it up. A call
 * that asks for something else itself keeps its own setting.
 */
export function reportConsumedCapacity(documents: DynamoDBDocumentClient): void {
  if (documents.middlewareStack.identify().some((entry) => entry.startsWith(`${middlewareName} `))) return;
  documents.middlewareStack.add(
    (next) => async (args) => {
      const input = args.input as { ReturnConsumedCapacity?: string };
      input.ReturnConsumedCapacity ??= "TOTAL";
      return next(args);
    },
    { step: "initialize", name: middlewareName },
  );
}
