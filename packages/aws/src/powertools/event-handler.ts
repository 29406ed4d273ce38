import { eventSizeProblem, formatPath, InvalidEventError } from "@ami-lifecycle/core";
import { injectLambdaContext } from "@aws-lambda-powertools/logger/middleware";
import { MetricUnit } from "@aws-lambda-powertools/metrics";
import { logMetrics } from "@aws-lambda-powertools/metrics/middleware";
import { parse } from "@aws-lambda-powertools/parser";
import middy from "@middy/core";
import type { StandardSchemaV1 } from "@standard-schema/spec";
import type { Context } from "aws-lambda";
import { logger, metrics } from "./observability";

/** What one event handler declares; `wrapEventHandler` adds everything else. */
export interface EventHandlerDefinition<Schema extends StandardSchemaV1, Result> {
  /** handler name, used in logs and metrics */
  name: string;
  /**
   * the event contract (whole EventBridge event, or the request of a direct invocation): a zod schema, or
   * any Standard Schema (the sweep's request is read without zod, see sweep/invocation.ts)
   */
  schema: Schema;
  /**
   * Who sends the input. "eventbridge" (default): an invalid event is rejected (logged, counted,
   * dropped: retries cannot fix it) and events over EventBridge's 256 KB are refused before parsing.
   * "direct" (rollback, restore: automation invokes them): an invalid request is thrown back to the
   * caller as InvalidEventError naming each field, before anything runs.
   */
  invokedBy?: "eventbridge" | "direct";
  /** log keys extracted from a valid event (image id, region…) */
  logKeys(event: StandardSchemaV1.InferOutput<Schema>): Record<string, string>;
  /**
   * the use case, run for every delivery: its effects must be exactly-once by its own conditions
   * (conditional registry writes, once-only claims, ClientToken), or it wraps itself in `idempotent`
   */
  handle(event: StandardSchemaV1.InferOutput<Schema>, context: Context): Promise<Result>;
}

/** Result of an event that failed its contract: logged, counted and dropped (retries cannot fix it). */
export interface RejectedEvent {
  outcome: "rejected";
  eventId: string | undefined;
  issues: { path: string; message: string }[];
}

/**
 * The one middleware stack of every handler, in a fixed order: logger context, metrics, the contract
 * (an invalid event is rejected without side effects instead of thrown into a retry loop; an invalid
 * direct request is thrown back to its caller), then the use case. No generic idempotency record: the reactions are exactly-once by the registry's own
 * conditions, and the sweep adds its one-run-per-request record itself (`oncePerRequest`). Errors from the use case
 * propagate so Lambda retries them and the DLQ catches what keeps failing.
 */
export function wrapEventHandler<Schema extends StandardSchemaV1, Result>(
  definition: EventHandlerDefinition<Schema, Result>,
) {
  const direct = definition.invokedBy === "direct";
  const body = async (event: unknown, context: Context): Promise<Result | RejectedEvent> => {
    const oversized = direct ? undefined : eventSizeProblem(event);
    if (oversized) return reject(definition.name, event, [{ path: [], message: oversized }]);
    // Powertools' parse rather than its middleware: the handler's input stays `unknown` to its
    // callers (Lambda, the simulated deployment) and the parsed value keeps its contract's output type.
    const parsed = parse(event, undefined, definition.schema, true) as
      | { success: true; data: StandardSchemaV1.InferOutput<Schema> }
      | { success: false; error: unknown };
    if (!parsed.success) {
      if (direct) throw invalidRequest(definition.name, event, parsed.error);
      return reject(definition.name, event, parsed.error);
    }
    logger.appendKeys(definition.logKeys(parsed.data));
    const result = await definition.handle(parsed.data, context);
    logger.info("event handled", { result });
    metrics.addMetric(`${definition.name}.processed`, MetricUnit.Count, 1);
    const outcome = outcomeOf(result);
    if (outcome) metrics.addMetric(`${definition.name}.${outcome}`, MetricUnit.Count, 1);
    return result;
  };

  return middy(body)
    .use(injectLambdaContext(logger, { resetKeys: true }))
    .use(logMetrics(metrics));
}

/** The `outcome` a use case reports ("recorded", "ignored"…), for a per-outcome metric. */
function outcomeOf(result: unknown): string | undefined {
  const outcome = (result as { outcome?: unknown } | null)?.outcome;
  return typeof outcome === "string" && /^[a-z-]{1,32}$/.test(outcome) ? outcome : undefined;
}

function reject(name: string, event: unknown, error: unknown): RejectedEvent {
  const eventId = eventIdOf(event);
  const issues = issuesOf(error);
  logger.error("invalid event rejected", { handler: name, eventId, issues });
  metrics.addMetric(`${name}.invalid`, MetricUnit.Count, 1);
  return { outcome: "rejected", eventId, issues };
}

function invalidRequest(name: string, event: unknown, error: unknown): InvalidEventError {
  const issues = issuesOf(error);
  logger.error("invalid request refused", { handler: name, issues });
  metrics.addMetric(`${name}.invalid`, MetricUnit.Count, 1);
  return new InvalidEventError(eventIdOf(event), issues);
}

function eventIdOf(event: unknown): string | undefined {
  if (typeof event !== "object" || event === null) return undefined;
  const record = event as { id?: unknown; detail?: { eventID?: unknown } };
  if (typeof record.detail?.eventID === "string") return record.detail.eventID;
  return typeof record.id === "string" ? record.id : undefined;
}

/**
 * Finds the schema issues in a parse error (a ZodError's `.issues`, or an issues array in a `cause`,
 * as Powertools' ParseError carries it). Path segments may be keys or `{ key }`.
 */
function issuesOf(error: unknown): { path: string; message: string }[] {
  let current: unknown = error;
  for (let depth = 0; current && depth < 4; depth++) {
    const issues = Array.isArray(current) ? current : (current as { issues?: unknown }).issues;
    if (Array.isArray(issues) && issues.length > 0) return issues.map(readableIssue);
    current = (current as { cause?: unknown }).cause;
  }
  return [{ path: "(root)", message: error instanceof Error ? error.message : String(error) }];
}

function readableIssue(issue: { path?: readonly unknown[]; message?: unknown }) {
  const path = (issue.path ?? []).map((segment) =>
    typeof segment === "object" && segment !== null && "key" in segment
      ? (segment as { key: PropertyKey }).key
      : (segment as PropertyKey),
  );
  return { path: formatPath(path), message: String(issue.message ?? "invalid") };
}
