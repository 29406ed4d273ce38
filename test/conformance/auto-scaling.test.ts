import {
  CreateAutoScalingGroupCommand,
  CreateLaunchConfigurationCommand,
  DescribeAutoScalingGroupsCommand,
  DescribeLaunchConfigurationsCommand,
} from "@aws-sdk/client-auto-scaling";
import { afterEach, describe, expect, it } from "vitest";
import { expectedOn } from "./support/gaps";
import { home, type Target, targets } from "./support/targets";

const opened: Target[] = [];
afterEach(() => {
  for (const target of opened.splice(0)) target.destroy();
});

/** True when the target does not implement the call (the simulated account before it models Auto Scaling). */
function isUnsupported(error: unknown): boolean {
  return error instanceof Error && error.name === "UnsupportedCommandError";
}

/**
 * The SDK wire shape of the Auto Scaling reads an in-use check needs (the adapter is written in another
 * branch): a group's launch template (id, version) or launch configuration, and a configuration's image.
 */
describe.each(targets)("Auto Scaling reads on $name", ({ make, skip }) => {
  it.skipIf(skip)(
    "DescribeAutoScalingGroups shows each group's launch template or launch configuration; DescribeLaunchConfigurations its image",
    async (context) => {
      // Prepare
      const target = make();
      opened.push(target);
      const asg = target.autoScaling(home);
      const image = await target.seedImage(home, "web-1");
      const templateId = await target.createLaunchTemplate(home, "web", image.imageId);
      const created = await asg
        .send(
          new CreateLaunchConfigurationCommand({
            LaunchConfigurationName: "web-lc",
            ImageId: image.imageId,
            InstanceType: "t3.micro",
          }),
        )
        .catch((error: unknown) => error);
      if (isUnsupported(created))
        return context.skip("the simulated account does not model Auto Scaling yet");
      if (created instanceof Error) throw created;
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

  it.skipIf(skip)(
    "a second group of the same name is AlreadyExistsFault (moto accepts it)",
    async (context) => {
      // Prepare
      const target = make();
      opened.push(target);
      const asg = target.autoScaling(home);
      const image = await target.seedImage(home, "web-1");
      const templateId = await target.createLaunchTemplate(home, "web", image.imageId);
      const group = {
        AutoScalingGroupName: "web",
        LaunchTemplate: { LaunchTemplateId: templateId, Version: "$Latest" },
        MinSize: 0,
        MaxSize: 1,
        AvailabilityZones: [`${home}a`],
      };
      const created = await asg
        .send(new CreateAutoScalingGroupCommand(group))
        .catch((error: unknown) => error);
      if (isUnsupported(created))
        return context.skip("the simulated account does not model Auto Scaling yet");
      if (created instanceof Error) throw created;

      // Act
      const outcome = await asg.send(new CreateAutoScalingGroupCommand(group)).then(
        () => "accepted",
        (error: Error) => error.name,
      );

      // Assess: AWS answers the wire code AlreadyExists, raised by the SDK as AlreadyExistsFault (docs/conformance.md).
      expect(outcome).toBe(expectedOn(target, { aws: "AlreadyExistsFault", moto: "accepted" }));
    },
  );
});
