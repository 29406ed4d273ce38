import type { Runtime } from "@ami-lifecycle/aws";
import { type Config, parseConfig, type VersionRecord } from "@ami-lifecycle/core";
import {
  LocalDeployment,
  type LocalHandler,
  localLambdaContext,
  SimulatedAccount,
} from "@ami-lifecycle/simulated-account";
import { CreateImageCommand, EC2Client } from "@aws-sdk/client-ec2";
import { createRetentionSweepHandler } from "../../functions/retention-sweep";

/** Regions of the retention scenarios: the family is built in the first and copied to the other two. */
export const retentionRegions = ["us-east-1", "eu-west-1", "ap-southeast-2"] as const;

/** Days between the retirement stages of the scenario family (short, so a few simulated days cover all of them). */
export const retentionPolicy = {
  keepLatest: 3,
  minAgeDays: 0,
  deprecateAfterDays: 1,
  disableAfterDays: 2,
  deregisterAfterDays: 3,
  maxDeletionsPerRun: 10,
} as const;

export const dayMs = 86_400_000;
const minuteMs = 60_000;

/** One family (`web`) built in us-east-1, copied encrypted to eu-west-1 and ap-southeast-2. */
export function retentionConfig(mode: "dry-run" | "enforce"): Config {
  return parseConfig({
    accounts: ["111122223333"],
    homeRegion: "us-east-1",
    regions: [...retentionRegions],
    mode,
    families: [
      {
        name: "web",
        team: "web-team",
        match: { namePattern: "web-*" },
        copyTo: [
          { region: "eu-west-1", kmsKeyId: "alias/ami-lifecycle" },
          { region: "ap-southeast-2", kmsKeyId: "alias/ami-lifecycle" },
        ],
        retention: retentionPolicy,
      },
    ],
  });
}

/**
 * A local deployment of the service over a fresh simulated account; with `routeSweepRequests` the sweep
 * function is behind the "Family Sweep Requested" rule (each new version then triggers a sweep).
 */
export async function startRetentionDeployment(
  mode: "dry-run" | "enforce",
  dynamoEndpoint: string,
  options: { routeSweepRequests?: boolean } = {},
) {
  const account = new SimulatedAccount({ regions: [...retentionRegions] });
  for (const region of ["eu-west-1", "ap-southeast-2"])
    account.createKey(region, { alias: "alias/ami-lifecycle" });
  return LocalDeployment.start({
    config: retentionConfig(mode),
    account,
    dynamoEndpoint,
    ...(options.routeSweepRequests ? { sweepHandler: createRetentionSweepHandler } : {}),
  });
}

/**
 * Builds `count` versions of `web` the way a pipeline does (CreateImage from a builder instance), lets
 * the events flow until every copy is available, and returns the registry's versions, oldest first.
 */
export async function buildVersions(deployment: LocalDeployment, count: number): Promise<VersionRecord[]> {
  const { account } = deployment;
  const base = account.seedImage("us-east-1", { name: "builder-base" });
  const builder = account.runInstance("us-east-1", base);
  const pipeline = account.client(EC2Client, "us-east-1", {
    principalArn: "arn:aws:sts::111122223333:assumed-role/image-pipeline/build",
  });
  for (let index = 1; index <= count; index++) {
    await pipeline.send(
      new CreateImageCommand({ InstanceId: builder, Name: `web-2026.01.${String(index).padStart(2, "0")}` }),
    );
  }
  pipeline.destroy();
  await deployment.pump();
  await deployment.advance(10 * minuteMs);
  await deployment.advance(20 * minuteMs);
  return deployment.runtime.reactions.registry.listVersions("web");
}

/** Invokes the sweep function the way EventBridge Scheduler does. */
export function scheduledSweep(deployment: LocalDeployment, executionId: string): Promise<unknown> {
  // The middy-wrapped handler's parameter type is the parser's output; Lambda passes the raw input.
  const handler = createRetentionSweepHandler(() => deployment.runtime as Runtime) as unknown as LocalHandler;
  return handler(
    { kind: "scheduled-sweep", executionId, scheduledTime: deployment.account.clock.now().toISOString() },
    localLambdaContext("retention-sweep", executionId),
  );
}

/** The image id of a version in a region (throws when the registry has none: the scenario is broken). */
export function imageOf(version: VersionRecord | undefined, region: string): string {
  const imageId = version?.regions[region]?.imageId;
  if (!imageId) throw new Error(`no image of v${version?.version} in ${region}`);
  return imageId;
}
