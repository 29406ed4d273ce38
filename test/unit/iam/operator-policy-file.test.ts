import { readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { loadConfigFile, operatorActions, operatorPolicy } from "@ami-lifecycle/core";
import { describe, expect, it } from "vitest";
import {
  operatorPolicyConfigFileName,
  operatorPolicyFileName,
  renderOperatorPolicyFile,
} from "../../../packages/cli/src/policy/operator-policy-file";
import { reviewPermissionContext } from "../../../packages/cli/src/policy/review-context";

const repositoryRoot = fileURLToPath(new URL("../../../", import.meta.url));
const shippedConfig = () => loadConfigFile(join(repositoryRoot, operatorPolicyConfigFileName));

describe("committed operator policy (docs/operator-policy.json)", () => {
  it("is up to date with operatorPolicy() for the shipped config (regenerate: npx tsx scripts/generate-operator-policy.ts)", () => {
    // Prepare
    const committed = readFileSync(join(repositoryRoot, operatorPolicyFileName), "utf8");

    // Act
    const generated = renderOperatorPolicyFile(shippedConfig());

    // Assess
    expect(committed).toBe(generated);
  });

  it("is the operator's declared actions and nothing else, with deploy-time names as placeholders", () => {
    // Prepare
    const config = shippedConfig();

    // Act
    const document = JSON.parse(readFileSync(join(repositoryRoot, operatorPolicyFileName), "utf8"));

    // Assess
    expect(document).toEqual(operatorPolicy(reviewPermissionContext(config)).document);
    const sids = (document.Statement as { Sid: string }[]).map((statement) => statement.Sid);
    for (const action of operatorActions)
      expect(sids).toContain(action.charAt(0).toUpperCase() + action.slice(1));
    expect(JSON.stringify(document)).toContain(
      "arn:aws:dynamodb:us-east-1:<account-id>:table/<RegistryTable>",
    );
  });
});
