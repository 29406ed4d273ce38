import { type ImageService, type ImageSharingService, runSweep } from "@ami-lifecycle/core";
import type { LocalDeployment } from "@ami-lifecycle/simulated-account";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { buildVersion, consumers, sharingConfig, startSharingDeployment } from "../support/sharing-world";

const dayMs = 24 * 3600_000;

/** What a consumer could still use of an image at the moment the service disabled or deregistered it. */
interface RetirementSnapshot {
  call: "disableImage" | "deregisterImage";
  region: string;
  imageId: string;
  launch: string[];
  volumes: string[];
}

describe("retiring a shared version", () => {
  let deployment: LocalDeployment;
  const seen: RetirementSnapshot[] = [];

  beforeAll(async () => {
    deployment = await startSharingDeployment(
      sharingConfig({ accounts: [consumers.first], createVolumePermission: true }),
      inject("dynamoEndpoint"),
    );
    // Look at the account through the service's own ports right when it disables or deregisters.
    const reactions = deployment.runtime.reactions;
    const images = reactions.images;
    const sharing = reactions.sharing as ImageSharingService;
    const observe = async (call: RetirementSnapshot["call"], region: string, imageId: string) => {
      const image = await images.describeImage(region, imageId);
      const launch = await sharing.getLaunchPermissions(region, imageId);
      const volumes: string[] = [];
      for (const snapshot of image?.snapshots ?? []) {
        volumes.push(...(await sharing.getSnapshotVolumePermissions(region, snapshot.snapshotId)).accounts);
      }
      seen.push({ call, region, imageId, launch: launch.accounts, volumes });
    };
    const observed: ImageService = Object.create(images);
    observed.disableImage = async (region, imageId) => {
      await observe("disableImage", region, imageId);
      return images.disableImage(region, imageId);
    };
    observed.deregisterImage = async (region, imageId) => {
      await observe("deregisterImage", region, imageId);
      return images.deregisterImage(region, imageId);
    };
    reactions.images = observed;
  });
  afterAll(() => deployment.stop());

  it("revokes every consumer before disabling and before deregistering, in every region", async () => {
    // Prepare
    await buildVersion(deployment, "base-al2023-2026.11.20");
    await deployment.advance(dayMs);
    await buildVersion(deployment, "base-al2023-2026.11.21");

    // Act
    for (let day = 1; day <= 4; day++) {
      await deployment.advance(dayMs);
      await runSweep(deployment.runtime.reactions, { now: deployment.account.clock.now() });
      await deployment.pump();
    }

    // Assess
    const registry = deployment.runtime.reactions.registry;
    expect((await registry.getVersion("base-al2023", 1))?.stage).toBe("deregistered");
    expect(seen.map((entry) => `${entry.call} ${entry.region}`).sort()).toEqual([
      "deregisterImage eu-west-1",
      "deregisterImage us-east-1",
      "disableImage eu-west-1",
      "disableImage us-east-1",
    ]);
    for (const entry of seen) {
      expect(entry).toMatchObject({
        launch: [],
        volumes: [],
      });
    }
    const kept = await registry.getVersion("base-al2023", 2);
    const sharing = deployment.runtime.reactions.sharing as ImageSharingService;
    for (const image of Object.values(kept?.regions ?? {})) {
      expect((await sharing.getLaunchPermissions(image.region, image.imageId ?? "")).accounts).toEqual([
        consumers.first,
      ]);
    }
    expect(deployment.deadLetters).toEqual([]);
  });
});
