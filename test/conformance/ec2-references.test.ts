import { ImageReferenceFinder } from "@ami-lifecycle/aws";
import { DescribeImageReferencesCommand, DescribeLaunchTemplateVersionsCommand } from "@aws-sdk/client-ec2";
import { afterEach, describe, expect, it } from "vitest";
import { withoutImageReferences } from "../support/without-image-references";
import { home, putImageParameter, type Target, targets } from "./support/targets";

const opened: Target[] = [];
afterEach(() => {
  for (const target of opened.splice(0)) target.destroy();
});

/** A target whose home-region EC2 client lacks DescribeImageReferences, and the real finder on it. */
function setup(make: () => Target) {
  const target = make();
  opened.push(target);
  withoutImageReferences(target.ec2(home));
  return { target, finder: new ImageReferenceFinder(target) };
}

describe.each(targets)("ImageReferenceFinder fallback on $name", ({ make, skip }) => {
  describe.skipIf(skip)("instances", () => {
    it("finds the running instance of an image and not the instances of other images", async () => {
      // Prepare
      const { target, finder } = setup(make);
      const used = await target.seedImage(home, "web-1");
      const other = await target.seedImage(home, "web-2");
      const instanceId = await target.runInstance(home, used.imageId);
      await target.runInstance(home, other.imageId);

      // Act
      const references = await finder.find(home, [used.imageId]);

      // Assess
      expect(finder.usesFallback(home)).toBe(true);
      expect(references).toEqual([
        {
          imageId: used.imageId,
          region: home,
          resourceType: "ec2:Instance",
          arn: `arn:aws:ec2:${home}:${target.accountId}:instance/${instanceId}`,
        },
      ]);
    });
  });

  describe.skipIf(skip)("launch templates", () => {
    it("finds every version of every template, the versions between $Default and $Latest too (any can be launched)", async () => {
      // Prepare
      const { target, finder } = setup(make);
      const [first, middle, latest] = [
        await target.seedImage(home, "web-1"),
        await target.seedImage(home, "web-2"),
        await target.seedImage(home, "web-3"),
      ];
      const templateId = await target.createLaunchTemplate(home, "web", first?.imageId ?? "");
      await target.addLaunchTemplateVersion(home, templateId, middle?.imageId ?? "", false);
      await target.addLaunchTemplateVersion(home, templateId, latest?.imageId ?? "", false);
      const ids = [first, middle, latest].map((image) => image?.imageId ?? "");

      // Act
      const references = await finder.find(home, ids);

      // Assess
      expect(
        references.map((reference) => [reference.imageId, reference.resourceType, reference.arn]).sort(),
      ).toEqual(
        [
          [ids[0], "ec2:LaunchTemplate", `arn:aws:ec2:${home}::launch-template/${templateId}`],
          [ids[1], "ec2:LaunchTemplate", `arn:aws:ec2:${home}::launch-template/${templateId}`],
          [ids[2], "ec2:LaunchTemplate", `arn:aws:ec2:${home}::launch-template/${templateId}`],
        ].sort(),
      );
    });

    it("DescribeLaunchTemplateVersions by template id lists every version with its image", async () => {
      // Prepare
      const { target } = setup(make);
      const first = await target.seedImage(home, "web-1");
      const second = await target.seedImage(home, "web-2");
      const templateId = await target.createLaunchTemplate(home, "web", first.imageId);
      await target.addLaunchTemplateVersion(home, templateId, second.imageId, true);

      // Act
      const { LaunchTemplateVersions } = await target
        .ec2(home)
        .send(new DescribeLaunchTemplateVersionsCommand({ LaunchTemplateId: templateId }));

      // Assess
      expect(
        (LaunchTemplateVersions ?? [])
          .map((version) => [
            version.VersionNumber,
            version.DefaultVersion,
            version.LaunchTemplateData?.ImageId,
          ])
          .sort(),
      ).toEqual([
        [1, false, first.imageId],
        [2, true, second.imageId],
      ]);
    });

    it("a second template of the same name is InvalidLaunchTemplateName.AlreadyExistsException", async () => {
      // Prepare
      const { target } = setup(make);
      const image = await target.seedImage(home, "web-1");
      await target.createLaunchTemplate(home, "web", image.imageId);

      // Act
      const error = await target
        .createLaunchTemplate(home, "web", image.imageId)
        .catch((caught: Error) => caught);

      // Assess
      expect(error).toMatchObject({ name: "InvalidLaunchTemplateName.AlreadyExistsException" });
    });

    it("the versions of a template that does not exist are InvalidLaunchTemplateId.NotFound", async () => {
      // Prepare
      const { target } = setup(make);

      // Act
      const error = await target
        .ec2(home)
        .send(new DescribeLaunchTemplateVersionsCommand({ LaunchTemplateId: "lt-0123456789abcdef0" }))
        .catch((caught: Error) => caught);

      // Assess
      expect(error).toMatchObject({ name: "InvalidLaunchTemplateId.NotFound" });
    });
  });

  describe.skipIf(skip)("SSM parameters", () => {
    it("finds hierarchical and top-level parameters whose value is the image id", async () => {
      // Prepare
      const { target, finder } = setup(make);
      const image = await target.seedImage(home, "web-1");
      const other = await target.seedImage(home, "web-2");
      await putImageParameter(target, home, "/teams/web/ami", image.imageId);
      await putImageParameter(target, home, "web-ami", image.imageId);
      await putImageParameter(target, home, "/teams/api/ami", other.imageId);

      // Act
      const references = await finder.find(home, [image.imageId]);

      // Assess
      expect(references.map((reference) => [reference.resourceType, reference.arn]).sort()).toEqual([
        ["ssm:Parameter", `arn:aws:ssm:${home}:${target.accountId}:parameter/teams/web/ami`],
        ["ssm:Parameter", `arn:aws:ssm:${home}:${target.accountId}:parameter/web-ami`],
      ]);
    });
  });
});

describe.each(targets)("DescribeImageReferences on $name", ({ make, skip }) => {
  it.skipIf(skip)("answers for an image id (moto: HTTP 500, it does not implement the call)", async () => {
    // Prepare
    const target = make();
    opened.push(target);
    const image = await target.seedImage(home, "web-1");

    // Act
    const outcome = await target
      .ec2(home)
      .send(new DescribeImageReferencesCommand({ ImageIds: [image.imageId], IncludeAllResourceTypes: true }))
      .then(
        (output) => ({ references: output.ImageReferences ?? [] }),
        (error: { $metadata?: { httpStatusCode?: number } }) => ({ status: error.$metadata?.httpStatusCode }),
      );

    // Assess
    expect(outcome).toEqual(target.kind === "moto" ? { status: 500 } : { references: [] });
  });
});
