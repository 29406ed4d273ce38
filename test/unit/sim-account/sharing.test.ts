import {
  CopyImageCommand,
  DescribeImageAttributeCommand,
  DescribeSnapshotAttributeCommand,
  DisableImageBlockPublicAccessCommand,
  DisableImageCommand,
  EnableImageBlockPublicAccessCommand,
  GetImageBlockPublicAccessStateCommand,
  ModifyImageAttributeCommand,
  ModifySnapshotAttributeCommand,
  ResetImageAttributeCommand,
  ResetSnapshotAttributeCommand,
} from "@aws-sdk/client-ec2";
import { describe, expect, it } from "vitest";
import { EAST, failure, MINUTE, setup, WEST } from "./helpers";

const org = "arn:aws:organizations::111122223333:organization/o-abcdef1234";

describe("simulated launch permissions (EC2 API reference: ModifyImageAttribute, DescribeImageAttribute, ResetImageAttribute)", () => {
  it("adds and removes accounts, organizations and group all; DescribeImages reports Public", async () => {
    // Prepare
    const { account, east } = setup();
    const imageId = account.seedImage(EAST, { name: "app-1" });
    await east.send(new DisableImageBlockPublicAccessCommand({}));

    // Act
    await east.send(
      new ModifyImageAttributeCommand({
        ImageId: imageId,
        LaunchPermission: { Add: [{ UserId: "444455556666" }, { OrganizationArn: org }, { Group: "all" }] },
      }),
    );
    const shared = await east.send(
      new DescribeImageAttributeCommand({ ImageId: imageId, Attribute: "launchPermission" }),
    );
    const publicWhileShared = account.image(EAST, imageId)?.Public;
    await east.send(
      new ModifyImageAttributeCommand({ ImageId: imageId, LaunchPermission: { Remove: [{ Group: "all" }] } }),
    );
    const after = await east.send(
      new DescribeImageAttributeCommand({ ImageId: imageId, Attribute: "launchPermission" }),
    );

    // Assess
    expect(shared.LaunchPermissions).toEqual([
      { UserId: "444455556666" },
      { OrganizationArn: org },
      { Group: "all" },
    ]);
    expect(publicWhileShared).toBe(true);
    expect(after.LaunchPermissions).toEqual([{ UserId: "444455556666" }, { OrganizationArn: org }]);
    expect(account.image(EAST, imageId)?.Public).toBe(false);
  });

  it("accepts the flat form (Attribute, OperationType, UserIds) and resets to private", async () => {
    // Prepare
    const { account, east } = setup();
    const imageId = account.seedImage(EAST, { name: "app-1" });

    // Act
    await east.send(
      new ModifyImageAttributeCommand({
        ImageId: imageId,
        Attribute: "launchPermission",
        OperationType: "add",
        UserIds: ["444455556666"],
      }),
    );
    await east.send(new ResetImageAttributeCommand({ ImageId: imageId, Attribute: "launchPermission" }));
    const after = await east.send(
      new DescribeImageAttributeCommand({ ImageId: imageId, Attribute: "launchPermission" }),
    );

    // Assess
    expect(after.LaunchPermissions).toEqual([]);
  });

  it("refuses public sharing while image block public access is on (the default of new accounts)", async () => {
    // Prepare
    const { account, east } = setup();
    const imageId = account.seedImage(EAST, { name: "app-1" });
    const initial = await east.send(new GetImageBlockPublicAccessStateCommand({}));

    // Act
    const error = await failure(
      east.send(
        new ModifyImageAttributeCommand({ ImageId: imageId, LaunchPermission: { Add: [{ Group: "all" }] } }),
      ),
    );
    await east.send(new DisableImageBlockPublicAccessCommand({}));
    const off = await east.send(new GetImageBlockPublicAccessStateCommand({}));
    await east.send(
      new EnableImageBlockPublicAccessCommand({ ImageBlockPublicAccessState: "block-new-sharing" }),
    );
    const on = await east.send(new GetImageBlockPublicAccessStateCommand({}));

    // Assess
    expect(initial.ImageBlockPublicAccessState).toBe("block-new-sharing");
    expect(error.name).toBe("OperationNotPermitted");
    expect(account.image(EAST, imageId)?.Public).toBe(false);
    expect([off.ImageBlockPublicAccessState, on.ImageBlockPublicAccessState]).toEqual([
      "unblocked",
      "block-new-sharing",
    ]);
  });

  it("DisableImage removes every launch permission (EC2 User Guide, disable an AMI)", async () => {
    // Prepare
    const { account, east } = setup();
    const imageId = account.seedImage(EAST, { name: "app-1" });
    await east.send(
      new ModifyImageAttributeCommand({
        ImageId: imageId,
        LaunchPermission: { Add: [{ UserId: "444455556666" }] },
      }),
    );

    // Act
    await east.send(new DisableImageCommand({ ImageId: imageId }));
    const after = await east.send(
      new DescribeImageAttributeCommand({ ImageId: imageId, Attribute: "launchPermission" }),
    );

    // Assess
    expect(after.LaunchPermissions).toEqual([]);
  });

  it("records ModifyImageAttribute and ResetImageAttribute in CloudTrail with lowerCamel Query-API parameters", async () => {
    // Prepare
    const { account, east } = setup();
    const imageId = account.seedImage(EAST, { name: "app-1" });
    await east.send(new DisableImageBlockPublicAccessCommand({}));
    account.drainEvents();

    // Act
    await east.send(
      new ModifyImageAttributeCommand({ ImageId: imageId, LaunchPermission: { Add: [{ Group: "all" }] } }),
    );
    await east.send(new ResetImageAttributeCommand({ ImageId: imageId, Attribute: "launchPermission" }));
    const events = account.drainEvents();

    // Assess
    expect(events.map((event) => event.detail)).toEqual([
      expect.objectContaining({
        eventName: "ModifyImageAttribute",
        requestParameters: {
          imageId,
          launchPermission: { add: { items: [{ group: "all" }] } },
          attributeType: "launchPermission",
        },
        responseElements: expect.objectContaining({ _return: true }),
      }),
      expect.objectContaining({
        eventName: "ResetImageAttribute",
        requestParameters: { imageId, attribute: "launchPermission" },
      }),
    ]);
  });
});

