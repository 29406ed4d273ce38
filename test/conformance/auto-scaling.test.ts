import {
  CreateAutoScalingGroupCommand,
  CreateLaunchConfigurationCommand,
  DescribeAutoScalingGroupsCommand,
  DescribeLaunchConfigurationsCommand,
} from "@aws-sdk/client-auto-scaling";
import { afterEach, describe, expect, it } from "vitest";
import { expectedOn } from "./support/gaps";
import { groupTemplate } from "./support/group-template";
import { outcomeOf } from "./support/outcome";
import { home, type Target, targets } from "./support/targets";

const opened: Target[] = [];
afterEach(() => {
  for (const target of opened.splice(0)) target.destroy();
});

/**
 * The SDK wire shape of the Auto Scaling reads the in-use check's adapter (`autoScalingReferences`,
 * packages/aws/src/autoscaling/launch-references.ts) relies on: a group's launch template (id, version)
 * or launch configuration, and a configuration's image. Both targets model Auto Scaling.
 */
describe.each(targets)("Auto Scaling reads on $name", ({ make, skip }) => {
  it.skipIf(skip)(
    "DescribeAutoScalingGroups shows each group's launch template or launch configuration; DescribeLaunchConfigurations its image",
    async () => {
      // Prepare
      const target = make();
      opened.push(target);
      const { asg, image, templateId } = await groupTemplate(target);
      await asg.send(
        new CreateLaunchConfigurationCommand({
          LaunchConfigurationName: "web-lc",
          ImageId: image.imageId,
          InstanceType: "t3.micro",
        }),
      );
      const zones = [`${home}a`];
      await asg.send(
        new CreateAutoScalingGroupCommand({
          AutoScalingGroupName: "web-template",
          LaunchTemplate: { LaunchTemplateId: templateId, Version: "$Default" },
          MinSize: 0,
          MaxSize: 1,
          AvailabilityZones: zones,
        }),
      );
      await asg.send(
        new CreateAutoScalingGroupCommand({
          AutoScalingGroupName: "web-configuration",
          LaunchConfigurationName: "web-lc",
          MinSize: 0,
          MaxSize: 1,
          AvailabilityZones: zones,
        }),
      );

      // Act
      const groups = await asg.send(new DescribeAutoScalingGroupsCommand({}));
      const configurations = await asg.send(new DescribeLaunchConfigurationsCommand({}));

      // Assess
      const byName = Object.fromEntries(
        (groups.AutoScalingGroups ?? []).map((group) => [group.AutoScalingGroupName, group]),
      );
      expect(byName["web-template"]?.LaunchTemplate).toMatchObject({
        LaunchTemplateId: templateId,
        Version: "$Default",
      });
      expect(byName["web-configuration"]?.LaunchConfigurationName).toBe("web-lc");
      expect(byName["web-template"]?.CreatedTime).toBeInstanceOf(Date);
      expect(
        (configurations.LaunchConfigurations ?? []).map((configuration) => [
          configuration.LaunchConfigurationName,
          configuration.ImageId,
        ]),
      ).toEqual([["web-lc", image.imageId]]);
    },
  );

  it.skipIf(skip)("a second group of the same name is AlreadyExistsFault (moto accepts it)", async () => {
    // Prepare
    const target = make();
    opened.push(target);
    const { asg, templateId } = await groupTemplate(target);
    const group = {
      AutoScalingGroupName: "web",
      LaunchTemplate: { LaunchTemplateId: templateId, Version: "$Latest" },
      MinSize: 0,
      MaxSize: 1,
      AvailabilityZones: [`${home}a`],
    };
    await asg.send(new CreateAutoScalingGroupCommand(group));

    // Act
    const outcome = await outcomeOf(asg.send(new CreateAutoScalingGroupCommand(group)));

    // Assess: AWS answers the wire code AlreadyExists, raised by the SDK as AlreadyExistsFault (docs/conformance.md).
    expect(outcome).toBe(expectedOn(target, { aws: "AlreadyExistsFault", moto: "accepted" }));
  });
});
