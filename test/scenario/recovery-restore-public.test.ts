import {
  planRestore,
  RestoreRefusedError,
  restoreDependencies,
  restoreVersion,
  runSweep,
} from "@ami-lifecycle/core";
import type { LocalDeployment } from "@ami-lifecycle/simulated-account";
import {
  DisableImageBlockPublicAccessCommand,
  EC2Client,
  ModifyImageAttributeCommand,
} from "@aws-sdk/client-ec2";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { CommandFailedError } from "../../packages/cli/src/cli/errors";
import { restoreOnTarget } from "../../packages/cli/src/commands/restore";
import { localDeploymentTarget } from "../../packages/cli/src/targets/service-target";
import { printedIo } from "../support/retired-family-world";
import { buildVersion, consumers, sharingConfig, startSharingDeployment } from "../support/sharing-world";

const dayMs = 24 * 3600_000;
const home = "us-east-1";
const copyRegion = "eu-west-1";
const family = "base-al2023";
const mallory = "arn:aws:iam::111122223333:user/mallory";
const operator = "arn:aws:iam::111122223333:role/operator";

/** Restore's dependencies as the restore Lambda's role has them (its calls evaluated against that role). */
const restoreDeps = (deployment: LocalDeployment) =>
  restoreDependencies(deployment.runtimeFor("restore").reactions);

/** Sets or removes group `all` on the image, as `principalArn`, and delivers the events it caused. */
async function setPublic(deployment: LocalDeployment, imageId: string, principalArn: string, on: boolean) {
  const ec2 = deployment.account.client(EC2Client, home, { principalArn });
  const change = on ? { Add: [{ Group: "all" as const }] } : { Remove: [{ Group: "all" as const }] };
  await ec2.send(new ModifyImageAttributeCommand({ ImageId: imageId, LaunchPermission: change }));
  await deployment.pump();
}

/** The changing (non-read) EC2 calls the account applied since recordCallOrder(). */
const changingCalls = (deployment: LocalDeployment) =>
  deployment.account
    .appliedCallOrder()
    .filter((call) => !/:(Describe|List|Get)/.test(call) && !call.endsWith(":Publish"));

describe("restore of a deprecated version whose image is public in one region", () => {
  let deployment: LocalDeployment;
  let homeImage: string;
  let copyImage: string;

  beforeAll(async () => {
    // Prepare: the guard only alerts, so mallory's public sharing of v1's home image stays; v1 is deprecated.
    deployment = await startSharingDeployment(
      sharingConfig(
        { accounts: [consumers.first] },
        {
          guard: { publicImages: "alert" },
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
    await deployment.account
      .client(EC2Client, home, { principalArn: mallory })
      .send(new DisableImageBlockPublicAccessCommand({}));
    await buildVersion(deployment, "base-al2023-2026.11.20");
    await deployment.advance(dayMs);
    await buildVersion(deployment, "base-al2023-2026.11.21");
    await deployment.advance(dayMs);
    await runSweep(deployment.runtime.reactions, { now: deployment.account.clock.now() });
    await deployment.pump();
    const v1 = await deployment.runtime.reactions.registry.getVersion(family, 1);
    expect(v1?.stage).toBe("deprecated");
    homeImage = v1?.regions[home]?.imageId ?? "";
    copyImage = v1?.regions[copyRegion]?.imageId ?? "";
    await setPublic(deployment, homeImage, mallory, true);
    expect(deployment.account.image(home, homeImage)?.Public).toBe(true);
  });
  afterAll(() => deployment.stop());

  it("the plan refuses before anything runs, naming the public image, its region and how to make it private", async () => {
    // Act
    const refused = await planRestore(restoreDeps(deployment), family, 1).catch((error: unknown) => error);

    // Assess
    expect(refused).toBeInstanceOf(RestoreRefusedError);
    const regions = (refused as RestoreRefusedError).regions;
    expect(regions).toEqual([
      {
        region: home,
        imageId: homeImage,
        reason: "image-public",
        missing: `${homeImage} is public, and EC2 cancels the deprecation of a private image only`,
        remedy: `make it private (aws ec2 modify-image-attribute --region ${home} --image-id ${homeImage} --launch-permission "Remove=[{Group=all}]") or let the public-sharing guard revert it, then run restore again`,
      },
    ]);
    expect((refused as Error).message).toContain(`${home}: ${homeImage} is public`);
    expect(deployment.account.iam.denials()).toEqual([]);
  });

  it("the CLI's plan, with the operator's credentials, exits with the refusal and says to make the image private", async () => {
    // Prepare
    const target = localDeploymentTarget(deployment, { label: "public image", close: async () => {} });
    const io = printedIo();

    // Act
    const failed = await restoreOnTarget(target, io, { family, version: 1, apply: false, json: true }).catch(
      (error: unknown) => error,
    );

    // Assess
    expect(failed).toBeInstanceOf(CommandFailedError);
    expect((failed as CommandFailedError).message).toContain(
      `${family} v1 cannot be restored, nothing was changed: ${home}: ${homeImage} is public`,
    );
    expect((failed as CommandFailedError).message).toContain(
      `--image-id ${homeImage} --launch-permission "Remove=[{Group=all}]"`,
    );
    expect((failed as CommandFailedError).hint).toBe(
      "make the public image private as above, then run the same command again",
    );
    expect(io.printed()).toBe("");
    expect(deployment.account.iam.denials()).toEqual([]);
  });

  it("--apply changes nothing in any region while the image is public: no half-restored version", async () => {
    // Prepare
    deployment.account.recordCallOrder();

    // Act
    const refused = await restoreVersion(restoreDeps(deployment), family, 1).catch((error: unknown) => error);

    // Assess: EC2 and the registry as they were; the image stays public (restore never changes that)
    expect(refused).toBeInstanceOf(RestoreRefusedError);
    expect(changingCalls(deployment)).toEqual([]);
    expect(deployment.account.image(home, homeImage)?.Public).toBe(true);
    for (const [region, imageId] of [
      [home, homeImage],
      [copyRegion, copyImage],
    ] as const)
      expect(deployment.account.image(region, imageId)?.DeprecationTime).toBeDefined();
    const v1 = await deployment.runtime.reactions.registry.getVersion(family, 1);
    expect(v1?.stage).toBe("deprecated");
    expect(v1?.restoredAt).toBeUndefined();
  });

  it("restores every region once the owner made the image private", async () => {
    // Prepare
    await setPublic(deployment, homeImage, operator, false);

    // Act
    const result = await restoreVersion(restoreDeps(deployment), family, 1);

    // Assess
    expect(result.regions.map((region) => [region.region, region.from, region.actions[0]])).toEqual([
      [copyRegion, "deprecated", "cancel-deprecation"],
      [home, "deprecated", "cancel-deprecation"],
    ]);
    expect(deployment.account.image(home, homeImage)?.DeprecationTime).toBeUndefined();
    expect(deployment.account.image(home, homeImage)?.Public).toBe(false);
    expect((await deployment.runtime.reactions.registry.getVersion(family, 1))?.stage).toBe("active");
    expect(deployment.account.iam.denials()).toEqual([]);
  });
});
