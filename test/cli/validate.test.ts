import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { configOfCheckedDocument, parseConfig } from "@ami-lifecycle/core";
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

  it("reads --config FILE as every command spells it, and refuses a file named twice", async () => {
    // Act
    const [flagged, twice] = await Promise.all([
      runCli(["validate", "--config", "ami-lifecycle.config.json"]),
      runCli(["validate", "ami-lifecycle.config.json", "--config", "ami-lifecycle.config.json"]),
    ]);

    // Assess
    expect(flagged.code).toBe(0);
    expect(flagged.stdout).toMatch(/^valid: 2 families/);
    expect(twice.code).toBe(2);
    expect(twice.stderr).toContain(
      "error: pass the file once: either --config FILE or the [config] argument",
    );
  });

  it("writes the checked config beside a valid file with --write-checked, and nothing for an invalid one", async () => {
    // Prepare
    const document = JSON.parse(readFileSync("ami-lifecycle.config.json", "utf8"));
    const valid = configFile(JSON.stringify({ ...document, mode: "enforce" }));
    const invalid = configFile(JSON.stringify({ ...document, mode: "delete-everything" }));

    // Act
    const [written, refused] = await Promise.all([
      runCli(["validate", "--config", valid, "--write-checked"]),
      runCli(["validate", "--config", invalid, "--write-checked"]),
    ]);

    // Assess
    const checkedPath = join(dirname(valid), "ami-lifecycle.config.checked.json");
    expect(written.code).toBe(0);
    expect(written.stdout).toContain(`wrote ${checkedPath}\n`);
    const checked = configOfCheckedDocument(JSON.parse(readFileSync(checkedPath, "utf8")));
    expect(checked).toEqual(parseConfig({ ...document, mode: "enforce" }));
    expect(refused.code).toBe(1);
    expect(existsSync(join(dirname(invalid), "ami-lifecycle.config.checked.json"))).toBe(false);
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

  it.each([
    [
      "cron(0 3 * * *)",
      "sweep.schedule: must be an EventBridge Scheduler expression: cron needs 6 fields (minutes hours day-of-month month day-of-week year), got 5",
    ],
    [
      "cron(banana)",
      "sweep.schedule: must be an EventBridge Scheduler expression: cron needs 6 fields (minutes hours day-of-month month day-of-week year), got 1",
    ],
    [
      "rate(0 minutes)",
      "sweep.schedule: must be an EventBridge Scheduler expression: rate needs a whole number ≥ 1, got 0",
    ],
  ])("refuses the schedule %s with Scheduler's reason (exit 1)", async (schedule, reason) => {
    // Prepare
    const path = configFile(JSON.stringify({ ...minimalConfig(), sweep: { schedule } }));

    // Act
    const run = await runCli(["validate", path]);

    // Assess
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(`  ${reason}\n`);
  });

  it("refuses a key of another region, a region that does not exist and an unbounded day field (exit 1)", async () => {
    // Prepare
    const config = minimalConfig();
    config.regions.push("eu-west-1", "eu-north-9");
    config.families[0].copyTo = [
      { region: "eu-west-1", kmsKeyId: "arn:aws:kms:us-east-1:111122223333:alias/ami-lifecycle" },
    ];
    config.families[0].retention = { minAgeDays: 1e8 };
    const path = configFile(JSON.stringify(config));

    // Act
    const run = await runCli(["validate", path]);

    // Assess
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(
      "  regions[2]: eu-north-9 is not a region the AWS SDK knows; for a region newer than the SDK set allowUnknownRegions: true\n",
    );
    expect(run.stderr).toContain(
      "  families[0].copyTo[0].kmsKeyId: is a key in us-east-1; CopyImage needs a key in the destination region eu-west-1\n",
    );
    expect(run.stderr).toContain("  families[0].retention.minAgeDays: must be ≤ 3650 (ten years)\n");
  });

  it("prints warnings without failing: a family claiming every image, overlapping families, an admitted unknown region", async () => {
    // Prepare
    const config = minimalConfig();
    config.allowUnknownRegions = true;
    config.regions.push("eu-north-9");
    config.families = [
      { name: "web", team: "web", match: { namePattern: "web-*" } },
      { name: "everything", team: "ops", match: { namePattern: "*" } },
    ];
    const path = configFile(JSON.stringify(config));

    // Act
    const [run, json] = await Promise.all([runCli(["validate", path]), runCli(["validate", path, "--json"])]);

    // Assess
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^valid: 2 families \(web, everything\) in 2 regions/);
    expect(run.stderr).toBe(
      [
        "warning: regions[1]: eu-north-9 is not a region the AWS SDK knows (allowed by allowUnknownRegions): check its spelling",
        'warning: families[1].match.namePattern: "*" matches every image name: with no tags, this family claims every image the accounts own in its regions',
        'warning: families[1].match: overlaps families[0] (web): an image such as "web-" matches both and joins web, the first in config order',
        "",
      ].join("\n"),
    );
    expect(json.code).toBe(0);
    expect(JSON.parse(json.stdout).warnings).toHaveLength(3);
  });

  it("reads a file saved with a UTF-8 byte order mark (exit 0)", async () => {
    // Prepare
    const path = configFile(`\uFEFF${JSON.stringify(minimalConfig())}`);

    // Act
    const run = await runCli(["validate", path]);

    // Assess
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^valid: 1 family \(web\)/);
  });
});

// biome-ignore lint/suspicious/noExplicitAny: tests edit the document freely, also into invalid shapes
function minimalConfig(): any {
  return {
    accounts: ["111122223333"],
    homeRegion: "us-east-1",
    regions: ["us-east-1"],
    families: [{ name: "web", team: "web", match: { namePattern: "web-*" } }],
  };
}
