import {
  DescribeImageReferencesCommand,
  DescribeInstancesCommand,
  DescribeLaunchTemplatesCommand,
  DescribeLaunchTemplateVersionsCommand,
} from "@aws-sdk/client-ec2";
import { describe, expect, it } from "vitest";
import { EAST, failure, MINUTE, setup } from "./helpers";

describe("simulated image references (EC2 User Guide, identify resources referencing an AMI)", () => {
  it("DescribeImageReferences finds instances, launch templates, SSM parameters and Image Builder recipes", async () => {
    // Prepare
    const { account, east } = setup();
    const image = account.seedImage(EAST, { name: "app-1" });
    const unused = account.seedImage(EAST, { name: "app-2" });
    const instanceId = account.runInstance(EAST, image);
    const templateId = account.createLaunchTemplate(EAST, "web", image);
    account.putParameter(EAST, "/golden/app", image, "aws:ec2:image");
    const recipe = account.addImageRecipe(EAST, "app", image);
    // Act
    const { ImageReferences } = await east.send(
      new DescribeImageReferencesCommand({ ImageIds: [image, unused], IncludeAllResourceTypes: true }),
    );
    // Assess
    expect(ImageReferences).toEqual([
      {
        ImageId: image,
        ResourceType: "ec2:Instance",
        Arn: `arn:aws:ec2:${EAST}:111122223333:instance/${instanceId}`,
      },
      {
        ImageId: image,
        ResourceType: "ec2:LaunchTemplate",
        Arn: `arn:aws:ec2:${EAST}:111122223333:launch-template/${templateId}`,
      },
      {
        ImageId: image,
        ResourceType: "ssm:Parameter",
        Arn: `arn:aws:ssm:${EAST}:111122223333:parameter/golden/app`,
      },
      { ImageId: image, ResourceType: "imagebuilder:ImageRecipe", Arn: recipe },
    ]);
  });

  it("checks only the newest version-depth launch template versions and the requested instance states", async () => {
    // Prepare
    const { account, east } = setup();
    const image = account.seedImage(EAST, { name: "app-1" });
    const other = account.seedImage(EAST, { name: "app-2" });
    const templateId = account.createLaunchTemplate(EAST, "web", image);
    account.addLaunchTemplateVersion(EAST, templateId, other);
    const instanceId = account.runInstance(EAST, image);
    account.stopInstance(EAST, instanceId);
    const ask = (depth: string, states: string[]) =>
      east.send(
        new DescribeImageReferencesCommand({
          ImageIds: [image],
          ResourceTypes: [
            {
              ResourceType: "ec2:LaunchTemplate",
              ResourceTypeOptions: [{ OptionName: "version-depth", OptionValues: [depth] }],
            },
            {
              ResourceType: "ec2:Instance",
              ResourceTypeOptions: [{ OptionName: "state-name", OptionValues: states }],
            },
          ],
        }),
      );
    // Act
    const shallow = await ask("1", ["running"]);
    const deep = await ask("2", ["stopped"]);
    // Assess
    expect(shallow.ImageReferences).toEqual([]);
    expect(deep.ImageReferences?.map((reference) => reference.ResourceType)).toEqual([
      "ec2:Instance",
      "ec2:LaunchTemplate",
    ]);
  });

  it("requires 1..10 image ids and a resource type selection", async () => {
    // Prepare
    const { account, east } = setup();
    const image = account.seedImage(EAST, { name: "app-1" });
    // Act
    const tooMany = await failure(
      east.send(
        new DescribeImageReferencesCommand({
          ImageIds: Array(11).fill(image),
          IncludeAllResourceTypes: true,
        }),
      ),
    );
    const noTypes = await failure(east.send(new DescribeImageReferencesCommand({ ImageIds: [image] })));
    // Assess
    expect(tooMany.name).toBe("InvalidParameterValue");
    expect(noTypes.name).toBe("MissingParameter");
  });

  it("DescribeInstances filters by image-id and hides instances an hour after termination", async () => {
    // Prepare
    const { account, east } = setup();
    const image = account.seedImage(EAST, { name: "app-1" });
    const instanceId = account.runInstance(EAST, image);
    account.terminateInstance(EAST, instanceId);
    const list = async () =>
      (
        await east.send(new DescribeInstancesCommand({ Filters: [{ Name: "image-id", Values: [image] }] }))
      ).Reservations?.flatMap((reservation) => reservation.Instances ?? []);
    // Act
    const justTerminated = await list();
    account.advance(60 * MINUTE);
    const later = await list();
    // Assess
    expect(justTerminated?.map((instance) => instance.State?.Name)).toEqual(["terminated"]);
    expect(later).toEqual([]);
  });

  it("DescribeLaunchTemplates and DescribeLaunchTemplateVersions resolve $Latest and $Default", async () => {
    // Prepare
    const { account, east } = setup();
    const image = account.seedImage(EAST, { name: "app-1" });
    const other = account.seedImage(EAST, { name: "app-2" });
    const templateId = account.createLaunchTemplate(EAST, "web", image);
    account.addLaunchTemplateVersion(EAST, templateId, other);
    // Act
    const templates = await east.send(new DescribeLaunchTemplatesCommand({}));
    const versions = await east.send(
      new DescribeLaunchTemplateVersionsCommand({
        LaunchTemplateId: templateId,
        Versions: ["$Latest", "$Default"],
      }),
    );
    const unknown = await failure(
      east.send(new DescribeLaunchTemplatesCommand({ LaunchTemplateIds: ["lt-0123456789abcdef0"] })),
    );
    // Assess
    expect(templates.LaunchTemplates?.[0]).toMatchObject({
      LaunchTemplateId: templateId,
      DefaultVersionNumber: 1,
      LatestVersionNumber: 2,
    });
    expect(
      versions.LaunchTemplateVersions?.map((v) => [
        v.VersionNumber,
        v.DefaultVersion,
        v.LaunchTemplateData?.ImageId,
      ]),
    ).toEqual([
      [2, false, other],
      [1, true, image],
    ]);
    expect(unknown.name).toBe("InvalidLaunchTemplateId.NotFound");
  });
});
