import { type Config, parseConfig } from "@ami-lifecycle/core";
import { LocalDeployment, SimulatedAccount } from "@ami-lifecycle/simulated-account";

/** Regions of the simulated account in scenarios. */
export const scenarioRegions = ["us-east-1", "eu-west-1", "ap-southeast-2"];

/**
 * Two families copied to two regions. The ap-southeast-2 key of `payments-api` names an alias that does
 * not exist there, so its copies fail asynchronously like a real bad key.
 */
export function scenarioConfig(overrides: { maxCopyAttempts?: number } = {}): Config {
  return parseConfig({
    accounts: ["111122223333"],
    homeRegion: "us-east-1",
    regions: scenarioRegions,
    families: [
      {
        name: "payments-api",
        team: "payments",
        match: { namePattern: "payments-api-*" },
        copyTo: [
          { region: "eu-west-1", kmsKeyId: "alias/ami-lifecycle" },
          { region: "ap-southeast-2", kmsKeyId: "alias/missing-key" },
        ],
        maxCopyAttempts: overrides.maxCopyAttempts ?? 2,
      },
      {
        name: "base-al2023",
        team: "platform",
        match: { namePattern: "base-al2023-*" },
        copyTo: [
          { region: "eu-west-1", kmsKeyId: "alias/ami-lifecycle" },
          { region: "ap-southeast-2", kmsKeyId: "alias/ami-lifecycle" },
        ],
      },
    ],
  });
}

/** A deployment of `scenarioConfig()` over a fresh account with the copies' key (not in us-east-1). */
export async function startScenarioDeployment(dynamoEndpoint: string): Promise<LocalDeployment> {
  const account = new SimulatedAccount({ regions: scenarioRegions });
  for (const region of ["eu-west-1", "ap-southeast-2"])
    account.createKey(region, { alias: "alias/ami-lifecycle" });
  return LocalDeployment.start({ config: scenarioConfig(), account, dynamoEndpoint });
}
