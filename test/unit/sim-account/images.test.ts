import {
  CreateImageCommand,
  CreateRestoreImageTaskCommand,
  DescribeImagesCommand,
  DescribeSnapshotsCommand,
  DisableImageCommand,
  paginateDescribeImages,
  RegisterImageCommand,
} from "@aws-sdk/client-ec2";
import { describe, expect, it } from "vitest";
import { EAST, failure, MINUTE, setup } from "./helpers";

describe("simulated EC2 image creation", () => {
  it("CreateImage makes a pending image with snapshots that becomes available after 10 minutes (EC2 User Guide, create an EBS-backed AMI)", async () => {
    // Prepare
    const { account, east } = setup();
    const base = account.seedImage(EAST, { name: "base", sizeGiB: 30 });
    const instanceId = account.runInstance(EAST, base);
    // Act
    const { ImageId } = await east.send(
      new CreateImageCommand({
        InstanceId: instanceId,
        Name: "app-2026.11.20",
        TagSpecifications: [
          { ResourceType: "image", Tags: [{ Key: "team", Value: "payments" }] },
          { ResourceType: "snapshot", Tags: [{ Key: "team", Value: "payments" }] },
        ],
      }),
    );
    const pending = account.image(EAST, ImageId as string);
    account.advance(10 * MINUTE - 1);
    const stillPending = account.image(EAST, ImageId as string)?.State;
    account.advance(1);
    // Assess
    const image = account.image(EAST, ImageId as string);
    expect(ImageId).toMatch(/^ami-[0-9a-f]{17}$/);
    expect(pending?.State).toBe("pending");
    expect(stillPending).toBe("pending");
    expect(image).toMatchObject({
      State: "available",
      OwnerId: "111122223333",
      Name: "app-2026.11.20",
      Tags: [{ Key: "team", Value: "payments" }],
      SourceImageId: base,
      SourceImageRegion: EAST,
      CreationDate: "2026-11-20T10:00:00.000Z",
    });
    const snapshotId = image?.BlockDeviceMappings?.[0]?.Ebs?.SnapshotId as string;
    expect(image?.BlockDeviceMappings?.[0]?.Ebs?.VolumeSize).toBe(30);
    const snapshot = account.snapshots(EAST).find((s) => s.SnapshotId === snapshotId);
    expect(snapshot).toMatchObject({
      State: "completed",
      VolumeSize: 30,
      Tags: [{ Key: "team", Value: "payments" }],
    });
  });

  it("draws deterministic ids from the seed", () => {
    // Prepare
    const first = setup({ seed: 42 }).account;
    const second = setup({ seed: 42 }).account;
    // Act
    const ids = [first.seedImage(EAST, { name: "app" }), second.seedImage(EAST, { name: "app" })];
    // Assess
    expect(ids[0]).toBe(ids[1]);
    expect(setup({ seed: 43 }).account.seedImage(EAST, { name: "app" })).not.toBe(ids[0]);
  });

  it("CreateImage refuses a duplicate name (InvalidAMIName.Duplicate) and an unknown instance", async () => {
    // Prepare
    const { account, east } = setup();
    const base = account.seedImage(EAST, { name: "base" });
    const instanceId = account.runInstance(EAST, base);
    // Act
    const duplicate = await failure(
      east.send(new CreateImageCommand({ InstanceId: instanceId, Name: "base" })),
    );
    const unknown = await failure(
      east.send(new CreateImageCommand({ InstanceId: "i-0123456789abcdef0", Name: "x-1" })),
    );
    // Assess
    expect(duplicate.name).toBe("InvalidAMIName.Duplicate");
    expect(unknown.name).toBe("InvalidInstanceID.NotFound");
  });

  it("RegisterImage uses the given snapshot and has no lineage", async () => {
    // Prepare
    const { account, east } = setup();
    const base = account.seedImage(EAST, { name: "base" });
    const snapshotId = account.image(EAST, base)?.BlockDeviceMappings?.[0]?.Ebs?.SnapshotId;
    // Act
    const { ImageId } = await east.send(
      new RegisterImageCommand({
        Name: "registered",
        RootDeviceName: "/dev/xvda",
        BlockDeviceMappings: [{ DeviceName: "/dev/xvda", Ebs: { SnapshotId: snapshotId } }],
      }),
    );
    account.advance(MINUTE);
    const missing = await failure(
      east.send(
        new RegisterImageCommand({
          Name: "other",
          BlockDeviceMappings: [{ DeviceName: "/dev/xvda", Ebs: { SnapshotId: "snap-0123456789abcdef0" } }],
        }),
      ),
    );
    // Assess
    const image = account.image(EAST, ImageId as string);
    expect(image?.State).toBe("available");
    expect(image?.BlockDeviceMappings?.[0]?.Ebs?.SnapshotId).toBe(snapshotId);
    expect(image?.SourceImageId).toBeUndefined();
    expect(missing.name).toBe("InvalidSnapshot.NotFound");
  });

  it("CreateRestoreImageTask creates a pending image from an S3 object", async () => {
    // Prepare
    const { account, east } = setup();
    // Act
    const { ImageId } = await east.send(
      new CreateRestoreImageTaskCommand({ Bucket: "bucket", ObjectKey: "ami-0123.bin", Name: "restored" }),
    );
    // Assess
    expect(account.image(EAST, ImageId as string)?.State).toBe("pending");
  });
});

