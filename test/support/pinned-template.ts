import type { LocalDeployment, SimulatedOrganization } from "@ami-lifecycle/simulated-account";
import { AutoScalingClient, CreateAutoScalingGroupCommand } from "@aws-sdk/client-auto-scaling";
import { orgAccounts } from "./organization-world";
import { buildVersion } from "./sharing-world";

const dayMs = 24 * 3600_000;
const EAST = "us-east-1";

/**
 * In account `accountId`: launch template "web" whose version 1 launches `pinned` and each later version
 * the next of `newer` (the last is $Default and $Latest), and Auto Scaling group "web" pinned to version 1,
 * so only the group's pin keeps `pinned` in use. Returns the template's id.
 */
export async function pinOldTemplateVersion(
  org: SimulatedOrganization,
  accountId: string,
  region: string,
  pinned: string,
  newer: readonly [string, ...string[]],
): Promise<string> {
  const templateId = org.createLaunchTemplate(accountId, region, "web", pinned);
  newer.forEach((imageId, index) => {
    org.addLaunchTemplateVersion(accountId, region, templateId, imageId, {
      makeDefault: index === newer.length - 1,
    });
  });
  const autoScaling = org.client(AutoScalingClient, region, { accountId });
  await autoScaling.send(
    new CreateAutoScalingGroupCommand({
      AutoScalingGroupName: "web",
      MinSize: 0,
      MaxSize: 2,
      LaunchTemplate: { LaunchTemplateId: templateId, Version: "1" },
    }),
  );
  autoScaling.destroy();
  return templateId;
}

/**
 * v1..v3 of base-al2023 built a day apart; consumer 2's group pins the template version that launches
 * v2 (the template's newest version launches v3). Returns the images, v1 first, and the template's id.
 */
export async function buildVersionsWithV2Pinned(
  deployment: LocalDeployment,
  org: SimulatedOrganization,
): Promise<{ images: string[]; templateId: string }> {
  const images: string[] = [];
  for (const name of ["base-al2023-2026.11.20", "base-al2023-2026.11.21", "base-al2023-2026.11.22"]) {
    images.push(await buildVersion(deployment, name));
    await deployment.advance(dayMs);
  }
  const [, v2, v3] = images as [string, string, string];
  const templateId = await pinOldTemplateVersion(org, orgAccounts.second, EAST, v2, [v3]);
  return { images, templateId };
}
