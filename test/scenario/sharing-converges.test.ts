import { runSweep, type SweepDependencies } from "@ami-lifecycle/core";
import type { LocalDeployment } from "@ami-lifecycle/simulated-account";
import {
  DescribeImageAttributeCommand,
  DescribeSnapshotAttributeCommand,
  EC2Client,
} from "@aws-sdk/client-ec2";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { buildVersion, consumers, sharingConfig, startSharingDeployment } from "../support/sharing-world";

describe("sharing a family with consumer accounts", () => {
  let deployment: LocalDeployment;

  beforeAll(async () => {
    deployment = await startSharingDeployment(
      sharingConfig({ accounts: [consumers.first], createVolumePermission: true }),
      inject("dynamoEndpoint"),
    );
  });
  afterAll(() => deployment.stop());

  /** Who may launch each of the version's images, and create volumes from each snapshot, read from EC2. */
  async function grants(version: number) {
    const record = await deployment.runtime.reactions.registry.getVersion("base-al2023", version);
    const result: Record<string, { launch: string[]; volumes: string[][] }> = {};
    for (const [region, image] of Object.entries(record?.regions ?? {})) {
      const ec2 = deployment.account.client(EC2Client, region);
      const { LaunchPermissions } = await ec2.send(
        new DescribeImageAttributeCommand({ ImageId: image.imageId, Attribute: "launchPermission" }),
      );
      const volumes: string[][] = [];
      for (const snapshotId of image.snapshotIds) {
        const { CreateVolumePermissions } = await ec2.send(
          new DescribeSnapshotAttributeCommand({
            SnapshotId: snapshotId,
            Attribute: "createVolumePermission",
          }),
        );
        volumes.push(
          (CreateVolumePermissions ?? []).map((permission) => permission.UserId ?? permission.Group ?? ""),
        );
      }
      result[region] = {
        launch: (LaunchPermissions ?? [])
          .map((permission) => permission.UserId ?? permission.Group ?? "")
          .sort(),
        volumes,
      };
    }
    return result;
  }

  it("shares each image the moment it is available in a region, snapshots included", async () => {
    // Act
    await buildVersion(deployment, "base-al2023-2026.11.20");

    // Assess
    expect(await grants(1)).toEqual({
      "us-east-1": { launch: [consumers.first], volumes: [[consumers.first]] },
      "eu-west-1": { launch: [consumers.first], volumes: [[consumers.first]] },
    });
    expect(deployment.deadLetters).toEqual([]);
  });

  it("converges on a changed config in one sweep: the added consumer granted, the removed one revoked", async () => {
    // Prepare
    const changed: SweepDependencies = {
      ...deployment.runtime.reactions,
      config: sharingConfig({ accounts: [consumers.second], createVolumePermission: false }),
    };

    // Act
    const report = await runSweep(changed, { now: deployment.account.clock.now() });

    // Assess
    expect(await grants(1)).toEqual({
      "us-east-1": { launch: [consumers.second], volumes: [[]] },
      "eu-west-1": { launch: [consumers.second], volumes: [[]] },
    });
    const changes = report.families.flatMap((family) => family.sharing ?? []);
    expect(changes.filter((change) => change.kind === "launch-permission")).toHaveLength(2);
    expect(changes.filter((change) => change.kind === "create-volume-permission")).toHaveLength(2);
    expect(report.families.flatMap((family) => family.failures)).toEqual([]);
  });

  it("changes nothing when already in sync", async () => {
    // Prepare
    const same: SweepDependencies = {
      ...deployment.runtime.reactions,
      config: sharingConfig({ accounts: [consumers.second] }),
    };
    deployment.account.resetCallCounts();

    // Act
    const report = await runSweep(same, { now: deployment.account.clock.now() });

    // Assess
    expect(report.families.flatMap((family) => family.sharing ?? [])).toEqual([]);
    const writes = Object.keys(deployment.account.callCounts()).filter((call) => /Modify/.test(call));
    expect(writes).toEqual([]);
  });

  it("revokes everything once the config shares with nobody, then stops reading launch permissions", async () => {
    // Prepare
    const nobody: SweepDependencies = {
      ...deployment.runtime.reactions,
      config: sharingConfig({ accounts: [] }),
    };
    const attributeReads = () =>
      Object.entries(deployment.account.callCounts())
        .filter(([call]) => call.endsWith(":DescribeImageAttribute"))
        .reduce((sum, [, count]) => sum + count, 0);

    // Act
    const revoking = await runSweep(nobody, { now: deployment.account.clock.now() });
    deployment.account.resetCallCounts();
    const afterwards = await runSweep(nobody, { now: deployment.account.clock.now() });
    const readsAfterwards = attributeReads();

    // Assess
    expect(await grants(1)).toEqual({
      "us-east-1": { launch: [], volumes: [[]] },
      "eu-west-1": { launch: [], volumes: [[]] },
    });
    const revoked = revoking.families.flatMap((family) => family.sharing ?? []);
    expect(revoked.filter((change) => change.kind === "launch-permission")).toHaveLength(2);
    expect(afterwards.families.flatMap((family) => family.failures)).toEqual([]);
    expect(readsAfterwards).toBe(0);
  });
});
