import { fastRetryStrategy } from "@ami-lifecycle/simulated-account";
import {
  AutoScalingClient,
  CreateAutoScalingGroupCommand,
  CreateLaunchConfigurationCommand,
  DeleteLaunchConfigurationCommand,
  DescribeAutoScalingGroupsCommand,
  paginateDescribeAutoScalingGroups,
  paginateDescribeLaunchConfigurations,
  UpdateAutoScalingGroupCommand,
} from "@aws-sdk/client-auto-scaling";
import { describe, expect, it } from "vitest";
import { EAST, failure, setup } from "./helpers";

/** The simulated account with an Auto Scaling client in EAST. */
function setupAutoScaling() {
  const world = setup();
  const autoScaling = world.account.client(AutoScalingClient, EAST, {
    config: { retryStrategy: fastRetryStrategy(1) },
  });
  return { ...world, autoScaling };
}

describe("simulated Auto Scaling (Amazon EC2 Auto Scaling API reference)", () => {
  it("shows a group's launch template with the version it was given, and $Default when none was", async () => {
    // Prepare
    const { account, autoScaling } = setupAutoScaling();
    const image = account.seedImage(EAST, { name: "app-1" });
    const templateId = account.createLaunchTemplate(EAST, "web", image);
    account.addLaunchTemplateVersion(EAST, templateId, image);
    // Act
    await autoScaling.send(
      new CreateAutoScalingGroupCommand({
        AutoScalingGroupName: "pinned",
        MinSize: 0,
        MaxSize: 2,
        LaunchTemplate: { LaunchTemplateId: templateId, Version: "1" },
      }),
    );
    await autoScaling.send(
      new CreateAutoScalingGroupCommand({
        AutoScalingGroupName: "default",
        MinSize: 0,
        MaxSize: 2,
        LaunchTemplate: { LaunchTemplateName: "web" },
      }),
    );
    const { AutoScalingGroups } = await autoScaling.send(new DescribeAutoScalingGroupsCommand({}));
    // Assess
    expect(AutoScalingGroups?.map((group) => [group.AutoScalingGroupName, group.LaunchTemplate])).toEqual([
      ["pinned", { LaunchTemplateId: templateId, LaunchTemplateName: "web", Version: "1" }],
      ["default", { LaunchTemplateId: templateId, LaunchTemplateName: "web", Version: "$Default" }],
    ]);
    expect(AutoScalingGroups?.[0]?.AutoScalingGroupARN).toMatch(
      new RegExp(
        `^arn:aws:autoscaling:${EAST}:111122223333:autoScalingGroup:[0-9a-f-]+:autoScalingGroupName/pinned$`,
      ),
    );
  });

  it("keeps a mixed instances policy's overrides, each with its own launch template and version", async () => {
    // Prepare
    const { account, autoScaling } = setupAutoScaling();
    const image = account.seedImage(EAST, { name: "app-1" });
    const base = account.createLaunchTemplate(EAST, "base", image);
    const arm = account.createLaunchTemplate(EAST, "arm", image);
    // Act
    await autoScaling.send(
      new CreateAutoScalingGroupCommand({
        AutoScalingGroupName: "mixed",
        MinSize: 0,
        MaxSize: 4,
        MixedInstancesPolicy: {
          LaunchTemplate: {
            LaunchTemplateSpecification: { LaunchTemplateId: base, Version: "$Latest" },
            Overrides: [
              { InstanceType: "m6i.large" },
              {
                InstanceType: "m7g.large",
                LaunchTemplateSpecification: { LaunchTemplateId: arm, Version: "1" },
              },
            ],
          },
        },
      }),
    );
    const { AutoScalingGroups } = await autoScaling.send(
      new DescribeAutoScalingGroupsCommand({ AutoScalingGroupNames: ["mixed"] }),
    );
    // Assess
    expect(AutoScalingGroups?.[0]?.LaunchTemplate).toBeUndefined();
    expect(AutoScalingGroups?.[0]?.MixedInstancesPolicy?.LaunchTemplate).toEqual({
      LaunchTemplateSpecification: { LaunchTemplateId: base, LaunchTemplateName: "base", Version: "$Latest" },
      Overrides: [
        { InstanceType: "m6i.large" },
        {
          InstanceType: "m7g.large",
          LaunchTemplateSpecification: { LaunchTemplateId: arm, LaunchTemplateName: "arm", Version: "1" },
        },
      ],
    });
  });

  it("refuses a launch template version that does not exist, two launch sources, and a duplicate name", async () => {
    // Prepare
    const { account, autoScaling } = setupAutoScaling();
    const image = account.seedImage(EAST, { name: "app-1" });
    const templateId = account.createLaunchTemplate(EAST, "web", image);
    await autoScaling.send(
      new CreateLaunchConfigurationCommand({ LaunchConfigurationName: "lc", ImageId: image }),
    );
    const create = (name: string, extra: object) =>
      autoScaling.send(
        new CreateAutoScalingGroupCommand({ AutoScalingGroupName: name, MinSize: 0, MaxSize: 1, ...extra }),
      );
    // Act
    const badVersion = await failure(
      create("a", { LaunchTemplate: { LaunchTemplateId: templateId, Version: "7" } }),
    );
    const twoSources = await failure(
      create("b", { LaunchConfigurationName: "lc", LaunchTemplate: { LaunchTemplateId: templateId } }),
    );
    const noTemplate = await failure(
      create("c", { LaunchTemplate: { LaunchTemplateId: "lt-0000000000000000a" } }),
    );
    await create("d", { LaunchConfigurationName: "lc" });
    const duplicate = await failure(create("d", { LaunchConfigurationName: "lc" }));
    // Assess
    expect([badVersion.name, twoSources.name, noTemplate.name, duplicate.name]).toEqual([
      "ValidationError",
      "ValidationError",
      "ValidationError",
      "AlreadyExistsFault",
    ]);
    expect(badVersion.message).toContain("version 7");
    const { AutoScalingGroups } = await autoScaling.send(new DescribeAutoScalingGroupsCommand({}));
    expect(AutoScalingGroups?.map((group) => group.AutoScalingGroupName)).toEqual(["d"]);
  });

  it("pages launch configurations and groups with MaxRecords and NextToken", async () => {
    // Prepare
    const { account, autoScaling } = setupAutoScaling();
    const image = account.seedImage(EAST, { name: "app-1" });
    for (let index = 0; index < 7; index++) {
      await autoScaling.send(
        new CreateLaunchConfigurationCommand({ LaunchConfigurationName: `lc-${index}`, ImageId: image }),
      );
      await autoScaling.send(
        new CreateAutoScalingGroupCommand({
          AutoScalingGroupName: `group-${index}`,
          MinSize: 0,
          MaxSize: 1,
          LaunchConfigurationName: `lc-${index}`,
        }),
      );
    }
    // Act
    const configurations: string[] = [];
    let configurationPages = 0;
    for await (const page of paginateDescribeLaunchConfigurations({ client: autoScaling, pageSize: 3 }, {})) {
      configurationPages++;
      for (const item of page.LaunchConfigurations ?? [])
        configurations.push(`${item.LaunchConfigurationName} ${item.ImageId}`);
    }
    const groups: string[] = [];
    let groupPages = 0;
    for await (const page of paginateDescribeAutoScalingGroups({ client: autoScaling, pageSize: 3 }, {})) {
      groupPages++;
      for (const item of page.AutoScalingGroups ?? [])
        groups.push(`${item.AutoScalingGroupName} ${item.LaunchConfigurationName}`);
    }
    const tooMany = await failure(
      autoScaling.send(new DescribeAutoScalingGroupsCommand({ MaxRecords: 101 })),
    );
    // Assess
    expect(configurations).toEqual(Array.from({ length: 7 }, (_, index) => `lc-${index} ${image}`));
    expect(groups).toEqual(Array.from({ length: 7 }, (_, index) => `group-${index} lc-${index}`));
    expect([configurationPages, groupPages]).toEqual([3, 3]);
    expect(tooMany.name).toBe("ValidationError");
  });

  it("refuses to delete a launch configuration a group uses, and an image that does not exist", async () => {
    // Prepare
    const { account, autoScaling } = setupAutoScaling();
    const image = account.seedImage(EAST, { name: "app-1" });
    await autoScaling.send(
      new CreateLaunchConfigurationCommand({ LaunchConfigurationName: "lc", ImageId: image }),
    );
    await autoScaling.send(
      new CreateAutoScalingGroupCommand({
        AutoScalingGroupName: "g",
        MinSize: 0,
        MaxSize: 1,
        LaunchConfigurationName: "lc",
      }),
    );
    // Act
    const inUse = await failure(
      autoScaling.send(new DeleteLaunchConfigurationCommand({ LaunchConfigurationName: "lc" })),
    );
    const missingImage = await failure(
      autoScaling.send(
        new CreateLaunchConfigurationCommand({
          LaunchConfigurationName: "lc2",
          ImageId: "ami-0000000000000000a",
        }),
      ),
    );
    await autoScaling.send(
      new UpdateAutoScalingGroupCommand({
        AutoScalingGroupName: "g",
        LaunchTemplate: {
          LaunchTemplateId: account.createLaunchTemplate(EAST, "web", image),
          Version: "$Latest",
        },
      }),
    );
    await autoScaling.send(new DeleteLaunchConfigurationCommand({ LaunchConfigurationName: "lc" }));
    const { AutoScalingGroups } = await autoScaling.send(new DescribeAutoScalingGroupsCommand({}));
    // Assess
    expect([inUse.name, missingImage.name]).toEqual(["ResourceInUseFault", "ValidationError"]);
    expect(AutoScalingGroups?.[0]?.LaunchConfigurationName).toBeUndefined();
    expect(AutoScalingGroups?.[0]?.LaunchTemplate?.Version).toBe("$Latest");
  });
});
