import {
  type Config,
  type HandlerName,
  handlerPolicies,
  type IamStatement,
  operatorPolicy,
} from "@ami-lifecycle/core";
import { renderTable } from "../cli/table";
import { type Placeholder, placeholdersIn, reviewPermissionContext } from "./review-context";

/** One policy as the stacks deploy it: the RolePolicy's logical name, its statements and its document. */
export interface ReviewedPolicy {
  /** the stack's RolePolicy name (`ImageApiCallPolicy`, `ImageApiCallCopyKeysPolicy`), or `operator` */
  name: string;
  statements: IamStatement[];
  document: { Version: string; Statement: Record<string, unknown>[] };
}

/** What `ami-lifecycle policy` prints for one principal. */
export interface PolicyReview {
  /** `image-api-call role` or `operator` */
  principal: string;
  policies: ReviewedPolicy[];
  placeholders: Placeholder[];
}

/** `image-api-call` → `ImageApiCall`, as stacks/iam.ts labels a handler's resources. */
function handlerLabel(handler: HandlerName): string {
  return handler
    .split("-")
    .map((part) => part.charAt(0).toUpperCase() + part.slice(1))
    .join("");
}

/** A handler role's policies for the config, named like the RolePolicies of stacks/functions.ts and keys.ts. */
export function reviewHandler(config: Config, handler: HandlerName): PolicyReview {
  const policies = handlerPolicies(handler, reviewPermissionContext(config, handler)).map((policy) => ({
    name: `${handlerLabel(handler)}${policy.name === "copyKeys" ? "CopyKeysPolicy" : "Policy"}`,
    statements: policy.statements,
    document: policy.document,
  }));
  return { principal: `${handler} role`, policies, placeholders: placeholdersIn(policies) };
}

/** The operator's policy for the config (docs/operator-policy.json for the shipped one). */
export function reviewOperator(config: Config): PolicyReview {
  const policy = operatorPolicy(reviewPermissionContext(config));
  const policies = [{ name: "operator", statements: policy.statements, document: policy.document }];
  return { principal: "operator", policies, placeholders: placeholdersIn(policies) };
}

/** The review as text: per policy a table of Sid, actions, resources and conditions, then the placeholders. */
export function policyReviewText(review: PolicyReview, configPath: string): string {
  const lines = [`${review.principal}, rendered for ${configPath}`, ""];
  for (const policy of review.policies) {
    lines.push(`${policy.name} (${policy.statements.length} statements)`);
    lines.push(renderTable(["Sid", "Actions", "Resources", "Conditions"], policy.statements.flatMap(rows)));
    lines.push("");
  }
  if (review.placeholders.length > 0) {
    lines.push("Known only at deploy time (shown as placeholders):");
    const width = Math.max(...review.placeholders.map((entry) => entry.placeholder.length));
    for (const entry of review.placeholders)
      lines.push(`  ${entry.placeholder.padEnd(width)}  ${entry.meaning}`);
    lines.push("");
  }
  return `${lines.join("\n")}\n`;
}

/** One statement as table rows: the first carries the Sid, the others continue its lists. */
function rows(statement: IamStatement): string[][] {
  const conditions = (statement.conditions ?? []).map(
    (condition) => `${condition.test} ${condition.variable} = ${condition.values.join(", ")}`,
  );
  const height = Math.max(statement.actions.length, statement.resources.length, conditions.length, 1);
  return Array.from({ length: height }, (_, index) => [
    index === 0 ? statement.sid : "",
    statement.actions[index] ?? "",
    statement.resources[index] ?? "",
    conditions[index] ?? "",
  ]);
}
