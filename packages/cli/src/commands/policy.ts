import { type HandlerName, handlerActions } from "@ami-lifecycle/core";
import { type CommandSpec, flag, stringOption, writeJson } from "../cli/command";
import { ExitCode, UsageError } from "../cli/errors";
import { nearestName } from "../cli/suggest";
import { policyReviewText, reviewHandler, reviewOperator } from "../policy/render-policy";
import { configOption, loadConfigOption } from "./common";

const handlers = Object.keys(handlerActions) as HandlerName[];
const outputFormats = ["text", "json"] as const;

/** `policy <handler>|--operator [--output json]`: a rendered policy for security review. */
export const policyCommand: CommandSpec = {
  name: "policy",
  summary: "print the IAM policy of a handler's role or of the operator, for security review",
  arguments: "[handler]",
  positionals: { min: 0, max: 1 },
  description: [
    `Renders the policies the stacks deploy for a handler's role (${handlers.join(", ")}), or with`,
    "--operator the policy an operator running this CLI needs (docs/operator-policy.json), from the same",
    "declarations the stacks render and the tests evaluate. Resources are rendered for the config's",
    "regions, pointer path and copy keys; what only a deployment knows (account, stage, physical names)",
    "is a <placeholder>, listed under the table. The text output is one table per policy (Sid, actions,",
    "resources, conditions). --output json prints, for a handler, an object of its role's policy",
    "documents keyed by the stack's RolePolicy name, and for --operator the bare policy document.",
    "Reads no AWS account.",
  ].join("\n"),
  options: {
    operator: { type: "boolean", description: "the operator's policy instead of a handler's role" },
    output: { type: "string", value: "FORMAT", description: "text (default) or json" },
    ...configOption,
  },
  examples: [
    "ami-lifecycle policy retention-sweep",
    "ami-lifecycle policy --operator --output json > operator-policy.json",
    "ami-lifecycle policy image-api-call --config staging.config.json --output json",
  ],
  async run({ values, positionals }, io) {
    const output = stringOption(values, "output") ?? "text";
    if (!(outputFormats as readonly string[]).includes(output))
      throw new UsageError(`--output must be text or json, got "${output}"`, "policy");
    const handler = positionals[0];
    const operator = flag(values, "operator");
    if (operator && handler !== undefined)
      throw new UsageError(
        `give a handler or --operator, not both (got ${handler} and --operator)`,
        "policy",
      );
    if (!operator && handler === undefined)
      throw new UsageError(`missing argument: a handler (${handlers.join(", ")}) or --operator`, "policy");
    if (handler !== undefined && !(handlers as string[]).includes(handler)) {
      const suggestion = nearestName(handler, handlers);
      throw new UsageError(
        `unknown handler "${handler}";${suggestion ? ` did you mean ${suggestion}?` : ""} (handlers: ${handlers.join(", ")})`,
        "policy",
      );
    }
    const { config, path } = loadConfigOption(values, io);
    const review =
      handler === undefined ? reviewOperator(config) : reviewHandler(config, handler as HandlerName);
    if (output === "json") {
      if (operator) writeJson(io, review.policies[0]?.document);
      else writeJson(io, Object.fromEntries(review.policies.map((policy) => [policy.name, policy.document])));
    } else io.out(policyReviewText(review, path));
    return ExitCode.ok;
  },
};
