import {
  confirmGoneFromBin,
  type RestoreDependencies,
  restoreDependencies,
  restoreVersion,
  runSweep,
} from "@ami-lifecycle/core";
import type { LocalDeployment } from "@ami-lifecycle/simulated-account";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { buildVersion, consumers, sharingConfig, startSharingDeployment } from "../support/sharing-world";

const dayMs = 24 * 3600_000;
const home = "us-east-1";
const family = "base-al2023";

/** The restore Lambda stopping (timeout, crash) once RestoreImageFromRecycleBin has run. */
class RestoreKilledError extends Error {}

/** One region only, so the interrupted restore leaves exactly one image back in EC2 and nothing binned. */
const homeOnly = sharingConfig(
  { accounts: [consumers.first], createVolumePermission: true },
  {
    families: [
      {
        name: family,
        team: "platform",
        match: { namePattern: "base-al2023-*" },
        copyTo: [],
        sharing: { accounts: [consumers.first], createVolumePermission: true },
        retention: {
          keepLatest: 1,
          minAgeDays: 0,
          deprecateAfterDays: 0,
          disableAfterDays: 1,
          deregisterAfterDays: 1,
        },
      },
    ],
  },
);

/** Two versions, then sweeps until v1 is deregistered into the bin. */
async function retireV1IntoTheBin(deployment: LocalDeployment): Promise<void> {
  await buildVersion(deployment, "base-al2023-2026.11.20");
  await deployment.advance(dayMs);
  await buildVersion(deployment, "base-al2023-2026.11.21");
  for (let day = 1; day <= 4; day++) await sweep(deployment);
}

async function sweep(deployment: LocalDeployment): Promise<void> {
  await deployment.advance(dayMs);
  await runSweep(deployment.runtime.reactions, { now: deployment.account.clock.now() });
  await deployment.pump();
}

/** The restore Lambda's own dependencies (its role's calls evaluated). */
function restoreDeps(deployment: LocalDeployment): RestoreDependencies {
  return restoreDependencies(deployment.runtimeFor("restore").reactions);
}

/** Runs a restore of v1 that is killed right after the image left the bin (before its deprecation is cancelled). */
async function interruptedRestore(deployment: LocalDeployment): Promise<void> {
  const deps = restoreDeps(deployment);
  const killed: RestoreDependencies = {
    ...deps,
    restore: {
      ...deps.restore,
      binContents: deps.restore.binContents.bind(deps.restore),
      snapshotStates: deps.restore.snapshotStates.bind(deps.restore),
      restoreSnapshot: deps.restore.restoreSnapshot.bind(deps.restore),
      restoreImage: deps.restore.restoreImage.bind(deps.restore),
      enableImage: deps.restore.enableImage.bind(deps.restore),
      removeTag: deps.restore.removeTag.bind(deps.restore),
      cancelDeprecation: async () => {
        throw new RestoreKilledError("restore Lambda timed out");
      },
    },
  };
  await expect(restoreVersion(killed, family, 1)).rejects.toBeInstanceOf(RestoreKilledError);
}

/** Moves the clock one day past the date the bin would have kept v1's image until. */
async function pastRecoveryDate(deployment: LocalDeployment, recoverableUntil: string): Promise<void> {
  const now = deployment.account.clock.now().getTime();
  await deployment.advance(Date.parse(recoverableUntil) - now + dayMs);
}

const version1 = (deployment: LocalDeployment) => deployment.runtime.reactions.registry.getVersion(family, 1);

/** What the re-run left: the registry's version and region record, EC2's image and its sharing. */
async function assessRestored(deployment: LocalDeployment, imageId: string) {
  const after = await version1(deployment);
  expect(after?.stage).toBe("active");
  expect(after?.regions[home]?.state).toBe("available");
  expect(after?.regions[home]?.recoverableUntil).toBeUndefined();
  const image = deployment.account.image(home, imageId);
  expect(image?.State).toBe("available");
  expect(image?.DeprecationTime).toBeUndefined();
  expect(image?.Tags?.some((tag) => tag.Key === "ami-lifecycle:retired")).toBe(false);
  const launch = await deployment.runtime.reactions.sharing?.getLaunchPermissions(home, imageId);
  expect(launch?.accounts).toEqual([consumers.first]);
  expect(deployment.account.iam.denials()).toEqual([]);
}

