import { InvalidEventError, RestoreRefusedError, runSweep } from "@ami-lifecycle/core";
import type { LocalDeployment } from "@ami-lifecycle/simulated-account";
import { localLambdaContext } from "@ami-lifecycle/simulated-account";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { createRestoreHandler } from "../../functions/restore";
import { buildVersion, consumers, sharingConfig, startSharingDeployment } from "../support/sharing-world";

const dayMs = 24 * 3600_000;
const home = "us-east-1";
const copyRegion = "eu-west-1";
const family = "base-al2023";

type Handler = (event: unknown, context: ReturnType<typeof localLambdaContext>) => Promise<unknown>;

/** A deployment where v1 was deregistered into the bin in both regions (day 4 after v2). */
async function retiredIntoBin(): Promise<LocalDeployment> {
  const deployment = await startSharingDeployment(
    sharingConfig({ accounts: [consumers.first], createVolumePermission: true }),
    inject("dynamoEndpoint"),
  );
  await buildVersion(deployment, "base-al2023-2026.11.20");
  await deployment.advance(dayMs);
  await buildVersion(deployment, "base-al2023-2026.11.21");
  for (let day = 1; day <= 4; day++) {
    await deployment.advance(dayMs);
    await runSweep(deployment.runtime.reactions, { now: deployment.account.clock.now() });
    await deployment.pump();
  }
  return deployment;
}

const restoredMessages = (deployment: LocalDeployment) =>
  deployment.account
    .published(deployment.topicArn)
    .filter((message) => message.messageAttributes.eventType?.StringValue === "restored");

describe("a restore killed half-way", () => {
  let deployment: LocalDeployment;
  let restore: Handler;

  beforeAll(async () => {
    deployment = await retiredIntoBin();
    restore = createRestoreHandler(() => deployment.runtimeFor("restore")) as unknown as Handler;
  });
  afterAll(() => deployment.stop());

  it("resumes where it stopped when run again: snapshots restored before are not restored twice, the team is told once", async () => {
    // Prepare: EC2 fails every RestoreImageFromRecycleBin, after the first region's snapshots came back.
    deployment.account.setFaults({ serverErrorRate: 1, only: ["RestoreImageFromRecycleBin"] });
    const failed = await restore({ family, version: 1 }, localLambdaContext("restore", "killed")).catch(
      (error: unknown) => error,
    );
    deployment.account.setFaults({});
    const version = await deployment.runtime.reactions.registry.getVersion(family, 1);
    const copySnapshot = version?.regions[copyRegion]?.snapshotIds[0] ?? "";
    expect(failed).toBeInstanceOf(Error);
    expect(deployment.account.snapshots(copyRegion).map((snapshot) => snapshot.SnapshotId)).toContain(
      copySnapshot,
    );
    expect(version?.stage).toBe("deregistered");

    // Act
    const resumed = (await restore({ family, version: 1 }, localLambdaContext("restore", "again"))) as {
      regions: { region: string; actions: string[] }[];
    };
    await deployment.pump();

    // Assess
    expect(resumed.regions.find((region) => region.region === copyRegion)?.actions).toEqual([
      "restore-image",
      "cancel-deprecation",
      "remove-retired-tag",
      "confirm-sharing",
      "mark-active",
    ]);
    const after = await deployment.runtime.reactions.registry.getVersion(family, 1);
    expect(after?.stage).toBe("active");
    for (const region of [home, copyRegion]) {
      expect(deployment.account.image(region, after?.regions[region]?.imageId ?? "")?.State).toBe(
        "available",
      );
    }
    expect(restoredMessages(deployment)).toHaveLength(1);
    expect(deployment.account.iam.denials()).toEqual([]);
  });
});

describe("a restore past the recovery date", () => {
  let deployment: LocalDeployment;
  let restore: Handler;

  beforeAll(async () => {
    deployment = await retiredIntoBin();
    restore = createRestoreHandler(() => deployment.runtimeFor("restore")) as unknown as Handler;
  });
  afterAll(() => deployment.stop());

  it("is refused naming each region and what is missing, and changes nothing", async () => {
    // Prepare
    await deployment.advance(7 * dayMs);
    const before = await deployment.runtime.reactions.registry.getVersion(family, 1);
    const published = deployment.account.published().length;

    // Act
    const refused = await restore({ family, version: 1 }, localLambdaContext("restore", "late")).catch(
      (error: unknown) => error,
    );

    // Assess
    expect(refused).toBeInstanceOf(RestoreRefusedError);
    expect((refused as RestoreRefusedError).regions.map((region) => [region.region, region.missing])).toEqual(
      [copyRegion, home].map((region) => [
        region,
        `${before?.regions[region]?.imageId} was restorable until ${before?.regions[region]?.recoverableUntil}, which has passed`,
      ]),
    );
    expect(await deployment.runtime.reactions.registry.getVersion(family, 1)).toEqual(before);
    expect(deployment.account.published()).toHaveLength(published);
    for (const region of [home, copyRegion]) {
      expect(deployment.account.image(region, before?.regions[region]?.imageId ?? "")?.State).toBe(
        "deregistered",
      );
    }
  });

  it("rejects a request that does not match its contract with an error naming the field", async () => {
    // Act
    const rejected = await restore(
      { family, version: "one" },
      localLambdaContext("restore", "bad-input"),
    ).catch((error: unknown) => error);

    // Assess
    // The one handler wrapper throws a direct request's issues back as InvalidEventError.
    expect(rejected).toBeInstanceOf(InvalidEventError);
    expect((rejected as InvalidEventError).issues.map((issue) => issue.path)).toEqual(["version"]);
  });
});
