import { type RestoreResult, restoreDependencies, restoreVersion, runSweep } from "@ami-lifecycle/core";
import type { LocalDeployment } from "@ami-lifecycle/simulated-account";
import { DeleteRuleCommand, ListRulesCommand, RbinClient } from "@aws-sdk/client-rbin";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { buildVersion, consumers, sharingConfig, startSharingDeployment } from "../support/sharing-world";

const dayMs = 24 * 3600_000;
const home = "us-east-1";
const copyRegion = "eu-west-1";
const family = "base-al2023";
const retired = { ResourceTagKey: "ami-lifecycle:retired", ResourceTagValue: "true" };

/** Two versions built a day apart; v1 is the retirement candidate. */
async function twoVersions(deployment: LocalDeployment): Promise<void> {
  await buildVersion(deployment, "base-al2023-2026.11.20");
  await deployment.advance(dayMs);
  await buildVersion(deployment, "base-al2023-2026.11.21");
}

/** Sweeps once a day for `days` days. */
async function sweepDays(deployment: LocalDeployment, days: number): Promise<void> {
  for (let day = 1; day <= days; day++) {
    await deployment.advance(dayMs);
    await runSweep(deployment.runtime.reactions, { now: deployment.account.clock.now() });
    await deployment.pump();
  }
}

/** Restores v1 as the restore Lambda's role does (its calls evaluated against that role). */
function restoreV1(deployment: LocalDeployment): Promise<RestoreResult> {
  const reactions = deployment.runtimeFor("restore").reactions;
  return restoreVersion(restoreDependencies(reactions), family, 1);
}

describe("restore of a deprecated version", () => {
  let deployment: LocalDeployment;

  beforeAll(async () => {
    deployment = await startSharingDeployment(
      sharingConfig(
        { accounts: [consumers.first] },
        {
          families: [
            {
              name: family,
              team: "platform",
              match: { namePattern: "base-al2023-*" },
              copyTo: [{ region: copyRegion, kmsKeyId: "alias/ami-lifecycle" }],
              sharing: { accounts: [consumers.first] },
              retention: { keepLatest: 1, minAgeDays: 0, deprecateAfterDays: 0, disableAfterDays: 30 },
            },
          ],
        },
      ),
      inject("dynamoEndpoint"),
    );
    await twoVersions(deployment);
    await sweepDays(deployment, 1);
  });
  afterAll(() => deployment.stop());

  it("cancels the deprecation in every region and gives back the launch permissions the sweep revoked", async () => {
    // Prepare
    const before = await deployment.runtime.reactions.registry.getVersion(family, 1);
    expect(before?.stage).toBe("deprecated");
    const homeImage = before?.regions[home]?.imageId ?? "";
    expect(deployment.account.image(home, homeImage)?.DeprecationTime).toBeDefined();

    // Act
    const result = await restoreV1(deployment);

    // Assess
    expect(result.regions.map((region) => [region.region, region.from, region.actions])).toEqual([
      [copyRegion, "deprecated", ["cancel-deprecation", "confirm-sharing", "mark-active"]],
      [home, "deprecated", ["cancel-deprecation", "confirm-sharing", "mark-active"]],
    ]);
    expect(result.regions.map((region) => region.reapplied?.accounts)).toEqual([
      [consumers.first],
      [consumers.first],
    ]);
    const after = await deployment.runtime.reactions.registry.getVersion(family, 1);
    expect(after?.stage).toBe("active");
    for (const region of [home, copyRegion]) {
      const image = deployment.account.image(region, after?.regions[region]?.imageId ?? "");
      expect(image?.DeprecationTime).toBeUndefined();
      const launch = await deployment.runtime.reactions.sharing?.getLaunchPermissions(
        region,
        image?.ImageId ?? "",
      );
      expect(launch?.accounts).toEqual([consumers.first]);
    }
    expect(deployment.account.iam.denials()).toEqual([]);
  });
});

describe("restore of a disabled version", () => {
  let deployment: LocalDeployment;

  beforeAll(async () => {
    deployment = await startSharingDeployment(
      sharingConfig({ accounts: [consumers.first], createVolumePermission: true }),
      inject("dynamoEndpoint"),
    );
    // No Recycle Bin rule anywhere: retirement stops at disabled.
    for (const region of [home, copyRegion]) {
      const rbin = deployment.account.client(RbinClient, region);
      for (const ResourceType of ["EC2_IMAGE", "EBS_SNAPSHOT"] as const) {
        const { Rules } = await rbin.send(new ListRulesCommand({ ResourceType, ResourceTags: [retired] }));
        for (const rule of Rules ?? [])
          await rbin.send(new DeleteRuleCommand({ Identifier: rule.Identifier }));
      }
    }
    await twoVersions(deployment);
    await sweepDays(deployment, 3);
  });
  afterAll(() => deployment.stop());

  it("enables the image, cancels its deprecation and re-applies the recorded launch and snapshot permissions", async () => {
    // Prepare
    const before = await deployment.runtime.reactions.registry.getVersion(family, 1);
    expect(before?.stage).toBe("disabled");
    const snapshotId = before?.regions[home]?.snapshotIds[0] ?? "";

    // Act
    const result = await restoreV1(deployment);

    // Assess (before any event is delivered: what the restore itself did)
    expect(result.regions.map((region) => [region.region, region.from, region.actions])).toEqual([
      [copyRegion, "disabled", ["enable-image", "cancel-deprecation", "confirm-sharing", "mark-active"]],
      [home, "disabled", ["enable-image", "cancel-deprecation", "confirm-sharing", "mark-active"]],
    ]);
    const homeResult = result.regions.find((region) => region.region === home);
    expect(homeResult?.reapplied).toEqual({
      accounts: [consumers.first],
      organizationArns: [],
      organizationalUnitArns: [],
      snapshotAccounts: { [snapshotId]: [consumers.first] },
    });
    const imageId = before?.regions[home]?.imageId ?? "";
    expect(deployment.account.image(home, imageId)?.State).toBe("available");
    const sharing = deployment.runtime.reactions.sharing;
    expect((await sharing?.getLaunchPermissions(home, imageId))?.accounts).toEqual([consumers.first]);
    expect((await sharing?.getSnapshotVolumePermissions(home, snapshotId))?.accounts).toEqual([
      consumers.first,
    ]);
    await deployment.pump();
    const after = await deployment.runtime.reactions.registry.getVersion(family, 1);
    expect(after?.stage).toBe("active");
    expect(Object.values(after?.regions ?? {}).map((record) => record.state)).toEqual([
      "available",
      "available",
    ]);
    expect(deployment.account.iam.denials()).toEqual([]);
    expect(deployment.deadLetters).toEqual([]);
  });
});
