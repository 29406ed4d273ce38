import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type HandlerName, handlerActions } from "@ami-lifecycle/core";
import { beforeAll, describe, expect, it } from "vitest";
import { mockAccount, type SstGraph } from "../infra/support/graph-types";
import { evaluateSstGraph, resourcesOfType } from "../infra/support/sst-graph";
import { repositoryRoot, runCli } from "./support/run-cli";

const handlers = Object.keys(handlerActions) as HandlerName[];

/**
 * Fills the CLI's deploy-time placeholders with what the evaluated stacks resolved: the account and
 * stage, and each `<Logical>` name as the graph's mocks name that resource (a key `key-<Logical>`, a
 * resource without an explicit name `<Logical>-physical`, see test/infra/support/evaluate-sst-graph.ts).
 */
function deployedAs(graph: SstGraph, stage: string, text: string): string {
  return text.replace(/<([^<>"]+)>/g, (placeholder, logical: string) => {
    if (placeholder === "<account-id>") return mockAccount.accountId;
    if (placeholder === "<stage>") return stage;
    const resource = graph.resources.find((candidate) => candidate.name === logical && candidate.custom);
    if (!resource) throw new Error(`placeholder ${placeholder} names no resource of the stacks`);
    if (resource.type === "aws:kms/key:Key") return `key-${logical}`;
    return typeof resource.inputs.name === "string" ? resource.inputs.name : `${logical}-physical`;
  });
}

/** Every RolePolicy the stacks deploy for a handler's role, by logical name. */
function stackPoliciesOf(graph: SstGraph, handler: HandlerName): Record<string, unknown> {
  const label = handler
    .split("-")
    .map((part) => part.charAt(0).toUpperCase() + part.slice(1))
    .join("");
  return Object.fromEntries(
    resourcesOfType(graph, "aws:iam/rolePolicy:RolePolicy")
      .filter((policy) => policy.name === `${label}Policy` || policy.name === `${label}CopyKeysPolicy`)
      .map((policy) => [policy.name, JSON.parse(String(policy.inputs.policy))]),
  );
}

describe("ami-lifecycle policy, against what the stacks render", () => {
  let prod: SstGraph;
  beforeAll(async () => {
    // Prepare: evaluate the real sst.config.ts for the shipped config, as the infra tests do.
    prod = await evaluateSstGraph("prod");
  }, 180_000);

  it.each(handlers)(
    "prints exactly the %s role's policies the stacks deploy (--output json)",
    async (handler) => {
      // Act
      const run = await runCli(["policy", handler, "--output", "json"]);

      // Assess
      expect(run.code).toBe(0);
      const printed = JSON.parse(deployedAs(prod, "prod", run.stdout));
      const deployed = stackPoliciesOf(prod, handler);
      expect(Object.keys(deployed).length).toBeGreaterThan(0);
      expect(printed).toEqual(deployed);
    },
  );
});

describe.concurrent("ami-lifecycle policy", () => {
  it("prints a handler's statements as a table of Sid, actions, resources and conditions, then the placeholders", async () => {
    // Act
    const run = await runCli(["policy", "retention-sweep"]);

    // Assess
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^retention-sweep role, rendered for .*ami-lifecycle\.config\.json\n/);
    expect(run.stdout).toMatch(/^RetentionSweepPolicy \(\d+ statements\)$/m);
    expect(run.stdout).toMatch(/^RetentionSweepCopyKeysPolicy \(2 statements\)$/m);
    expect(run.stdout).toMatch(/^Sid +Actions +Resources +Conditions$/m);
    expect(run.stdout).toMatch(
      /^DeleteSnapshot +ec2:DeleteSnapshot +arn:aws:ec2:us-east-1::snapshot\/\* +StringEquals aws:ResourceTag\/ami-lifecycle:managed = true$/m,
    );
    expect(run.stdout).toMatch(
      /^FindReferencesFallback2 +ssm:GetParametersByPath +arn:aws:ssm:us-east-1:<account-id>:parameter\/\*$/m,
    );
    expect(run.stdout).toContain("Known only at deploy time (shown as placeholders):");
    expect(run.stdout).toMatch(
      /^ {2}<RegistryTable> +the physical name SST gives RegistryTable at deploy time$/m,
    );
    expect(run.stdout).toMatch(/^ {2}<account-id> +the AWS account the service is deployed to$/m);
    expect(run.stderr).toBe("");
  });

  it("prints the operator's policy with --operator, and as JSON the committed docs/operator-policy.json", async () => {
    // Act
    const [text, json] = await Promise.all([
      runCli(["policy", "--operator"]),
      runCli(["policy", "--operator", "--output", "json"]),
    ]);

    // Assess
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(/^operator, rendered for /);
    expect(text.stdout).toMatch(
      /^MovePointers +ssm:GetParameter +arn:aws:ssm:us-east-1:<account-id>:parameter\/ami-lifecycle\/\*$/m,
    );
    // The operator runs no Lambda: no log group, no dead-letter queue, no deletion.
    expect(text.stdout).not.toMatch(/WriteLogs|SendToDeadLetterQueue|ec2:DeregisterImage|ec2:DeleteSnapshot/);
    expect(json.code).toBe(0);
    const committed = readFileSync(join(repositoryRoot, "docs/operator-policy.json"), "utf8");
    expect(JSON.parse(json.stdout)).toEqual(JSON.parse(committed));
  });

  it("renders resources for the config given with --config", async () => {
    // Prepare: one region, nothing copied, a different pointer path.
    const path = join(mkdtempSync(join(tmpdir(), "ami-cli-policy-")), "config.json");
    writeFileSync(
      path,
      JSON.stringify({
        accounts: ["111122223333"],
        homeRegion: "eu-central-1",
        regions: ["eu-central-1"],
        pointers: { namePattern: "/images/{family}/{channel}" },
        families: [{ name: "web", team: "web", match: { namePattern: "web-*" } }],
      }),
    );

    // Act
    const run = await runCli(["policy", "image-state-change", "--config", path, "--output", "json"]);

    // Assess
    expect(run.code).toBe(0);
    const printed = JSON.parse(run.stdout) as Record<
      string,
      { Statement: { Sid: string; Resource: string[] }[] }
    >;
    // Nothing copies, so keys.ts creates no copy-keys policy.
    expect(Object.keys(printed)).toEqual(["ImageStateChangePolicy"]);
    const statements = printed.ImageStateChangePolicy?.Statement ?? [];
    expect(statements.find((statement) => statement.Sid === "DeleteSnapshot")?.Resource).toEqual([
      "arn:aws:ec2:eu-central-1::snapshot/*",
    ]);
    expect(statements.find((statement) => statement.Sid === "MovePointers")?.Resource).toEqual([
      "arn:aws:ssm:eu-central-1:<account-id>:parameter/images/*",
    ]);
  });

  it("refuses an unknown handler naming the nearest one, exit 2, nothing on stdout", async () => {
    // Act
    const run = await runCli(["policy", "retention-swep"]);

    // Assess
    expect(run.code).toBe(2);
    expect(run.stdout).toBe("");
    expect(run.stderr).toContain('error: unknown handler "retention-swep"; did you mean retention-sweep?');
    expect(run.stderr).toContain("Usage: ami-lifecycle policy [handler] [options]");
  });

  it.each([
    [["policy"], "missing argument: a handler"],
    [["policy", "rollback", "--operator"], "give a handler or --operator, not both"],
    [["policy", "rollback", "--output", "yaml"], '--output must be text or json, got "yaml"'],
  ])("refuses %j with a usage error (exit 2)", async (args, message) => {
    // Act
    const run = await runCli(args);

    // Assess
    expect(run.code).toBe(2);
    expect(run.stdout).toBe("");
    expect(run.stderr).toContain(message);
  });

  it("explains itself with --help, with a real example", async () => {
    // Act
    const run = await runCli(["policy", "--help"]);

    // Assess
    expect(run.code).toBe(0);
    expect(run.stdout).toContain("ami-lifecycle policy --operator --output json > operator-policy.json");
    expect(run.stdout).toContain("--output FORMAT");
  });
});
