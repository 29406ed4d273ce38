import { type Config, parseConfig } from "@ami-lifecycle/core";
import { LocalDeployment, SimulatedAccount } from "@ami-lifecycle/simulated-account";
import { retentionPolicy, retentionRegions } from "./retention-world";

/** The scenario's families: `web` (by name, copied to two regions) and `legacy` (by tag), which overlap. */
export function adoptionConfig(options: { adopt?: boolean; mode?: "dry-run" | "enforce" } = {}): Config {
  return parseConfig({
    accounts: ["111122223333"],
    mode: options.mode ?? "dry-run",
    homeRegion: "us-east-1",
    regions: [...retentionRegions],
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
        adopt: options.adopt ?? false,
      },
      { name: "legacy", team: "ops", match: { tags: { lineage: "legacy" } } },
    ],
  });
}

/** Images that existed before the service, as the scenario seeds them. */
export interface PreexistingImages {
  /** web, built 2024-01-10 in us-east-1, with a hand-made copy in eu-west-1 */
  oldest: string;
  oldestCopy: string;
  /** web, built 2024-03-10 and 2024-06-10 in us-east-1 */
  middle: string;
  newest: string;
  /** web by name and legacy by tag: matches two families */
  ambiguous: string;
  /** legacy only */
  legacy: string;
}

/** A local deployment over a fresh account holding a few images built before the service. */
export async function startAdoptionWorld(
  dynamoEndpoint: string,
  options: Parameters<typeof adoptionConfig>[0] = {},
): Promise<{ deployment: LocalDeployment; images: PreexistingImages }> {
  const account = new SimulatedAccount({ regions: [...retentionRegions] });
  for (const region of ["eu-west-1", "ap-southeast-2"])
    account.createKey(region, { alias: "alias/ami-lifecycle" });
  const seed = (region: string, name: string, creationDate: string, extra = {}) =>
    account.seedImage(region, { name, creationDate, ...extra });
  const oldest = seed("us-east-1", "web-2024.01.10", "2024-01-10T08:00:00.000Z");
  const images: PreexistingImages = {
    oldest,
    oldestCopy: seed("eu-west-1", "web-2024.01.10", "2024-01-10T09:00:00.000Z", {
      source: { imageId: oldest, region: "us-east-1" },
    }),
    middle: seed("us-east-1", "web-2024.03.10", "2024-03-10T08:00:00.000Z"),
    newest: seed("us-east-1", "web-2024.06.10", "2024-06-10T08:00:00.000Z"),
    ambiguous: seed("us-east-1", "web-legacy-1", "2023-05-01T08:00:00.000Z", { tags: { lineage: "legacy" } }),
    legacy: seed("eu-west-1", "legacy-app-7", "2023-02-01T08:00:00.000Z", { tags: { lineage: "legacy" } }),
  };
  const deployment = await LocalDeployment.start({
    config: adoptionConfig(options),
    account,
    dynamoEndpoint,
  });
  return { deployment, images };
}
