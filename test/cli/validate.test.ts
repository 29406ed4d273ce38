import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runCli } from "./support/run-cli";

function configFile(content: string): string {
  const path = join(mkdtempSync(join(tmpdir(), "ami-cli-validate-")), "config.json");
  writeFileSync(path, content);
  return path;
}

describe.concurrent("ami-lifecycle validate", () => {
  it("accepts the example config with a one-line summary and exits 0", async () => {
    // Act
    const run = await runCli(["validate"]);

    // Assess
    expect(run.code).toBe(0);
    expect(run.stdout).toBe(
      "valid: 2 families (payments-api, base-al2023) in 3 regions (us-east-1, eu-west-1, ap-southeast-2), mode dry-run\n",
    );
  });

  it("prints the summary as JSON with --json", async () => {
    // Act
    const run = await runCli(["validate", "ami-lifecycle.config.json", "--json"]);

    // Assess
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toEqual({
      valid: true,
      file: expect.stringMatching(/ami-lifecycle\.config\.json$/),
      mode: "dry-run",
      homeRegion: "us-east-1",
      regions: ["us-east-1", "eu-west-1", "ap-southeast-2"],
      families: ["payments-api", "base-al2023"],
      issues: [],
      warnings: [],
    });
  });

  it("warns on stderr, still valid, when a family's deregistrations are final (recoverableForDays 0)", async () => {
    // Prepare
    const path = configFile(
      JSON.stringify({
        accounts: ["111122223333"],
        homeRegion: "us-east-1",
        regions: ["us-east-1"],
        families: [
          { name: "web", team: "web", match: { namePattern: "web-*" }, retention: { recoverableForDays: 0 } },
        ],
      }),
    );

    // Act
    const run = await runCli(["validate", path]);

    // Assess
    expect(run.code).toBe(0);
    expect(run.stderr).toBe(
      "warning: families[0].retention.recoverableForDays: is 0: web's deregistrations are final, no Recycle Bin rule keeps them and restore cannot bring them back\n",
    );
  });

  it("names each invalid field's path and reason on stderr and exits 1", async () => {
    // Prepare
    const path = configFile(
      JSON.stringify({
        accounts: ["111122223333"],
        homeRegion: "us-east-1",
        regions: ["us-east-1"],
        families: [
          { name: "web", team: "web", match: { namePattern: "web-*" }, retention: { keepLatest: 0 } },
          {
            name: "api",
            team: "api",
            match: { namePattern: "api-*" },
            copyTo: [{ region: "eu-west-1", kmsKeyId: "alias/k" }],
          },
        ],
      }),
    );

    // Act
    const run = await runCli(["validate", path]);

    // Assess
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(`invalid: ${path}`);
    expect(run.stderr).toContain("families[0].retention.keepLatest: must be ≥ 1");
    expect(run.stderr).toContain("families[1].copyTo[0].region: eu-west-1 is not one of the managed regions");
    expect(run.stdout).toBe("");
  });

  it("lists the issues in the JSON document too", async () => {
    // Prepare
    const path = configFile(
      JSON.stringify({ accounts: ["123"], homeRegion: "us-east-1", regions: ["us-east-1"], families: [] }),
    );

    // Act
    const run = await runCli(["validate", path, "--json"]);

    // Assess
    expect(run.code).toBe(1);
    const document = JSON.parse(run.stdout);
    expect(document.valid).toBe(false);
    expect(document.issues).toEqual(
      expect.arrayContaining([
        { path: "accounts[0]", message: "must be a 12-digit AWS account id" },
        { path: "families", message: "must define at least one family" },
      ]),
    );
  });

  it("points at the line and column of a JSON syntax error", async () => {
    // Prepare
    const path = configFile('{\n  "accounts": ["111122223333"],\n  "homeRegion": "us-east-1",,\n}');

    // Act
    const run = await runCli(["validate", path]);

    // Assess
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/\(root\): is not valid JSON: .* at line 3, column 29/);
  });

  it("says a missing file cannot be read and exits 1", async () => {
    // Act
    const run = await runCli(["validate", "no-such-config.json"]);

    // Assess
    expect(run.code).toBe(1);
    expect(run.stderr).toContain("(root): cannot be read (ENOENT)");
  });
});
