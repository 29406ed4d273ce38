import { type FaultOptions, LocalDeployment, SimulatedAccount } from "@ami-lifecycle/simulated-account";
import {
  CreateImageCommand,
  DeregisterImageCommand,
  EC2Client,
  RegisterImageCommand,
} from "@aws-sdk/client-ec2";
import { inject } from "vitest";
import type { EventDelivery } from "./event-delivery";
import { scenarioConfig, scenarioRegions } from "./scenario-config";

/** The build pipeline's session, as CloudTrail records the caller. */
export const pipelinePrincipal = "arn:aws:sts::111122223333:assumed-role/image-pipeline/build-7";
/** What the service records as `createdBy`: the role behind the session. */
export const pipelineRoleArn = "arn:aws:iam::111122223333:role/image-pipeline";

const MINUTE = 60_000;

/** One build the pipeline makes in us-east-1. */
export interface PlannedBuild {
  name: string;
  call: "CreateImage" | "RegisterImage";
}

/** Two families, three builds each, alternating, by CreateImage and RegisterImage. */
export const plannedBuilds: readonly PlannedBuild[] = [
  { name: "payments-api-2026.11.20.1", call: "CreateImage" },
  { name: "base-al2023-2026.11.20.1", call: "CreateImage" },
  { name: "payments-api-2026.11.20.2", call: "RegisterImage" },
  { name: "base-al2023-2026.11.20.2", call: "CreateImage" },
  { name: "payments-api-2026.11.20.3", call: "CreateImage" },
  { name: "base-al2023-2026.11.20.3", call: "RegisterImage" },
];

/** An account and a deployment ready for builds: keys, a builder instance, snapshots to register. */
export interface ScenarioWorld {
  account: SimulatedAccount;
  deployment: LocalDeployment;
  pipeline: EC2Client;
  instanceId: string;
  /** completed snapshots the RegisterImage builds use, one per such build */
  registrableSnapshots: string[];
}

/**
 * Prepares the account the convergence scenarios share: `alias/ami-lifecycle` exists in eu-west-1 and
 * ap-southeast-2 (payments-api's `alias/missing-key` does not), an unmanaged base image with a running
 * builder instance, and snapshots left by deregistered staging images for the RegisterImage builds.
 */
export async function startScenarioWorld(
  options: {
    copyQuota?: number;
    accountSeed?: number;
    sdkMaxAttempts?: number;
    /** regions the account has but the config does not manage */
    unmanagedRegions?: string[];
  } = {},
): Promise<ScenarioWorld> {
  const account = new SimulatedAccount({
    regions: [...scenarioRegions, ...(options.unmanagedRegions ?? [])],
    ...(options.copyQuota ? { copyQuota: options.copyQuota } : {}),
    seed: options.accountSeed ?? 1,
  });
  for (const region of ["eu-west-1", "ap-southeast-2"])
    account.createKey(region, { alias: "alias/ami-lifecycle" });
  const base = account.seedImage("us-east-1", { name: "amzn2023-base" });
  const instanceId = account.runInstance("us-east-1", base);
  const admin = account.client(EC2Client, "us-east-1");
  const registrableSnapshots: string[] = [];
  for (const index of [1, 2]) {
    const staging = account.seedImage("us-east-1", { name: `import-staging-${index}` });
    const snapshotId = account.image("us-east-1", staging)?.BlockDeviceMappings?.[0]?.Ebs?.SnapshotId;
    if (!snapshotId) throw new Error("seeded image without a snapshot");
    registrableSnapshots.push(snapshotId);
    await admin.send(new DeregisterImageCommand({ ImageId: staging }));
  }
  admin.destroy();
  // The staging images predate the scenario: their events are not part of it.
  account.drainEvents();
  const deployment = await LocalDeployment.start({
    config: scenarioConfig(),
    account,
    dynamoEndpoint: inject("dynamoEndpoint"),
    ...(options.sdkMaxAttempts ? { sdkMaxAttempts: options.sdkMaxAttempts } : {}),
  });
  const pipeline = account.client(EC2Client, "us-east-1", { principalArn: pipelinePrincipal });
  return { account, deployment, pipeline, instanceId, registrableSnapshots };
}

/** Makes one build as the pipeline would and returns the new image id. */
export async function build(world: ScenarioWorld, planned: PlannedBuild): Promise<string> {
  if (planned.call === "CreateImage") {
    const { ImageId } = await world.pipeline.send(
      new CreateImageCommand({ InstanceId: world.instanceId, Name: planned.name }),
    );
    return ImageId ?? "";
  }
  const snapshotId = world.registrableSnapshots.shift();
  if (!snapshotId) throw new Error("no snapshot left to register");
  const { ImageId } = await world.pipeline.send(
    new RegisterImageCommand({
      Name: planned.name,
      RootDeviceName: "/dev/xvda",
      BlockDeviceMappings: [{ DeviceName: "/dev/xvda", Ebs: { SnapshotId: snapshotId } }],
    }),
  );
  return ImageId ?? "";
}

/** EC2 calls the reactions make: the ones a throttling scenario throttles (the pipeline's are left alone). */
export const reactionEc2Operations = ["DescribeImages", "CreateTags", "CopyImage"];

/**
 * Runs every planned build 15 minutes apart, delivering events every 5 minutes, then lets two hours pass
 * so copies (20 minutes each) finish, fail and are retried.
 */
export async function runPlannedBuilds(
  world: ScenarioWorld,
  delivery: EventDelivery,
  faults?: FaultOptions,
): Promise<void> {
  if (faults) world.account.setFaults(faults);
  for (const planned of plannedBuilds) {
    await build(world, planned);
    await delivery.settle();
    for (let step = 0; step < 3; step++) await delivery.advance(5 * MINUTE);
  }
  for (let step = 0; step < 24; step++) await delivery.advance(5 * MINUTE);
  world.account.setFaults({});
}
