import { DescribeImagesCommand } from "@aws-sdk/client-ec2";
import { describe, expect, it } from "vitest";
import { EAST, setup } from "./helpers";
import { makePublic } from "./public-image";

describe("simulated DescribeImages filter is-public (EC2 API reference, DescribeImages: 'is-public - A Boolean that indicates whether the image is public')", () => {
  it("selects an image shared with the group all as public and the others as not", async () => {
    // Prepare
    const { account, east } = setup();
    const shared = account.seedImage(EAST, { name: "public-1" });
    const own = account.seedImage(EAST, { name: "private-1" });
    await makePublic(east, shared);
    const select = async (value: string) =>
      (
        (await east.send(new DescribeImagesCommand({ Filters: [{ Name: "is-public", Values: [value] }] })))
          .Images ?? []
      ).map((image) => image.ImageId);
    // Act
    const publicOnes = await select("true");
    const privateOnes = await select("false");
    // Assess
    expect(publicOnes).toEqual([shared]);
    expect(privateOnes).toEqual([own]);
  });
});
