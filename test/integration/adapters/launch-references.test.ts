import { type AwsClients, createClients, Ec2ImageService, ec2ImageReferences } from "@ami-lifecycle/aws";
import type { ImageReference } from "@ami-lifecycle/core";
import { fastRetryStrategy, SimulatedAccount } from "@ami-lifecycle/simulated-account";
import {
  AutoScalingClient,
  CreateAutoScalingGroupCommand,
  CreateLaunchConfigurationCommand,
} from "@aws-sdk/client-auto-scaling";
import type { EC2Client } from "@aws-sdk/client-ec2";
import { afterEach, describe, expect, it } from "vitest";
import { withoutImageReferences } from "../../support/without-image-references";

const home = "eu-west-1";
const opened: AwsClients[] = [];
afterEach(() => {
  for (const clients of opened.splice(0)) clients.destroy();
});

/** A simulated account, the adapter over it, and an Auto Scaling client to set groups up with. */
function setup(options: { withoutImageReferences?: boolean } = {}) {
  const account = new SimulatedAccount({ regions: [home] });
  const clients = createClients({
    regions: [home],
    newAutoScalingClient: ec2ImageReferences.newAutoScalingClient,
    clientConfig: {
      credentials: { accessKeyId: "test", secretAccessKey: "test" },
      retryStrategy: fastRetryStrategy(1),
    },
    configureClient: (client, service) => {
      account.attach(client);
      if (service === "EC2" && options.withoutImageReferences) withoutImageReferences(client as EC2Client);
    },
  });
  opened.push(clients);
  const autoScaling = account.client(AutoScalingClient, home);
  return {
    account,
    service: new Ec2ImageService({
      clients,
      clock: account.clock,
      references: ec2ImageReferences.finder(clients),
    }),
    autoScaling,
  };
}

/** "type detail" of each reference, sorted: what retention's reason will say. */
const described = (references: ImageReference[]) =>
  references.map((reference) => `${reference.resourceType} ${reference.detail ?? reference.arn}`).sort();

describe("launch sources DescribeImageReferences does not report", () => {
  it("finds launch configurations and each group's resolved launch template version, overrides included", async () => {
    // Prepare
    const { account, service, autoScaling } = setup();
    const [old, current, other] = ["old", "current", "other"].map((name) =>
      account.seedImage(home, { name }),
    ) as [string, string, string];
    const template = account.createLaunchTemplate(home, "web", old);
    account.addLaunchTemplateVersion(home, template, current, { makeDefault: true });
    const arm = account.createLaunchTemplate(home, "arm", other);
    await autoScaling.send(
      new CreateLaunchConfigurationCommand({ LaunchConfigurationName: "spare", ImageId: old }),
    );
    await autoScaling.send(
      new CreateLaunchConfigurationCommand({ LaunchConfigurationName: "legacy", ImageId: other }),
    );
    const group = (name: string, source: object) =>
      autoScaling.send(
        new CreateAutoScalingGroupCommand({ AutoScalingGroupName: name, MinSize: 0, MaxSize: 1, ...source }),
      );
    await group("legacy-group", { LaunchConfigurationName: "legacy" });
    await group("pinned", { LaunchTemplate: { LaunchTemplateId: template, Version: "1" } });
    await group("follows-default", { LaunchTemplate: { LaunchTemplateName: "web" } });
    await group("mixed", {
      MixedInstancesPolicy: {
        LaunchTemplate: {
          LaunchTemplateSpecification: { LaunchTemplateId: template, Version: "$Latest" },
          Overrides: [
            {
              InstanceType: "m7g.large",
              LaunchTemplateSpecification: { LaunchTemplateId: arm, Version: "1" },
            },
          ],
        },
      },
    });

    // Act
    const references = await service.findReferences(home, [old, current, other]);

    // Assess
    expect(
      described(references.filter((reference) => reference.resourceType.startsWith("autoscaling:"))),
    ).toEqual(
      [
        "autoscaling:LaunchConfiguration launch configuration spare",
        "autoscaling:LaunchConfiguration launch configuration legacy used by Auto Scaling group legacy-group",
        `autoscaling:AutoScalingGroup Auto Scaling group pinned launches launch template web (${template}) version 1`,
        `autoscaling:AutoScalingGroup Auto Scaling group follows-default launches launch template web (${template}) version 2 ($Default)`,
        `autoscaling:AutoScalingGroup Auto Scaling group mixed launches launch template web (${template}) version 2 ($Latest)`,
        `autoscaling:AutoScalingGroup Auto Scaling group mixed launches launch template arm (${arm}) version 1 for override m7g.large`,
      ].sort(),
    );
    expect(references.find((reference) => reference.detail?.includes("group pinned"))?.arn).toMatch(
      /^arn:aws:autoscaling:eu-west-1:111122223333:autoScalingGroup:[0-9a-f-]+:autoScalingGroupName\/pinned$/,
    );
    // DescribeImageReferences' launch template references now say which versions use the image.
    expect(
      described(references.filter((reference) => reference.resourceType === "ec2:LaunchTemplate")),
    ).toEqual(
      [
        `ec2:LaunchTemplate launch template web (${template}) version 1`,
        `ec2:LaunchTemplate launch template web (${template}) version 2`,
        `ec2:LaunchTemplate launch template arm (${arm}) version 1`,
      ].sort(),
    );
  });

  it("reads every page of groups and launch configurations (100 a page)", async () => {
    // Prepare
    const { account, service, autoScaling } = setup();
    const image = account.seedImage(home, { name: "fleet" });
    for (let index = 0; index < 101; index++) {
      await autoScaling.send(
        new CreateLaunchConfigurationCommand({ LaunchConfigurationName: `lc-${index}`, ImageId: image }),
      );
    }
    account.resetCallCounts();

    // Act
    const references = await service.findReferences(home, [image]);

    // Assess
    expect(
      references.filter((reference) => reference.resourceType === "autoscaling:LaunchConfiguration"),
    ).toHaveLength(101);
    expect(account.callCounts()[`${home}:DescribeLaunchConfigurations`]).toBe(2);
  });
});

describe("the reference fallback", () => {
  it("sees every launch template version, not only $Default and $Latest, and names the versions", async () => {
    // Prepare
    const { account, service } = setup({ withoutImageReferences: true });
    const [pinned, twice, newest] = ["pinned", "twice", "newest"].map((name) =>
      account.seedImage(home, { name }),
    ) as [string, string, string];
    const template = account.createLaunchTemplate(home, "web", twice);
    account.addLaunchTemplateVersion(home, template, pinned);
    account.addLaunchTemplateVersion(home, template, twice);
    account.addLaunchTemplateVersion(home, template, newest, { makeDefault: true });

    // Act
    const references = await service.findReferences(home, [pinned, twice]);

    // Assess
    expect(service.usesReferenceFallback(home)).toBe(true);
    expect(
      references.map((reference) => `${reference.imageId} ${reference.arn} ${reference.detail}`).sort(),
    ).toEqual(
      [
        `${pinned} arn:aws:ec2:${home}::launch-template/${template} launch template web (${template}) version 2`,
        `${twice} arn:aws:ec2:${home}::launch-template/${template} launch template web (${template}) versions 1, 3`,
      ].sort(),
    );
  });
});