describe("simulated snapshot createVolumePermission (EC2 API reference: ModifySnapshotAttribute, DescribeSnapshotAttribute, ResetSnapshotAttribute)", () => {
  it("grants and revokes accounts, refuses making an encrypted snapshot public, and resets", async () => {
    // Prepare
    const { account, west } = setup();
    account.createKey(WEST, { alias: "ami-lifecycle" });
    const source = account.seedImage(EAST, { name: "app-1" });
    await west.send(
      new CopyImageCommand({
        SourceRegion: EAST,
        SourceImageId: source,
        Name: "app-1",
        Encrypted: true,
        KmsKeyId: "alias/ami-lifecycle",
      }),
    );
    account.advance(20 * MINUTE);
    const snapshotId = account.snapshots(WEST)[0]?.SnapshotId as string;

    // Act
    await west.send(
      new ModifySnapshotAttributeCommand({
        SnapshotId: snapshotId,
        Attribute: "createVolumePermission",
        CreateVolumePermission: { Add: [{ UserId: "444455556666" }, { UserId: "777788889999" }] },
      }),
    );
    await west.send(
      new ModifySnapshotAttributeCommand({
        SnapshotId: snapshotId,
        Attribute: "createVolumePermission",
        CreateVolumePermission: { Remove: [{ UserId: "777788889999" }] },
      }),
    );
    const granted = await west.send(
      new DescribeSnapshotAttributeCommand({ SnapshotId: snapshotId, Attribute: "createVolumePermission" }),
    );
    const error = await failure(
      west.send(
        new ModifySnapshotAttributeCommand({
          SnapshotId: snapshotId,
          Attribute: "createVolumePermission",
          CreateVolumePermission: { Add: [{ Group: "all" }] },
        }),
      ),
    );
    await west.send(
      new ResetSnapshotAttributeCommand({ SnapshotId: snapshotId, Attribute: "createVolumePermission" }),
    );
    const reset = await west.send(
      new DescribeSnapshotAttributeCommand({ SnapshotId: snapshotId, Attribute: "createVolumePermission" }),
    );

    // Assess
    expect(granted.CreateVolumePermissions).toEqual([{ UserId: "444455556666" }]);
    expect(error.name).toBe("InvalidParameter");
    expect(reset.CreateVolumePermissions).toEqual([]);
  });
});
