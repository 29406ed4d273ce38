import { type Config, configFileName } from "@ami-lifecycle/core";
import { reviewOperator } from "./render-policy";

/** Where the operator's policy for the shipped config is committed (README "Permissions"). */
export const operatorPolicyFileName = "docs/operator-policy.json";

/** The shipped config the committed operator policy is rendered for. */
export const operatorPolicyConfigFileName = configFileName;

/** The committed file's text: the operator's policy document for `config`, two-space JSON, trailing newline. */
export function renderOperatorPolicyFile(config: Config): string {
  return `${JSON.stringify(reviewOperator(config).policies[0]?.document, null, 2)}\n`;
}
