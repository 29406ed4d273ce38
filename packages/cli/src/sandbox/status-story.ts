import { CloudWatchClient, SetAlarmStateCommand } from "@aws-sdk/client-cloudwatch";
import { CreateImageCommand, EC2Client } from "@aws-sdk/client-ec2";
import { sandboxKeyAlias } from "./sandbox-config";
import type { SandboxSession } from "./session";

/** Trouble `status --sandbox` can be shown with, made the way it happens in an account. */
export type SandboxFault = "dead-letter" | "alarm";

/** Every fault, for the usage text and its validation. */
export const sandboxFaults: readonly SandboxFault[] = ["dead-letter", "alarm"];

const minuteMs = 60_000;
const pipelineRole = "assumed-role/image-pipeline";

/**
 * A quiet day: one base-al2023 build, copied to both regions with a good key, then the scheduled sweep.
 * Nothing needs an operator afterwards; faults add the trouble asked for.
 */
export async function quietStory(session: SandboxSession): Promise<void> {
  const { account } = session;
  const home = session.config.homeRegion;
  for (const region of ["eu-west-1", "ap-southeast-2"]) account.createKey(region, { alias: sandboxKeyAlias });
  const builder = account.runInstance(
    home,
    account.seedImage(home, { name: "al2023-ami-2026.11.01", sizeGiB: 8 }),
  );
  await build(session, builder, "base-al2023-2026.11.20");
  await session.advance(6 * 60 * minuteMs);
  await session.scheduledSweep();
}

/** Adds the faults after the story, each through the path that produces it in AWS. */
export async function injectFaults(session: SandboxSession, faults: readonly SandboxFault[]): Promise<void> {
  const { account } = session;
  const home = session.config.homeRegion;
  if (faults.includes("dead-letter")) {
    // EC2 throttles every DescribeImages: the reaction fails all of Lambda's attempts and the event is dead-lettered.
    const builder = account.runInstance(
      home,
      account.seedImage(home, { name: "al2023-ami-2026.11.02", sizeGiB: 8 }),
    );
    account.setFaults({ throttleRate: 1, only: ["DescribeImages"] });
    try {
      await build(session, builder, "base-al2023-2026.11.21");
    } finally {
      account.setFaults({});
    }
  }
  if (faults.includes("alarm")) {
    // What an operator does to test an alarm's actions (the sandbox does not evaluate metrics).
    const cloudWatch = account.client(CloudWatchClient, home);
    const [alarmName] = session.deployment.operations.alarmNames;
    await cloudWatch.send(
      new SetAlarmStateCommand({
        AlarmName: alarmName,
        StateValue: "ALARM",
        StateReason: "Threshold Crossed: 1 datapoint [3.0] was greater than the threshold (0.0)",
      }),
    );
    cloudWatch.destroy();
  }
}

/** A pipeline builds `name` from `instanceId` (CreateImage), and the build and its copies run to the end. */
export async function build(session: SandboxSession, instanceId: string, name: string): Promise<void> {
  const { account } = session;
  const pipeline = account.client(EC2Client, session.config.homeRegion, {
    principalArn: `arn:aws:sts::${account.accountId}:${pipelineRole}/build`,
  });
  const { ImageId } = await pipeline.send(new CreateImageCommand({ InstanceId: instanceId, Name: name }));
  pipeline.destroy();
  session.record({
    region: session.config.homeRegion,
    event: `image-pipeline calls CreateImage ${name}`,
    outcome: `EC2 starts ${ImageId} (pending)`,
  });
  await session.pump();
  for (const minutes of [10, 20, 20, 20]) await session.advance(minutes * minuteMs);
}
