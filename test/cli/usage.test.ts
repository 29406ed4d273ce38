import { describe, expect, it } from "vitest";
import { runCli } from "./support/run-cli";

const commands = [
  "plan",
  "status",
  "versions",
  "validate",
  "replay",
  "sandbox",
  "report",
  "rollback",
  "promote",
  "adopt",
  "policy",
];

/** The commands that talk to a deployed stage. */
const deploymentCommands = ["plan", "status", "versions", "replay", "report", "rollback", "promote", "adopt"];

describe.concurrent("ami-lifecycle usage", () => {
  it("lists every command with --help and exits 0", async () => {
    // Act
    const run = await runCli(["--help"]);

    // Assess
    expect(run.code).toBe(0);
    for (const command of commands) expect(run.stdout).toMatch(new RegExp(`^  ${command} `, "m"));
    expect(run.stdout).toContain("Exit codes: 0 ok, 1");
  });

  it.each(commands)("prints the usage of %s with --help and exits 0", async (command) => {
    // Act
    const run = await runCli([command, "--help"]);

    // Assess
    expect(run.code).toBe(0);
    expect(run.stdout).toContain(`Usage: ami-lifecycle ${command}`);
    expect(run.stdout).toContain("Examples:");
    expect(run.stderr).toBe("");
  });

  it("exits 2 with the usage on stderr for an unknown command", async () => {
    // Act
    const run = await runCli(["deploy-everything"]);

    // Assess
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('error: unknown command "deploy-everything"');
    expect(run.stderr).toContain("Usage: ami-lifecycle <command>");
    expect(run.stdout).toBe("");
  });

  it("suggests the nearest command for a typo, and none for a word far from every command", async () => {
    // Act
    const [typo, far] = await Promise.all([runCli(["stauts"]), runCli(["deploy-everything"])]);

    // Assess
    expect(typo.code).toBe(2);
    expect(typo.stderr).toContain('error: unknown command "stauts"; did you mean "status"?');
    expect(far.stderr).not.toContain("did you mean");
  });

  it("takes --output json as --json's equal on data commands, and refuses a format it does not know", async () => {
    // Act
    const [output, alias, unknown] = await Promise.all([
      runCli(["validate", "--output", "json"]),
      runCli(["validate", "--json"]),
      runCli(["validate", "--output", "xml"]),
    ]);

    // Assess
    expect(output.code).toBe(0);
    expect(JSON.parse(output.stdout)).toEqual(JSON.parse(alias.stdout));
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('error: --output must be json or table, got "xml"');
  });

  it("exits 2 with the command's usage for an unknown flag", async () => {
    // Act
    const run = await runCli(["validate", "--strictly"]);

    // Assess
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("error: unknown option --strictly");
    expect(run.stderr).toContain("Usage: ami-lifecycle validate");
  });

  it("exits 2 when a required argument or option is missing, saying what to pass", async () => {
    // Act
    const [versions, plan, report] = await Promise.all([
      runCli(["versions"]),
      runCli(["plan"]),
      runCli(["report", "--sandbox"]),
    ]);

    // Assess
    expect(versions.code).toBe(2);
    expect(versions.stderr).toContain("missing argument <family>");
    expect(plan.code).toBe(2);
    expect(plan.stderr).toContain("--stage NAME is required to reach a deployed service");
    expect(plan.stderr).toContain("--sandbox");
    expect(report.code).toBe(2);
    expect(report.stderr).toContain("--out FILE is required");
  });

  it.each(deploymentCommands)(
    "%s takes --stage, --profile and --region (the API region), with a --stage example and no filtering --region",
    async (command) => {
      // Act
      const run = await runCli([command, "--help"]);

      // Assess
      expect(run.stdout).toMatch(/--stage NAME +the deployed stage/);
      expect(run.stdout).toMatch(/--profile NAME +AWS profile/);
      expect(run.stdout).toMatch(/--region REGION +the stage's home region, where its API calls go/);
      const examples = run.stdout.slice(run.stdout.indexOf("Examples:"));
      expect(examples).toMatch(new RegExp(`ami-lifecycle ${command} .*--stage prod`));
    },
  );

  it("names every file a command writes --out FILE (sandbox keeps --report as its alias)", async () => {
    // Act
    const [sandbox, report] = await Promise.all([
      runCli(["sandbox", "--help"]),
      runCli(["report", "--help"]),
    ]);

    // Assess
    for (const run of [sandbox, report]) expect(run.stdout).toMatch(/--out FILE/);
    expect(sandbox.stdout).toMatch(/--report FILE +alias of --out/);
  });

  it("refuses a malformed --stage and the account flags with --sandbox before anything starts", async () => {
    // Act
    const [malformed, withSandbox] = await Promise.all([
      runCli(["versions", "web", "--stage", "prod/../x"]),
      runCli(["plan", "--sandbox", "--stage", "prod"]),
    ]);

    // Assess
    expect(malformed.code).toBe(2);
    expect(malformed.stderr).toContain('error: --stage must be letters, digits and dashes, got "prod/../x"');
    expect(withSandbox.code).toBe(2);
    expect(withSandbox.stderr).toContain("error: --stage applies to a real account, not with --sandbox");
  });

  it("exits 2 without a command", async () => {
    // Act
    const run = await runCli([]);

    // Assess
    expect(run.code).toBe(2);
    expect(run.stdout).toContain("Usage: ami-lifecycle <command>");
  });
});
