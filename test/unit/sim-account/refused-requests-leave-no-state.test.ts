import {
  CopyImageCommand,
  CreateImageCommand,
  CreateRestoreImageTaskCommand,
  DeleteTagsCommand,
} from "@aws-sdk/client-ec2";
import { describe, expect, it } from "vitest";
import { EAST, failure, setup, WEST } from "./helpers";

/** 51 distinct image tags: one more than EC2's 50 tags per resource. */
const tooManyTags = Array.from({ length: 51 }, (_, i) => ({ Key: `k${i}`, Value: "v" }));

/** A CopyImage of `source` into WEST that is expected to be refused; its error. */
function refusedCopy(
  west: ReturnType<typeof setup>["west"],
  source: string,
  request: { Name: string; Tags: { Key: string; Value: string }[]; Encrypted?: boolean },
) {
  const { Tags, ...rest } = request;
  return failure(
    west.send(
      new CopyImageCommand({
        SourceRegion: EAST,
        SourceImageId: source,
        ...rest,
        TagSpecifications: [{ ResourceType: "image", Tags }],
      }),
    ),
  );
}

/**
 * Runs one refused CopyImage, then a good one, in a fresh account with the same seed. Every call draws
 * its request id from the same counter, so two runs whose refusals allocate nothing give the good copy
 * the same image and snapshot ids.
 */
async function copyAfterRefusal(refused: { Name: string; Tags: { Key: string; Value: string }[] }) {
  const { account, west } = setup();
  const source = account.seedImage(EAST, { name: "app-1" });
  const error = await refusedCopy(west, source, refused);
  const imagesAfterRefusal = account.images(WEST).length;
  const snapshotsAfterRefusal = account.snapshots(WEST).length;
  const eventsAfterRefusal = account.drainEvents().length;
  const { ImageId } = await west.send(
    new CopyImageCommand({ SourceRegion: EAST, SourceImageId: source, Name: "copy-1" }),
  );
  const snapshotId = account.snapshots(WEST)[0]?.SnapshotId;
  return { error, imagesAfterRefusal, snapshotsAfterRefusal, eventsAfterRefusal, ImageId, snapshotId };
}

describe("simulated refusals leave no state (EC2 API reference: a failed request has no effect)", () => {
  it("a CopyImage refused for its tags allocates no image or snapshot id, like one refused for its name", async () => {
    // Act
    const byTags = await copyAfterRefusal({ Name: "copy-0", Tags: tooManyTags });
    const byName = await copyAfterRefusal({ Name: "x", Tags: [] });
    // Assess
    expect(byTags.error.name).toBe("TagLimitExceeded");
    expect(byName.error.name).toBe("InvalidAMIName.Malformed");
    expect(byTags).toMatchObject({ imagesAfterRefusal: 0, snapshotsAfterRefusal: 0, eventsAfterRefusal: 0 });
    expect(byTags.ImageId).toBe(byName.ImageId);
    expect(byTags.snapshotId).toBe(byName.snapshotId);
  });

  it("an encrypted CopyImage refused for its tags does not create the region's default EBS key", async () => {
    // Prepare
    const { account, west } = setup();
    const source = account.seedImage(EAST, { name: "app-1" });
    // Act
    const error = await refusedCopy(west, source, { Name: "copy-1", Tags: tooManyTags, Encrypted: true });
    // Assess
    expect(error.name).toBe("TagLimitExceeded");
    expect(account.keyArn(WEST, "alias/aws/ebs")).toBeUndefined();
  });

  it("a CreateImage or CreateRestoreImageTask refused for its image tags or the AMI quota leaves no snapshot", async () => {
    // Prepare: a quota of 2 AMIs, one of them the instance's source image.
    const { account, east } = setup({ amiQuota: 2 });
    const source = account.seedImage(EAST, { name: "app-1" });
    const instanceId = account.runInstance(EAST, source);
    const snapshotsBefore = account.snapshots(EAST).length;
    const imageTags = [{ ResourceType: "image" as const, Tags: tooManyTags }];
    // Act
    const createTags = await failure(
      east.send(
        new CreateImageCommand({ InstanceId: instanceId, Name: "app-2", TagSpecifications: imageTags }),
      ),
    );
    const restoreTags = await failure(
      east.send(
        new CreateRestoreImageTaskCommand({
          Bucket: "b",
          ObjectKey: "ami-1.bin",
          Name: "restored-1",
          TagSpecifications: imageTags,
        }),
      ),
    );
    account.seedImage(EAST, { name: "app-3" });
    const createQuota = await failure(
      east.send(new CreateImageCommand({ InstanceId: instanceId, Name: "app-2" })),
    );
    const restoreQuota = await failure(
      east.send(
        new CreateRestoreImageTaskCommand({ Bucket: "b", ObjectKey: "ami-1.bin", Name: "restored-1" }),
      ),
    );
    // Assess
    expect([createTags.name, restoreTags.name]).toEqual(["TagLimitExceeded", "TagLimitExceeded"]);
    expect([createQuota.name, restoreQuota.name]).toEqual(["ResourceLimitExceeded", "ResourceLimitExceeded"]);
    // Only the seeded app-3 added a snapshot.
    expect(account.snapshots(EAST).length).toBe(snapshotsBefore + 1);
  });

  it("DeleteTags refuses an aws: key and deletes nothing of that request (Tag: 'May not begin with aws:')", async () => {
    // Prepare
    const { account, east } = setup();
    const image = account.seedImage(EAST, { name: "app-1", tags: { drop: "x", "aws:ec2launch": "y" } });
    // Act
    const reserved = await failure(
      east.send(
        new DeleteTagsCommand({ Resources: [image], Tags: [{ Key: "drop" }, { Key: "aws:ec2launch" }] }),
      ),
    );
    const uppercase = await failure(
      east.send(new DeleteTagsCommand({ Resources: [image], Tags: [{ Key: "AWS:ec2launch" }] })),
    );
    // Assess
    expect(reserved.name).toBe("InvalidParameterValue");
    expect(uppercase.name).toBe("InvalidParameterValue");
    expect(account.image(EAST, image)?.Tags).toEqual([
      { Key: "drop", Value: "x" },
      { Key: "aws:ec2launch", Value: "y" },
    ]);
  });

  it("DeleteTags without Tags deletes the user tags and keeps the aws: ones (DeleteTags, Tag.N)", async () => {
    // Prepare
    const { account, east } = setup();
    const image = account.seedImage(EAST, { name: "app-1", tags: { drop: "x", "aws:ec2launch": "y" } });
    // Act
    await east.send(new DeleteTagsCommand({ Resources: [image] }));
    // Assess
    expect(account.image(EAST, image)?.Tags).toEqual([{ Key: "aws:ec2launch", Value: "y" }]);
  });
});
