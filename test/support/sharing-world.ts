import { type ConfigInput, parseConfig } from "@ami-lifecycle/core";
import { LocalDeployment, SimulatedAccount } from "@ami-lifecycle/simulated-account";
import { CreateImageCommand, EC2Client } from "@aws-sdk/client-ec2";
import { scenarioRegions } from "./scenario-config";

/** The consumer accounts of the sharing scenarios. */
export const consumers = { first: "444455556666", second: "777788889999" } as const;

/** One family built in us-east-1 and copied (encrypted) to eu-west-1, shared as given. */
export function sharingConfig(
  sharing: { accounts?: string[]; createVolumePermission?: boolean },
  overrides: Partial<ConfigInput> = {},
) {
  return parseConfig({
    accounts: ["111122223333"],
    homeRegion: "us-east-1",
    regions: scenarioRegions,
    mode: "enforce",
    families: [
      {
        name: "base-al2023",
        team: "platform",
        match: { namePattern: "base-al2023-*" },
        copyTo: [{ region: "eu-west-1", kmsKeyId: "alias/ami-lifecycle" }],
        sharing,
        retention: {
          keepLatest: 1,
          minAgeDays: 0,
          deprecateAfterDays: 0,
          disableAfterDays: 1,
          deregisterAfterDays: 1,
        },
      },
    ],
    ...overrides,
  });
}

/** A local deployment over a fresh simulated account with the copy key in eu-west-1. */
export async function startSharingDeployment(
  config: ReturnType<typeof sharingConfig>,
  dynamoEndpoint: string,
): Promise<LocalDeployment> {
  const account = new SimulatedAccount({ regions: scenarioRegions });
  account.createKey("eu-west-1", { alias: "alias/ami-lifecycle" });
  return LocalDeployment.start({ config, account, dynamoEndpoint });
}

/** Builds one version from a running instance and lets it (and its copy) become available. */
export async function buildVersion(deployment: LocalDeployment, name: string): Promise<string> {
  const { account } = deployment;
  const base = account.seedImage("us-east-1", { name: `amzn2023-base-for-${name}` });
  const instanceId = account.runInstance("us-east-1", base);
  const pipeline = account.client(EC2Client, "us-east-1", {
    principalArn: "arn:aws:sts::111122223333:assumed-role/image-pipeline/build",
  });
  const { ImageId } = await pipeline.send(new CreateImageCommand({ InstanceId: instanceId, Name: name }));
  await deployment.pump();
  await deployment.advance(10 * 60_000);
  await deployment.advance(20 * 60_000);
  return ImageId ?? "";
}