describe("simulated DescribeImages (EC2 API reference, DescribeImages)", () => {
  it("filters by tag:KEY, tag-key, name wildcards, state and source-image-id", async () => {
    // Prepare
    const { account, east } = setup();
    const a = account.seedImage(EAST, {
      name: "payments-api-1",
      tags: { team: "payments", managed: "true" },
    });
    const b = account.seedImage(EAST, { name: "payments-web-1", tags: { team: "payments" } });
    account.seedImage(EAST, { name: "search-1", tags: { team: "search" } });
    const names = async (filters: { Name: string; Values: string[] }[]) =>
      ((await east.send(new DescribeImagesCommand({ Owners: ["self"], Filters: filters }))).Images ?? []).map(
        (image) => image.ImageId,
      );
    // Act
    const byTag = await names([{ Name: "tag:team", Values: ["payments"] }]);
    const byKey = await names([{ Name: "tag-key", Values: ["managed"] }]);
    const byName = await names([{ Name: "name", Values: ["payments-*-?"] }]);
    const combined = await names([
      { Name: "name", Values: ["payments-*"] },
      { Name: "state", Values: ["available"] },
      { Name: "tag:managed", Values: ["true"] },
    ]);
    const none = await names([{ Name: "source-image-id", Values: [a] }]);
    // Assess
    expect(byTag).toEqual([a, b]);
    expect(byKey).toEqual([a]);
    expect(byName).toEqual([a, b]);
    expect(combined).toEqual([a]);
    expect(none).toEqual([]);
  });

  it("answers InvalidAMIID.NotFound for an unknown id and InvalidAMIID.Malformed for a bad one", async () => {
    // Prepare
    const { east } = setup();
    // Act
    const unknown = await failure(
      east.send(new DescribeImagesCommand({ ImageIds: ["ami-0123456789abcdef0"] })),
    );
    const malformed = await failure(east.send(new DescribeImagesCommand({ ImageIds: ["image-1"] })));
    // Assess
    expect(unknown.name).toBe("InvalidAMIID.NotFound");
    expect(malformed.name).toBe("InvalidAMIID.Malformed");
  });

  it("validates MaxResults (5..1000) and refuses it together with ImageIds", async () => {
    // Prepare
    const { account, east } = setup();
    const id = account.seedImage(EAST, { name: "a-1" });
    // Act
    const tooSmall = await failure(east.send(new DescribeImagesCommand({ MaxResults: 4 })));
    const combined = await failure(east.send(new DescribeImagesCommand({ ImageIds: [id], MaxResults: 5 })));
    // Assess
    expect(tooSmall.name).toBe("InvalidParameterValue");
    expect(combined.name).toBe("InvalidParameterCombination");
  });

  it("pages with NextToken so paginateDescribeImages collects every image", async () => {
    // Prepare
    const { account, east } = setup();
    const ids = Array.from({ length: 12 }, (_, i) => account.seedImage(EAST, { name: `img-${i}` }));
    account.resetCallCounts();
    // Act
    const seen: string[] = [];
    for await (const page of paginateDescribeImages({ client: east, pageSize: 5 }, { Owners: ["self"] })) {
      seen.push(...(page.Images ?? []).map((image) => image.ImageId as string));
    }
    // Assess
    expect(seen).toEqual(ids);
    expect(account.callCounts()[`${EAST}:DescribeImages`]).toBe(3);
  });

  it("hides disabled images unless IncludeDisabled, and owner=other account selects nothing", async () => {
    // Prepare
    const { account, east } = setup();
    const id = account.seedImage(EAST, { name: "a-1" });
    await east.send(new DisableImageCommand({ ImageId: id }));
    // Act
    const hidden = await east.send(new DescribeImagesCommand({ Owners: ["self"] }));
    const byId = await east.send(new DescribeImagesCommand({ ImageIds: [id] }));
    const included = await east.send(new DescribeImagesCommand({ Owners: ["self"], IncludeDisabled: true }));
    const others = await east.send(new DescribeImagesCommand({ Owners: ["999988887777"] }));
    // Assess
    expect(hidden.Images).toEqual([]);
    expect(byId.Images).toEqual([]);
    expect(included.Images?.map((image) => image.State)).toEqual(["disabled"]);
    expect(others.Images).toEqual([]);
  });

  it("DescribeSnapshots filters by tag and refuses an unknown id (InvalidSnapshot.NotFound)", async () => {
    // Prepare
    const { account, east } = setup();
    const base = account.seedImage(EAST, { name: "base" });
    const instanceId = account.runInstance(EAST, base);
    await east.send(
      new CreateImageCommand({
        InstanceId: instanceId,
        Name: "app-1",
        TagSpecifications: [{ ResourceType: "snapshot", Tags: [{ Key: "managed", Value: "true" }] }],
      }),
    );
    // Act
    const tagged = await east.send(
      new DescribeSnapshotsCommand({
        OwnerIds: ["self"],
        Filters: [{ Name: "tag:managed", Values: ["true"] }],
      }),
    );
    const unknown = await failure(
      east.send(new DescribeSnapshotsCommand({ SnapshotIds: ["snap-0123456789abcdef0"] })),
    );
    // Assess
    expect(tagged.Snapshots?.map((snapshot) => snapshot.State)).toEqual(["pending"]);
    expect(unknown.name).toBe("InvalidSnapshot.NotFound");
  });
});
