import { CreateAutoScalingGroupCommand, UpdateAutoScalingGroupCommand } from "@aws-sdk/client-auto-scaling";
import { DeleteTagsCommand, DescribeImagesCommand } from "@aws-sdk/client-ec2";
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
 * Behaviours the EC2 and Auto Scaling API references document and moto 5.2.1 does not follow; each row is
 * in docs/conformance.md, so a moto release that closes a gap fails here and the row can go.
 */
describe.each(targets)("documented filters and refusals on $name", ({ make, skip }) => {
  it.skipIf(skip)("DescribeImages applies Filters to the images ImageIds names", async () => {
    // Prepare
    const target = make();
    opened.push(target);
    const tagged = await target.seedImage(home, "web-1", { managed: "true" });
    const untagged = await target.seedImage(home, "web-2");
    // Act
    const answer = await target.ec2(home).send(
      new DescribeImagesCommand({
        ImageIds: [tagged.imageId, untagged.imageId],
        Filters: [{ Name: "tag:managed", Values: ["true"] }],
      }),
    );
    // Assess
    const ids = (answer.Images ?? []).map((image) => image.ImageId).sort();
    expect(ids).toEqual(
      expectedOn(target, { aws: [tagged.imageId], moto: [tagged.imageId, untagged.imageId].sort() }),
    );
  });

  it.skipIf(skip)("DeleteTags refuses a key that begins with aws:", async () => {
    // Prepare
    const target = make();
    opened.push(target);
    const image = await target.seedImage(home, "web-1", { team: "web" });
    // Act
    const answer = await outcomeOf(
      target
        .ec2(home)
        .send(new DeleteTagsCommand({ Resources: [image.imageId], Tags: [{ Key: "aws:team" }] })),
    );
    // Assess
    expect(answer).toBe(expectedOn(target, { aws: "InvalidParameterValue", moto: "accepted" }));
  });

  it.skipIf(skip)(
    "Create/UpdateAutoScalingGroup refuse a DesiredCapacity outside [MinSize, MaxSize]",
    async () => {
      // Prepare
      const target = make();
      opened.push(target);
      const { asg, templateId } = await groupTemplate(target);
      const group = {
        LaunchTemplate: { LaunchTemplateId: templateId, Version: "$Latest" },
        MinSize: 1,
        MaxSize: 2,
        AvailabilityZones: [`${home}a`],
      };
      await asg.send(new CreateAutoScalingGroupCommand({ AutoScalingGroupName: "web", ...group }));
      // Act
      const created = await outcomeOf(
        asg.send(
          new CreateAutoScalingGroupCommand({ AutoScalingGroupName: "big", ...group, DesiredCapacity: 3 }),
        ),
      );
      const updated = await outcomeOf(
        asg.send(new UpdateAutoScalingGroupCommand({ AutoScalingGroupName: "web", DesiredCapacity: 0 })),
      );
      // Assess
      const expected = expectedOn(target, { aws: "ValidationError", moto: "accepted" });
      expect([created, updated]).toEqual([expected, expected]);
    },
  );
});
