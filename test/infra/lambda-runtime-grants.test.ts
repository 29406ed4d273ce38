import { type HandlerName, handlerActions } from "@ami-lifecycle/core";
import { beforeAll, describe, expect, it } from "vitest";
import { mockAccount, type SstGraph } from "./support/graph-types";
import { allPolicies, asList, evaluateSstGraph, resourceNamed, resourcesOfType } from "./support/sst-graph";

/**
 * The grants the Lambda service and runtime use, not the handlers' code (logs, X-Ray, the DLQ): no
 * simulated flow can exercise them, so they are proven here against what AWS documents instead.
 */

/** `AWSLambdaBasicExecutionRole` (AWS managed policy): the log actions Lambda's runtime needs. */
const basicExecutionActions = ["logs:CreateLogGroup", "logs:CreateLogStream", "logs:PutLogEvents"];
/**
 * `AWSXRayDaemonWriteAccess` (AWS managed policy); Lambda's active tracing sends segments with the
 * first two only (Lambda Developer Guide, "Execution role permissions" for X-Ray), the sampling reads
 * are for the X-Ray SDK's own sampler, which the bundles do not carry.
 */
const xrayDaemonActions = [
  "xray:PutTraceSegments",
  "xray:PutTelemetryRecords",
  "xray:GetSamplingRules",
  "xray:GetSamplingTargets",
  "xray:GetSamplingStatisticSummaries",
];
const activeTracingActions = ["xray:PutTraceSegments", "xray:PutTelemetryRecords"];

const { accountId, partition } = mockAccount;
const handlers = Object.keys(handlerActions) as HandlerName[];
const label = (handler: string) =>
  handler
    .split("-")
    .map((part) => part.charAt(0).toUpperCase() + part.slice(1))
    .join("");

let prod: SstGraph;

beforeAll(async () => {
  // Prepare: evaluate the real sst.config.ts for production.
  prod = await evaluateSstGraph("prod");
}, 180_000);

/** Each handler's role statements that name one of `actions`. */
function statementsOf(handler: HandlerName, actions: readonly string[]) {
  return allPolicies(prod)
    .filter((policy) => policy.owner === `${label(handler)}Policy` && policy.kind === "identity")
    .flatMap((policy) => policy.statements)
    .filter((statement) => asList(statement.Action).some((action) => actions.includes(action)));
}

describe.each(handlers)("%s's role: the Lambda runtime's own grants", (handler) => {
  it("writes logs with AWSLambdaBasicExecutionRole's actions, only to its own log group", () => {
    const fn = resourceNamed(prod, "aws:lambda/function:Function", `${label(handler)}Function`);
    const logGroup = `arn:${partition}:logs:${homeOf(prod)}:${accountId}:log-group:/aws/lambda/${fn.inputs.name}`;
    const statements = statementsOf(handler, basicExecutionActions);

    expect(statements).toHaveLength(1);
    // The stack creates the log group (retention), so the runtime never needs logs:CreateLogGroup.
    expect(asList(statements[0]?.Action).sort()).toEqual(
      basicExecutionActions.filter((action) => action !== "logs:CreateLogGroup").sort(),
    );
    expect(asList(statements[0]?.Resource).sort()).toEqual([logGroup, `${logGroup}:*`].sort());
    const groups = resourcesOfType(prod, "aws:cloudwatch/logGroup:LogGroup").map(
      (group) => group.inputs.name,
    );
    expect(groups).toContain(`/aws/lambda/${fn.inputs.name}`);
  });

  it("traces with the AWSXRayDaemonWriteAccess actions active tracing uses, and traces actively", () => {
    const fn = resourceNamed(prod, "aws:lambda/function:Function", `${label(handler)}Function`);
    const statements = statementsOf(handler, xrayDaemonActions);

    expect(statements).toHaveLength(1);
    expect(asList(statements[0]?.Action).sort()).toEqual([...activeTracingActions].sort());
    // X-Ray has no resource-level permissions.
    expect(asList(statements[0]?.Resource)).toEqual(["*"]);
    expect(fn.inputs.tracingConfig).toEqual({ mode: "Active" });
  });

  it("sends failed asynchronous events only to the dead-letter queue its function names", () => {
    const fn = resourceNamed(prod, "aws:lambda/function:Function", `${label(handler)}Function`);
    const statements = statementsOf(handler, ["sqs:SendMessage"]);
    const target = (fn.inputs.deadLetterConfig as { targetArn?: string } | undefined)?.targetArn;

    expect(target).toBeDefined();
    expect(statements).toHaveLength(1);
    expect(asList(statements[0]?.Action)).toEqual(["sqs:SendMessage"]);
    expect(asList(statements[0]?.Resource)).toEqual([target]);
  });
});

/** The home region: the region of the app's default provider. */
function homeOf(graph: SstGraph): string {
  return (graph.app.providers as { aws: { region: string } }).aws.region;
}
