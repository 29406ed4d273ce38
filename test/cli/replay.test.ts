import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, inject, it } from "vitest";
import availableEvent from "../fixtures/events/ami-state-available.json";
import { type CliRun, runCli } from "./support/run-cli";

interface ReplayJson {
  target: string;
  results: {
    file: string;
    index: number;
    eventId: string | null;
    rule: string | null;
    status: string;
    outcome: string;
  }[];
  followUps: { event: string; outcome: string }[];
}

describe("ami-lifecycle replay", () => {
  let fixtures: CliRun;
  let document: ReplayJson;
  let malformed: CliRun;
  let unnameable: CliRun;

  beforeAll(async () => {
    const directory = mkdtempSync(join(tmpdir(), "ami-cli-replay-"));
    const broken = {
      ...availableEvent,
      id: "broken-1",
      detail: { ...availableEvent.detail, ImageId: "not-an-image" },
    };
    const foreign = { ...availableEvent, id: "foreign-1", source: "aws.s3" };
    writeFileSync(join(directory, "array.json"), JSON.stringify([broken, foreign]));
    // An id no AMI name can be derived from: seeding the sandbox must not trip over it before the handler speaks.
    const markup = {
      ...availableEvent,
      id: "markup-1",
      detail: { ...availableEvent.detail, ImageId: "ami-<script>" },
    };
    writeFileSync(join(directory, "markup.json"), JSON.stringify(markup));
    const endpoint = ["--dynamodb-endpoint", inject("dynamoEndpoint")];
    [fixtures, malformed, unnameable] = await Promise.all([
      runCli(["replay", "test/fixtures/events", "--json", ...endpoint]),
      runCli(["replay", join(directory, "array.json"), ...endpoint]),
      runCli(["replay", join(directory, "markup.json"), ...endpoint]),
    ]);
    document = JSON.parse(fixtures.stdout) as ReplayJson;
  }, 120_000);

  it("runs every fixture event through the real handlers and exits 0", () => {
    expect(fixtures.code).toBe(0);
    expect(document.target).toBe("sandbox");
    expect(document.results.map((result) => result.file.split("/").at(-1))).toEqual([
      "cloudtrail-create-image.json",
      "cloudtrail-register-image.json",
      "ami-state-available.json",
      "ami-state-deregistered.json",
      "ami-state-disabled.json",
      "ami-state-failed.json",
      "cloudtrail-copy-image.json",
    ]);
  });

  it("records a build with its actions", () => {
    const created = document.results[0];
    expect(created).toMatchObject({ rule: "image-api-call", status: "ok" });
    expect(created?.outcome).toMatch(
      /^payments-api v1 \(source\): .*notified registered.*copy to eu-west-1 started \(ami-\w+\)/,
    );
    expect(document.results[1]?.outcome).toMatch(/^base-al2023 v1 \(source\)/);
  });

  it("says why an unmanaged image is ignored", () => {
    expect(document.results[3]).toMatchObject({
      rule: "image-state-change",
      status: "ignored",
      outcome: "ignored: not managed (no-family)",
    });
  });

  it("shows what the service's own copies caused afterwards", () => {
    expect(document.followUps.map((entry) => entry.outcome)).toContainEqual(
      expect.stringMatching(/^payments-api v1 \(copy\): .*notified available/),
    );
  });

  it("rejects a malformed event with the field path and drops one no rule matches", () => {
    expect(malformed.code).toBe(0);
    expect(malformed.stdout).toContain(
      "array.json  AMI not-an-image → available\n  rejected: detail.ImageId:",
    );
    expect(malformed.stdout).toContain(
      "array.json[1]  AMI ami-0a1b2c3d4e5f60718 → available\n  no rule matches: not delivered",
    );
  });

  it("shows the handler's rejection of a malformed image id instead of failing to seed it (exit 0)", () => {
    expect(unnameable.stderr).not.toContain("InvalidAMIName");
    expect(unnameable.code).toBe(0);
    expect(unnameable.stdout).toContain(
      "markup.json  AMI ami-<script> → available\n  rejected: detail.ImageId: must be an AMI id (ami-…)",
    );
  });

  it("refuses to replay against a deployed service without --dry-run (exit 2)", async () => {
    // Act
    const run = await runCli(["replay", "test/fixtures/events", "--registry-table", "prod-registry"]);

    // Assess
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("replay needs --dry-run");
  });

  it("fails with what to do when an event file is not JSON (exit 1)", async () => {
    // Prepare
    const path = join(mkdtempSync(join(tmpdir(), "ami-cli-replay-")), "bad.json");
    writeFileSync(path, "{ not json");

    // Act
    const run = await runCli(["replay", path]);

    // Assess
    expect(run.code).toBe(1);
    expect(run.stderr).toContain("bad.json is not valid JSON");
    expect(run.stderr).toContain("next: each file must hold one EventBridge event or an array of them");
  });
});
