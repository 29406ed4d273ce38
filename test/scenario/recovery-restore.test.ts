import { runSweep, type SweepReport } from "@ami-lifecycle/core";
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

/** The decisions of one sweep for version 1, by region. */
const decisionsOf = (report: SweepReport) =>
  report.families[0]?.plan?.decisions.filter((decision) => decision.version === 1) ?? [];

describe("restore of a version retired into the Recycle Bin", () => {
  let deployment: LocalDeployment;
  let restore: Handler;
  let restoredAt = "";
  const sweep = async () => {
    const report = await runSweep(deployment.runtime.reactions, { now: deployment.account.clock.now() });
    await deployment.pump();
    return report;
  };
  const version1 = async () => deployment.runtime.reactions.registry.getVersion(family, 1);
  const restoredMessages = () =>
    deployment.account
      .published(deployment.topicArn)
      .filter((message) => message.messageAttributes.eventType?.StringValue === "restored");

  beforeAll(async () => {
    deployment = await startSharingDeployment(
      sharingConfig({ accounts: [consumers.first], createVolumePermission: true }),
      inject("dynamoEndpoint"),
    );
    restore = createRestoreHandler(() => deployment.runtimeFor("restore")) as unknown as Handler;
    await buildVersion(deployment, "base-al2023-2026.11.20");
    await deployment.advance(dayMs);
    await buildVersion(deployment, "base-al2023-2026.11.21");
    // Deprecated, disabled, then deregistered into the bin in both regions.
    for (let day = 1; day <= 4; day++) {
      await deployment.advance(dayMs);
      await sweep();
    }
  });
  afterAll(() => deployment.stop());

  it("restores snapshots then the image in every region, removes the retired tag and gives the consumers their sharing back", async () => {
    // Prepare
    const before = await version1();
    expect(Object.values(before?.regions ?? {}).map((record) => record.state)).toEqual([
      "recoverable",
      "recoverable",
    ]);

    // Act
    const result = (await restore({ family, version: 1 }, localLambdaContext("restore", "restore-1"))) as {
      regions: { region: string; from: string }[];
      heldUntil: string;
      restoredAt: string;
    };
    await deployment.pump();
    restoredAt = result.restoredAt;

    // Assess
    expect(result.regions.map((region) => [region.region, region.from])).toEqual([
      [copyRegion, "recycle-bin"],
      [home, "recycle-bin"],
    ]);
    const { account } = deployment;
    const after = await version1();
    expect(after).toMatchObject({ stage: "active", restoredAt, heldUntil: result.heldUntil });
    expect(Date.parse(result.heldUntil) - Date.parse(restoredAt)).toBe(14 * dayMs);
    for (const region of [home, copyRegion]) {
      const record = after?.regions[region];
      expect(record?.state).toBe("available");
      expect(record?.recordedSharing).toBeUndefined();
      const image = account.image(region, record?.imageId ?? "");
      expect(image?.State).toBe("available");
      expect(image?.DeprecationTime).toBeUndefined();
      expect(image?.Tags?.some((tag) => tag.Key === "ami-lifecycle:retired")).toBe(false);
      const snapshots = account
        .snapshots(region)
        .filter((snapshot) => record?.snapshotIds.includes(snapshot.SnapshotId ?? ""));
      expect(snapshots.map((snapshot) => snapshot.State)).toEqual(["completed"]);
      expect(snapshots[0]?.Tags?.some((tag) => tag.Key === "ami-lifecycle:retired")).toBe(false);
      expect(account.imagesInRecycleBin(region)).toEqual([]);
    }
    expect(account.iam.denials()).toEqual([]);
    expect(restoredMessages()).toHaveLength(1);
  });

  it("shares the restored image with its consumers again, launch and snapshot permissions", async () => {
    // Prepare
    const version = await version1();
    const sharing = deployment.runtime.reactions.sharing;

    // Act
    const launch = await sharing?.getLaunchPermissions(home, version?.regions[home]?.imageId ?? "");
    const volumes = await sharing?.getSnapshotVolumePermissions(
      home,
      version?.regions[home]?.snapshotIds[0] ?? "",
    );

    // Assess
    expect(launch?.accounts).toEqual([consumers.first]);
    expect(volumes?.accounts).toEqual([consumers.first]);
  });

  it("launches an instance from the restored image", async () => {
    // Prepare
    const imageId = (await version1())?.regions[home]?.imageId ?? "";

    // Act
    const instanceId = deployment.account.runInstance(home, imageId);

    // Assess
    expect(instanceId).toMatch(/^i-/);
    deployment.account.terminateInstance(home, instanceId);
  });

  it("answers a repeated request from the first result and tells the team once", async () => {
    // Act
    const again = (await restore({ family, version: 1 }, localLambdaContext("restore", "restore-2"))) as {
      restoredAt: string;
    };

    // Assess
    expect(again.restoredAt).toBe(restoredAt);
    expect(restoredMessages()).toHaveLength(1);
  });

  it("holds the version from retirement until the hold ends, saying why, then retires it again", async () => {
    // Act
    await deployment.advance(dayMs);
    const held = await sweep();
    await deployment.advance(14 * dayMs);
    const released = await sweep();

    // Assess
    const heldUntil = (await version1())?.heldUntil;
    expect(decisionsOf(held).map((decision) => decision.action)).toEqual(["keep", "keep"]);
    expect(decisionsOf(held)[0]?.reasons).toContainEqual({
      rule: "restored-hold",
      message: `restored on ${restoredAt.slice(0, 10)}, held until ${heldUntil}`,
    });
    expect(decisionsOf(released).map((decision) => decision.action)).toEqual(["deprecate", "deprecate"]);
  });
});