describe("a restore killed after the image left the bin, re-run after the recovery date", () => {
  let deployment: LocalDeployment;
  let imageId = "";
  let recoverableUntil = "";

  beforeAll(async () => {
    deployment = await startSharingDeployment(homeOnly, inject("dynamoEndpoint"));
    await retireV1IntoTheBin(deployment);
    const record = (await version1(deployment))?.regions[home];
    imageId = record?.imageId ?? "";
    recoverableUntil = record?.recoverableUntil ?? "";
    await interruptedRestore(deployment);
  });
  afterAll(() => deployment.stop());

  it("finishes the remaining steps: the image is back in EC2, so the bin's date does not apply", async () => {
    // Prepare
    expect(deployment.account.image(home, imageId)?.State).toBe("available");
    expect(deployment.account.imagesInRecycleBin(home)).toEqual([]);
    expect((await version1(deployment))?.regions[home]?.state).toBe("recoverable");
    await pastRecoveryDate(deployment, recoverableUntil);

    // Act
    const result = await restoreVersion(restoreDeps(deployment), family, 1);

    // Assess
    expect(result.regions.map((region) => [region.region, region.from, region.actions])).toEqual([
      [home, "recycle-bin", ["cancel-deprecation", "remove-retired-tag", "confirm-sharing", "mark-active"]],
    ]);
    await assessRestored(deployment, imageId);
  });
});

describe("a sweep between a restore killed after the image left the bin and its re-run", () => {
  let deployment: LocalDeployment;
  let imageId = "";

  beforeAll(async () => {
    deployment = await startSharingDeployment(homeOnly, inject("dynamoEndpoint"));
    await retireV1IntoTheBin(deployment);
    const record = (await version1(deployment))?.regions[home];
    imageId = record?.imageId ?? "";
    await interruptedRestore(deployment);
    await pastRecoveryDate(deployment, record?.recoverableUntil ?? "");
  });
  afterAll(() => deployment.stop());

  it("confirm-gone asks EC2 too: an image the bin no longer holds but EC2 lists is never recorded deregistered", async () => {
    // Prepare (recoverable: what the sweep holds when its resync of the region from EC2 failed)
    const versions = await deployment.runtime.reactions.registry.listVersions(family);
    expect(versions.find((version) => version.version === 1)?.regions[home]?.state).toBe("recoverable");
    const config = deployment.runtime.reactions.config.families[0];
    if (!config) throw new Error("the scenario configures one family");

    // Act
    const gone = await confirmGoneFromBin(
      deployment.runtime.reactions,
      config,
      versions,
      deployment.account.clock.now(),
    );

    // Assess
    expect(gone).toEqual({ confirmed: [], failures: [] });
    expect((await version1(deployment))?.regions[home]?.state).toBe("recoverable");
  });

  it("the sweep never records the image deregistered while EC2 lists it", async () => {
    // Act
    await sweep(deployment);

    // Assess (the sweep resyncs the record from EC2's listing and catches the region up with the
    // version's stage: the image is disabled again, never deregistered without the bin)
    const record = (await version1(deployment))?.regions[home];
    expect(record?.state).not.toBe("deregistered");
    expect(deployment.account.image(home, imageId)?.State).toBe("disabled");
  });

  it("lets the re-run finish the restore", async () => {
    // Act
    const result = await restoreVersion(restoreDeps(deployment), family, 1);

    // Assess
    expect(result.regions.map((region) => [region.region, region.from, region.actions])).toEqual([
      [
        home,
        "disabled",
        ["enable-image", "cancel-deprecation", "remove-retired-tag", "confirm-sharing", "mark-active"],
      ],
    ]);
    await assessRestored(deployment, imageId);
  });
});
