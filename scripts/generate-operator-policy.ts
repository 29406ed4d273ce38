/**
 * Writes `docs/operator-policy.json` (the IAM policy an operator running the CLI needs) from core's
 * `operatorPolicy()` for the shipped `ami-lifecycle.config.json`, with `<placeholders>` where only a
 * deployment knows the value. Run after changing the operator's actions or the config:
 * `npx tsx scripts/generate-operator-policy.ts`. A unit test fails while the committed file is out of date.
 */
import { writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import {
  operatorPolicyConfigFileName,
  operatorPolicyFileName,
  renderOperatorPolicyFile,
} from "../packages/cli/src/policy/operator-policy-file";
import { loadConfigFile } from "../packages/core/src/config-file";

const root = (file: string) => fileURLToPath(new URL(`../${file}`, import.meta.url));
const config = loadConfigFile(root(operatorPolicyConfigFileName));
writeFileSync(root(operatorPolicyFileName), renderOperatorPolicyFile(config));
console.log(`wrote ${operatorPolicyFileName}`);
