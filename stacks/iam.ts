import {
  type HandlerName,
  type IamStatement,
  type PermissionAction,
  type PermissionContext,
  policyDocument,
  renderStatements,
} from "@ami-lifecycle/core";

/** Resolved-at-deploy values of a PermissionContext (any field may be an Output). */
export type PermissionContextInput = {
  [K in keyof PermissionContext]?: PermissionContext[K] extends readonly string[]
    ? $util.Input<readonly $util.Input<string>[]>
    : $util.Input<PermissionContext[K]>;
};

/** Renders the declared statements of `actions` once the context's Outputs resolve. */
export function statementsFor(
  actions: readonly PermissionAction[],
  context: PermissionContextInput,
): $util.Output<IamStatement[]> {
  return $resolve(context as Record<string, $util.Input<unknown>>).apply((resolved) =>
    renderStatements(actions, resolved as Partial<PermissionContext>),
  );
}

/** An IAM policy document (JSON string) of the declared statements of `actions`. */
export function policyFor(
  actions: readonly PermissionAction[],
  context: PermissionContextInput,
): $util.Output<string> {
  return statementsFor(actions, context).apply((statements) => JSON.stringify(policyDocument(statements)));
}

/**
 * A trust policy letting one AWS service assume the role; with `sourceAccount`, only on behalf of this
 * account's resources (confused-deputy guard, for services that set aws:SourceAccount such as Scheduler).
 */
export function trustPolicyFor(service: string, sourceAccount?: $util.Input<string>): $util.Output<string> {
  return $jsonStringify({
    Version: "2012-10-17",
    Statement: [
      {
        Effect: "Allow",
        Principal: { Service: service },
        Action: "sts:AssumeRole",
        ...(sourceAccount ? { Condition: { StringEquals: { "aws:SourceAccount": sourceAccount } } } : {}),
      },
    ],
  });
}

/** `image-api-call` → `ImageApiCall`, for logical names. */
export function handlerLabel(handler: HandlerName): string {
  return handler
    .split("-")
    .map((part) => part.charAt(0).toUpperCase() + part.slice(1))
    .join("");
}
