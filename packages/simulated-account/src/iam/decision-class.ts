import type { IamContext } from "./request";

/**
 * What of a request can change IAM's decision under one set of policies, so the authorizer can reuse
 * one evaluation for requests that differ only in what no statement looks at. A backlog sweep asks
 * about tens of thousands of image and snapshot ARNs, each with its own tags; evaluating each one
 * anew (iam-simulate matches every ARN against AWS's resource type patterns) was most of the
 * simulated account's time. Soundness, per request:
 * - the resource: `<prefix>/<id>` (an EC2 id such as `ami-0123…`) is replaced by `<prefix>/{id}` only
 *   when no Resource or NotResource pattern of the policies can tell two such ids apart (see
 *   `patternIgnoresId`);
 * - the context: every key's name is kept (the evaluator validates names), values only of the keys some
 *   Condition names; an unnamed key's value cannot change a decision;
 * - policies with variables (`${…}`) are never generalised: a variable may read any key.
 */
export class PolicyShape {
  private readonly patterns: string[] = [];
  private readonly conditionKeys = new Set<string>();
  private readonly usesVariables: boolean;

  constructor(documents: readonly object[]) {
    this.usesVariables = JSON.stringify(documents).includes("${");
    for (const document of documents) {
      for (const statement of statementsOf(document)) {
        for (const field of ["Resource", "NotResource"] as const) {
          const value = statement[field];
          if (typeof value === "string") this.patterns.push(value);
          else if (Array.isArray(value)) this.patterns.push(...value.map(String));
        }
        const condition = statement.Condition;
        if (condition && typeof condition === "object") {
          for (const clause of Object.values(condition)) {
            if (clause && typeof clause === "object") {
              for (const key of Object.keys(clause)) this.conditionKeys.add(key.toLowerCase());
            }
          }
        }
      }
    }
  }

  /** The resource as far as these policies can tell it apart from others (the ARN itself when in doubt). */
  resourceClass(resource: string): string {
    if (this.usesVariables) return resource;
    const match = /^(arn:[^/]+\/)([a-z]+-[0-9a-f]+)$/.exec(resource);
    const prefix = match?.[1];
    if (!prefix) return resource;
    return this.patterns.every((pattern) => patternIgnoresId(pattern, prefix)) ? `${prefix}{id}` : resource;
  }

  /** The context as far as these policies can tell it apart: all key names, values of conditioned keys. */
  contextClass(context: IamContext): [string, IamContext[string] | null][] {
    if (this.usesVariables) return Object.entries(context).sort(([a], [b]) => (a < b ? -1 : 1));
    return Object.keys(context)
      .sort()
      .map((key) => [key, this.conditionKeys.has(key.toLowerCase()) ? (context[key] ?? null) : null]);
  }
}

/**
 * True when the pattern matches `prefix + id` for every EC2-style id or for none (ids have no `/`, `:`,
 * `*` or `?`; letters compared without case, in doubt of how the evaluator compares them): `*`; a
 * pattern ending in `/*` (its last `/` must meet a `/` of the prefix, the `*` takes the rest, id
 * included); a pattern whose text before its first wildcard parts from the prefix (it never matches);
 * a pattern without wildcards that does not start with the prefix (it names something else).
 */
export function patternIgnoresId(pattern: string, prefix: string): boolean {
  if (pattern === "*" || pattern.endsWith("/*")) return true;
  const text = pattern.toLowerCase();
  const start = prefix.toLowerCase();
  const firstWildcard = text.search(/[*?]/);
  if (firstWildcard < 0) return !text.startsWith(start);
  const literal = text.slice(0, firstWildcard);
  return !literal.startsWith(start) && !start.startsWith(literal);
}

function statementsOf(document: object): Record<string, unknown>[] {
  const statement = (document as { Statement?: unknown }).Statement;
  if (Array.isArray(statement)) return statement as Record<string, unknown>[];
  return statement && typeof statement === "object" ? [statement as Record<string, unknown>] : [];
}
