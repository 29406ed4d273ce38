import { CopyImageCommand, CreateImageCommand, EC2Client } from "@aws-sdk/client-ec2";
import { adoptPreexistingImages, seedPreexistingImages } from "./preexisting-images";
import { restoreOneRetirement } from "./restore-retired";
import { sandboxKeyAlias, sandboxMissingKeyAlias } from "./sandbox-config";
import type { SandboxSession } from "./session";

const minuteMs = 60_000;
const dayMs = 24 * 60 * minuteMs;
const homeRegion = "us-east-1";
const accountId = "111122223333";

/** Who builds images: the pipeline's assumed role, one session per build. */
const pipelineRole = `arn:aws:sts::${accountId}:assumed-role/image-pipeline`;
/** A person with an SSO session. */
const personArn = `arn:aws:sts::${accountId}:assumed-role/AWSReservedSSO_Admin_4f1c/alice@example.com`;

/** Runs the scheduled sweep of the deployed service at the current simulated time. */
export type ScheduledSweep = (session: SandboxSession) => Promise<void>;

/** How a build went: the pipeline's image id and the version the service gave it. */
interface Build {
  imageId: string;
  name: string;
}

/**
 * The built-in story, over nine simulated days: a pipeline builds five versions of base-al2023 and three
 * of payments-api; copies are made encrypted, one region's key is bad; a person copies an image by hand;
 * an instance, a launch template and an SSM parameter keep old versions in use; daily sweeps deprecate,
 * disable and finally deregister what nothing keeps, into the Recycle Bin; the operator restores one of
 * them. Two payments-api images built before the service (one with a copy) are left alone all along,
 * then adopted by the operator at the end.
 */
export async function runBuiltInScenario(session: SandboxSession, sweep?: ScheduledSweep): Promise<void> {
  const { account } = session;
  const start = session.now();
  const at = (day: number, hour: number) =>
    new Date(start.getTime() + day * dayMs + (hour - 10) * 60 * minuteMs);

  for (const region of ["eu-west-1", "ap-southeast-2"]) account.createKey(region, { alias: sandboxKeyAlias });
  session.record({
    region: "all",
    event: `account ${accountId}: regions ${account.regions.join(", ")}; KMS ${sandboxKeyAlias} in eu-west-1 and ap-southeast-2`,
    outcome: `payments-api copies to ap-southeast-2 with ${sandboxMissingKeyAlias}, which does not exist there: a bad key`,
  });
  seedPreexistingImages(session);
  const builders = {
    "base-al2023": account.runInstance(
      homeRegion,
      account.seedImage(homeRegion, { name: "al2023-ami-2026.11.01", sizeGiB: 8 }),
    ),
    "payments-api": account.runInstance(
      homeRegion,
      account.seedImage(homeRegion, { name: "payments-builder-2026.11.01", sizeGiB: 20 }),
    ),
  };
  let buildNumber = 0;
  const build = async (family: keyof typeof builders, date: string): Promise<Build> => {
    buildNumber += 1;
    const name = `${family}-${date}`;
    const pipeline = account.client(EC2Client, homeRegion, {
      principalArn: `${pipelineRole}/build-${buildNumber}`,
    });
    session.progress(`${session.now().toISOString()} build ${name}`);
    const { ImageId } = await pipeline.send(
      new CreateImageCommand({
        InstanceId: builders[family],
        Name: name,
        Description: `${family} build ${buildNumber}`,
      }),
    );
    pipeline.destroy();
    session.record({
      region: homeRegion,
      event: `image-pipeline/build-${buildNumber} calls CreateImage ${name}`,
      outcome: `EC2 starts ${ImageId} (pending)`,
    });
    await session.pump();
    // The image is available after 10 simulated minutes; copies take 20 more, a failed copy is retried once.
    for (const minutes of [10, 20, 20, 20]) await session.advance(minutes * minuteMs);
    return { imageId: ImageId ?? "", name };
  };
  const nextDay = async (day: number) => {
    await session.advanceTo(at(day, 3));
    if (sweep) await sweep(session);
    await session.advanceTo(at(day, 10));
  };

  const base1 = await build("base-al2023", "2026.11.20");
  await build("payments-api", "2026.11.20");
  const webInstance = account.runInstance(homeRegion, base1.imageId);
  session.record({
    region: homeRegion,
    event: `web fleet launches ${webInstance} from ${base1.name} (${base1.imageId})`,
  });

  await nextDay(1);
  const base2 = await build("base-al2023", "2026.11.21");
  const payments2 = await build("payments-api", "2026.11.21");
  const parameter = "/golden-images/base-al2023";
  account.putParameter(homeRegion, parameter, base2.imageId, "aws:ec2:image");
  session.record({
    region: homeRegion,
    event: `SSM parameter ${parameter} set to ${base2.imageId} (${base2.name})`,
  });

  await nextDay(2);
  await build("base-al2023", "2026.11.22");
  const person = account.client(EC2Client, "ap-southeast-2", { principalArn: personArn });
  const { ImageId: manualCopy } = await person.send(
    new CopyImageCommand({
      SourceRegion: homeRegion,
      SourceImageId: payments2.imageId,
      Name: `${payments2.name}-manual`,
      Encrypted: true,
      KmsKeyId: sandboxKeyAlias,
    }),
  );
  person.destroy();
  session.record({
    region: "ap-southeast-2",
    event: `alice copies ${payments2.name} (${payments2.imageId}) to ap-southeast-2 by hand with ${sandboxKeyAlias}`,
    outcome: `EC2 starts ${manualCopy} (pending)`,
  });
  await session.pump();
  await session.advance(20 * minuteMs);
  const eu1 = await euCopyOf(session, "payments-api", 1);
  if (eu1) {
    const template = account.createLaunchTemplate("eu-west-1", "payments-web", eu1);
    session.record({
      region: "eu-west-1",
      event: `launch template payments-web (${template}) uses payments-api v1 (${eu1})`,
    });
  }

  await nextDay(3);
  await build("base-al2023", "2026.11.23");
  await build("payments-api", "2026.11.23");

  await nextDay(4);
  await build("base-al2023", "2026.11.24");
  for (const day of [5, 6, 7, 8]) await nextDay(day);
  // One retirement undone: the version the sweeps binned comes back, held from the next sweeps.
  if (sweep) await restoreOneRetirement(session, "base-al2023");
  await adoptPreexistingImages(session);
}

/** The eu-west-1 copy of a version, as the registry records it. */
async function euCopyOf(
  session: SandboxSession,
  family: string,
  version: number,
): Promise<string | undefined> {
  const record = await session.deployment.runtime.reactions.registry.getVersion(family, version);
  return record?.regions["eu-west-1"]?.imageId;
}
