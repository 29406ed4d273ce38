import { CopyImageCommand, CreateTagsCommand } from "@aws-sdk/client-ec2";
import { describe, expect, it } from "vitest";
import { EAST, failure, setup, WEST } from "./helpers";

/** `count` user tags `user-0`…, as a seed's tag record. */
const userTags = (count: number) =>
  Object.fromEntries(Array.from({ length: count }, (_, index) => [`user-${index}`, "x"]));

describe("simulated aws: tags (AWS tag restrictions: reserved prefix, any case)", () => {
  it("does not count aws: tags toward the 50 tags a resource may have", async () => {
    // Prepare: 49 user tags and two EC2-owned ones, in either case.
    const { account, east } = setup();
    const image = account.seedImage(EAST, {
      name: "app-1",
      tags: { ...userTags(49), "aws:ec2launch": "x", "AWS:Origin": "y" },
    });
    // Act
    await east.send(new CreateTagsCommand({ Resources: [image], Tags: [{ Key: "user-49", Value: "x" }] }));
    const fiftyFirst = await failure(
      east.send(new CreateTagsCommand({ Resources: [image], Tags: [{ Key: "user-50", Value: "x" }] })),
    );
    // Assess
    expect(account.image(EAST, image)?.Tags).toHaveLength(52);
    expect(fiftyFirst.name).toBe("TagLimitExceeded");
    expect(account.image(EAST, image)?.Tags?.map((tag) => tag.Key)).not.toContain("user-50");
  });

  it("leaves a source's aws: tags behind with CopyImageTags, whatever their case", async () => {
    // Prepare
    const { account, west } = setup();
    const source = account.seedImage(EAST, {
      name: "app-1",
      tags: { team: "payments", "aws:ec2launch": "x", "AWS:Origin": "y", "Aws:Mixed": "z" },
    });
    // Act
    const { ImageId } = await west.send(
      new CopyImageCommand({ SourceRegion: EAST, SourceImageId: source, Name: "app-1", CopyImageTags: true }),
    );
    // Assess
    expect(account.image(WEST, ImageId as string)?.Tags).toEqual([{ Key: "team", Value: "payments" }]);
  });
});
