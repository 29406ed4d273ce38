import { parseConfig, runSweep } from "@ami-lifecycle/core";
import { LocalDeployment, SimulatedAccount } from "@ami-lifecycle/simulated-account";
import { afterEach, describe, expect, inject, it } from "vitest";

const regions = ["us-east-1", "eu-west-1"];
const dayMs = 86_400_000;

/**
 * Two families that opt into adoption, with zero grace periods and `keepLatest: 1`: `web` holds three
 * images built before the service (seeded newest first, so listing order is not build order), `api` two.
 */
async function backlogWorld(endpoint: string) {
  const account = new SimulatedAccount({ regions });
  const nowMs = account.clock.nowMs();
  const built = (daysAgo: number) => new Date(nowMs - daysAgo * dayMs).toISOString();
  const images = {
    webNewest: account.seedImage("us-east-1", { name: "web-3", creationDate: built(30) }),
    webOldest: account.seedImage("us-east-1", { name: "web-1", creationDate: built(90) }),
    webMiddle: account.seedImage("us-east-1", { name: "web-2", creationDate: built(60) }),
    apiOld: account.seedImage("eu-west-1", { name: "api-1", creationDate: built(50) }),
    apiNew: account.seedImage("eu-west-1", { name: "api-2", creationDate: built(40) }),
  };
  const retention = {
    keepLatest: 1,
    minAgeDays: 0,
    deprecateAfterDays: 0,
    disableAfterDays: 0,
    deregisterAfterDays: 0,
    maxDeletionsPerRun: 10,
    recoverableForDays: 0,
  };
  const config = parseConfig({
    accounts: ["111122223333"],
    mode: "enforce",
    homeRegion: "us-east-1",
    regions,
    families: ["web", "api"].map((name) => ({
      name,
      team: "platform",
      adopt: true,
      match: { namePattern: `${name}-*` },
      retention,
    })),
  });
  const deployment = await LocalDeployment.start({ config, account, dynamoEndpoint: endpoint });
  return { deployment, images };
}

/** The image's state as EC2 shows it; a deregistered image EC2 no longer lists is "deregistered" too. */
function stateOf(account: SimulatedAccount, region: string, imageId: string): string {
  return account.image(region, imageId)?.State ?? "deregistered";
}

describe("a sweep adopts a family's backlog and retires it in the same run", () => {
  let deployment: LocalDeployment | undefined;
  afterEach(async () => {
    await deployment?.stop();
    deployment = undefined;
  });

  it("retires the adopted versions retention does not keep, by build time, in the sweep that adopts them", async () => {
    // Prepare
    const world = await backlogWorld(inject("dynamoEndpoint"));
    deployment = world.deployment;
    const { account } = deployment;

    // Act
    const report = await runSweep(deployment.runtime.reactions, {
      now: account.clock.now(),
      familiesInFlight: 2,
    });

    // Assess
    expect(report.failures).toEqual([]);
    const web = report.families.find((family) => family.family === "web");
    expect(web?.adoption?.adopted).toEqual([1, 2, 3]);
    expect(web?.failures).toEqual([]);
    // The two older builds are gone; the newest build is kept whatever order EC2 listed them in.
    expect(stateOf(account, "us-east-1", world.images.webOldest)).toBe("deregistered");
    expect(stateOf(account, "us-east-1", world.images.webMiddle)).toBe("deregistered");
    expect(stateOf(account, "us-east-1", world.images.webNewest)).toBe("available");
    expect(stateOf(account, "eu-west-1", world.images.apiOld)).toBe("deregistered");
    expect(stateOf(account, "eu-west-1", world.images.apiNew)).toBe("available");
    const versions = await deployment.runtime.reactions.registry.listVersions("web");
    expect(versions.map((version) => [version.sourceImageId, version.stage])).toEqual([
      [world.images.webOldest, "deregistered"],
      [world.images.webMiddle, "deregistered"],
      [world.images.webNewest, "active"],
    ]);
  });

  it("retires nothing it could not tag: a failed adoption leaves every image as it was", async () => {
    // Prepare
    const world = await backlogWorld(inject("dynamoEndpoint"));
    deployment = world.deployment;
    const { account } = deployment;
    account.setFaults({ serverErrorRate: 1, only: ["CreateTags"] });
    account.resetCallCounts();

    // Act
    const report = await runSweep(deployment.runtime.reactions, {
      now: account.clock.now(),
      familiesInFlight: 2,
    });

    // Assess
    const web = report.families.find((family) => family.family === "web");
    expect(web?.failures.map((failure) => failure.step)).toContain("adopt");
    for (const id of [world.images.webOldest, world.images.webMiddle, world.images.webNewest])
      expect(stateOf(account, "us-east-1", id)).toBe("available");
    const retiring = Object.keys(account.callCounts()).filter((key) =>
      /:(EnableImageDeprecation|DisableImage|DeregisterImage)$/.test(key),
    );
    expect(retiring).toEqual([]);
  });
});
