import { parseConfig } from "@ami-lifecycle/core";
import { inject } from "vitest";
import type { CliIo } from "../../packages/cli/src/cli/io";
import { sweepOnTarget } from "../../packages/cli/src/commands/sweep";
import { runSandbox, type SandboxRun } from "../../packages/cli/src/sandbox/run-sandbox";
import { sandboxKeyAlias } from "../../packages/cli/src/sandbox/sandbox-config";
import type { SandboxSession } from "../../packages/cli/src/sandbox/session";
import { build } from "../../packages/cli/src/sandbox/status-story";
import { type ServiceTarget, sandboxTarget } from "../../packages/cli/src/targets/service-target";

/** The regions of the retired family: built in us-east-1, copied to eu-west-1. */
export const retiredRegions = ["us-east-1", "eu-west-1"] as const;
/** How many versions of `web` the story builds. */
export const builtVersions = 5;
const dayMs = 86_400_000;

/**
 * `web`: the newest version kept, the others retired once 2 days old, deregistered a day after they are
 * disabled (into the Recycle Bin for 7 days), at most 10 deregistrations per run (and per request).
 */
const retiredFamilyConfig = () =>
  parseConfig({
    accounts: ["111122223333"],
    homeRegion: "us-east-1",
    regions: [...retiredRegions],
    mode: "enforce",
    families: [
      {
        name: "web",
        team: "web-team",
        match: { namePattern: "web-*" },
        copyTo: [{ region: "eu-west-1", kmsKeyId: sandboxKeyAlias }],
        retention: {
          keepLatest: 1,
          minAgeDays: 2,
          deprecateAfterDays: 0,
          disableAfterDays: 0,
          deregisterAfterDays: 1,
          recoverableForDays: 7,
          maxDeletionsPerRun: 10,
        },
      },
    ],
  });

/**
 * Day 0: a pipeline builds web v1–v5, each copied to eu-west-1 (the sweeps each build requests keep them:
 * too young). Day 3: the scheduled sweep deprecates and disables v1–v4 (deregistration is a day later).
 * Day 4: the four disabled versions are due for deregistration.
 */
async function fourDisabledVersions(session: SandboxSession): Promise<void> {
  const { account } = session;
  account.createKey("eu-west-1", { alias: sandboxKeyAlias });
  const builder = account.runInstance("us-east-1", account.seedImage("us-east-1", { name: "builder-base" }));
  for (let version = 1; version <= builtVersions; version++)
    await build(session, builder, `web-2026.11.${String(version).padStart(2, "0")}`);
  await session.advance(3 * dayMs);
  await session.scheduledSweep();
  await session.advance(dayMs);
}

/** A finished sandbox run of the retired family's story and the CLI's target over it. */
export interface RetiredFamilyWorld {
  sandbox: SandboxRun;
  session: SandboxSession;
  /** what the CLI commands act on: the sandbox's deployment with the operator's credentials */
  service: ServiceTarget;
  stop(): Promise<void>;
}

/** Plays the story above on the sandbox (DynamoDB Local of the test run) and opens the CLI's target on it. */
export async function startRetiredFamily(): Promise<RetiredFamilyWorld> {
  const run = await runSandbox({
    dynamoEndpoint: inject("dynamoEndpoint"),
    config: retiredFamilyConfig(),
    startAt: new Date("2026-11-01T09:00:00.000Z"),
    story: fourDisabledVersions,
  });
  const { session } = run;
  const service = sandboxTarget(session, { label: "sandbox (retired family)", close: async () => {} });
  return { sandbox: run, session, service, stop: () => session.stop() };
}

/** A CLI io that keeps what a command prints (no colour), for assertions on the printed lines. */
export function printedIo(): CliIo & { printed: () => string; errors: () => string } {
  let out = "";
  let err = "";
  return {
    out: (text) => {
      out += text;
    },
    err: (text) => {
      err += text;
    },
    color: false,
    cwd: process.cwd(),
    printed: () => out,
    errors: () => err,
  };
}

/** `sweep --family web --max-deletions 2 --enforce` on the world: v1 and v2 go into the Recycle Bin. */
export async function binTheOldestTwo(world: RetiredFamilyWorld): Promise<void> {
  const code = await sweepOnTarget(world, printedIo(), {
    family: "web",
    maxDeletions: 2,
    enforce: true,
    json: false,
  });
  if (code !== 0) throw new Error(`the capped sweep exited ${code}`);
}
