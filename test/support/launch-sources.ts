import type { VersionRecord } from "@ami-lifecycle/core";
import type { LocalDeployment } from "@ami-lifecycle/simulated-account";
import {
  AutoScalingClient,
  CreateAutoScalingGroupCommand,
  CreateLaunchConfigurationCommand,
} from "@aws-sdk/client-auto-scaling";
import { imageOf } from "./retention-world";

/** Region the launch sources live in (the family's home region). */
export const launchRegion = "us-east-1";

/** What `useFromAutoScalingOnly` set up, to check the kept versions and their reasons against. */
export interface LaunchSources {
  /** v1: only a launch configuration names it */
  launchConfiguration: { version: number; name: string };
  /** v2: only version 1 of a template whose $Default and $Latest are the newest version, pinned by a group */
  pinned: { version: number; group: string; templateId: string; templateName: string };
  /** v3: only a mixed instances override's own template (version 1; its $Default/$Latest are the newest version) */
  override: { version: number; group: string; templateId: string; templateName: string };
  /** v4: only version 1 of a template nothing pins ($Default/$Latest are the newest version) */
  oldVersion: { version: number; templateId: string; templateName: string };
}

/**
 * Makes v1–v4 used only by what DescribeImageReferences does not report (or reports without the
 * version): a launch configuration, a group pinned to an old template version, a mixed instances
 * override, an old template version. The newest version (kept anyway) is every template's $Default/$Latest.
 */
export async function useFromAutoScalingOnly(
  deployment: LocalDeployment,
  versions: readonly VersionRecord[],
): Promise<LaunchSources> {
  const { account } = deployment;
  const image = (number: number) =>
    imageOf(
      versions.find((record) => record.version === number),
      launchRegion,
    );
  const newest = image(Math.max(...versions.map((record) => record.version)));
  const autoScaling = account.client(AutoScalingClient, launchRegion);
  await autoScaling.send(
    new CreateLaunchConfigurationCommand({ LaunchConfigurationName: "web-legacy", ImageId: image(1) }),
  );
  const oldTemplate = (name: string, oldImage: string) => {
    const templateId = account.createLaunchTemplate(launchRegion, name, oldImage);
    account.addLaunchTemplateVersion(launchRegion, templateId, newest, { makeDefault: true });
    return templateId;
  };
  const pinnedTemplate = oldTemplate("web-pinned-lt", image(2));
  await autoScaling.send(
    new CreateAutoScalingGroupCommand({
      AutoScalingGroupName: "web-pinned",
      MinSize: 0,
      MaxSize: 2,
      LaunchTemplate: { LaunchTemplateId: pinnedTemplate, Version: "1" },
    }),
  );
  const baseTemplate = account.createLaunchTemplate(launchRegion, "web-base-lt", newest);
  const overrideTemplate = oldTemplate("web-graviton-lt", image(3));
  await autoScaling.send(
    new CreateAutoScalingGroupCommand({
      AutoScalingGroupName: "web-mixed",
      MinSize: 0,
      MaxSize: 4,
      MixedInstancesPolicy: {
        LaunchTemplate: {
          LaunchTemplateSpecification: { LaunchTemplateId: baseTemplate, Version: "$Latest" },
          Overrides: [
            { InstanceType: "m6i.large" },
            {
              InstanceType: "m7g.large",
              LaunchTemplateSpecification: { LaunchTemplateId: overrideTemplate, Version: "1" },
            },
          ],
        },
      },
    }),
  );
  const unpinnedTemplate = oldTemplate("web-rollback-lt", image(4));
  autoScaling.destroy();
  return {
    launchConfiguration: { version: 1, name: "web-legacy" },
    pinned: { version: 2, group: "web-pinned", templateId: pinnedTemplate, templateName: "web-pinned-lt" },
    override: {
      version: 3,
      group: "web-mixed",
      templateId: overrideTemplate,
      templateName: "web-graviton-lt",
    },
    oldVersion: { version: 4, templateId: unpinnedTemplate, templateName: "web-rollback-lt" },
  };
}
