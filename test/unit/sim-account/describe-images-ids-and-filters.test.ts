import { DescribeImagesCommand } from "@aws-sdk/client-ec2";
import { describe, expect, it } from "vitest";
import { EAST, failure, setup } from "./helpers";

/** Image ids of a DescribeImages answer, in order. */
const idsOf = (answer: { Images?: { ImageId?: string }[] }) => (answer.Images ?? []).map((i) => i.ImageId);

describe("simulated DescribeImages with ImageIds and Filters (EC2 API reference, DescribeImages; Filter)", () => {
  it("applies Filters to the images ImageIds names: both narrow the answer", async () => {
    // Prepare
    const { account, east } = setup();
    const tagged = account.seedImage(EAST, { name: "web-1", tags: { managed: "true" } });
    const untagged = account.seedImage(EAST, { name: "web-2" });
    // Act
    const byTag = await east.send(
      new DescribeImagesCommand({
        ImageIds: [tagged, untagged],
        Filters: [{ Name: "tag:managed", Values: ["true"] }],
      }),
    );
    const byName = await east.send(
      new DescribeImagesCommand({ ImageIds: [tagged], Filters: [{ Name: "name", Values: ["web-2"] }] }),
    );
    // Assess
    expect(idsOf(byTag)).toEqual([tagged]);
    expect(idsOf(byName)).toEqual([]);
  });

  it("refuses an unknown filter name with ImageIds as without them (InvalidParameterValue)", async () => {
    // Prepare
    const { account, east } = setup();
    const image = account.seedImage(EAST, { name: "web-1" });
    // Act
    const error = await failure(
      east.send(
        new DescribeImagesCommand({
          ImageIds: [image],
          Filters: [{ Name: "no-such-filter", Values: ["x"] }],
        }),
      ),
    );
    // Assess
    expect(error.name).toBe("InvalidParameterValue");
  });
});
