import {
  CreateTagsCommand,
  DeleteSnapshotCommand,
  DeleteTagsCommand,
  DeregisterImageCommand,
  DisableImageCommand,
  DisableImageDeregistrationProtectionCommand,
  EnableImageCommand,
  EnableImageDeprecationCommand,
  EnableImageDeregistrationProtectionCommand,
  RegisterImageCommand,
} from "@aws-sdk/client-ec2";
import { describe, expect, it } from "vitest";
import { EAST, failure, MINUTE, setup } from "./helpers";

const snapshotOf = (account: ReturnType<typeof setup>["account"], imageId: string) =>
  account.image(EAST, imageId)?.BlockDeviceMappings?.[0]?.Ebs?.SnapshotId as string;

describe("simulated image retirement", () => {
  it("DeregisterImage with DeleteAssociatedSnapshots deletes unshared snapshots and skips shared ones (DeleteSnapshotReturnCode)", async () => {
    // Prepare
    const { account, east } = setup();
    const shared = account.seedImage(EAST, { name: "shared" });
    const sharedSnapshot = snapshotOf(account, shared);
    await east.send(
      new RegisterImageCommand({
        Name: "twin",
        BlockDeviceMappings: [{ DeviceName: "/dev/xvda", Ebs: { SnapshotId: sharedSnapshot } }],
      }),
    );
    const alone = account.seedImage(EAST, { name: "alone" });
    const aloneSnapshot = snapshotOf(account, alone);
    account.drainEvents();
    // Act
    const skipped = await east.send(
      new DeregisterImageCommand({ ImageId: shared, DeleteAssociatedSnapshots: true }),
    );
    const deleted = await east.send(
      new DeregisterImageCommand({ ImageId: alone, DeleteAssociatedSnapshots: true }),
    );
    const again = await failure(east.send(new DeregisterImageCommand({ ImageId: alone })));
    // Assess
    expect(skipped.DeleteSnapshotResults).toEqual([{ SnapshotId: sharedSnapshot, ReturnCode: "skipped" }]);
    expect(deleted.DeleteSnapshotResults).toEqual([{ SnapshotId: aloneSnapshot, ReturnCode: "success" }]);
    expect(account.snapshots(EAST).map((snapshot) => snapshot.SnapshotId)).toEqual([sharedSnapshot]);
    expect(account.drainEvents().map((event) => [event.detail.ImageId, event.detail.State])).toEqual([
      [shared, "deregistered"],
      [alone, "deregistered"],
    ]);
    expect(again.name).toBe("InvalidAMIID.Unavailable");
  });

  it("DeleteSnapshot answers InvalidSnapshot.InUse while a registered image uses it, InvalidSnapshot.NotFound once gone", async () => {
    // Prepare
    const { account, east } = setup();
    const image = account.seedImage(EAST, { name: "app-1" });
    const snapshotId = snapshotOf(account, image);
    // Act
    const inUse = await failure(east.send(new DeleteSnapshotCommand({ SnapshotId: snapshotId })));
    await east.send(new DeregisterImageCommand({ ImageId: image }));
    await east.send(new DeleteSnapshotCommand({ SnapshotId: snapshotId }));
    const gone = await failure(east.send(new DeleteSnapshotCommand({ SnapshotId: snapshotId })));
    // Assess
    expect(inUse.name).toBe("InvalidSnapshot.InUse");
    expect(gone.name).toBe("InvalidSnapshot.NotFound");
  });

  it("deregistration protection blocks DeregisterImage, and with cooldown for 24 hours after it is disabled", async () => {
    // Prepare
    const { account, east } = setup();
    const image = account.seedImage(EAST, { name: "app-1" });
    await east.send(new EnableImageDeregistrationProtectionCommand({ ImageId: image, WithCooldown: true }));
    // Act
    const blocked = await failure(east.send(new DeregisterImageCommand({ ImageId: image })));
    const shown = account.image(EAST, image)?.DeregistrationProtection;
    await east.send(new DisableImageDeregistrationProtectionCommand({ ImageId: image }));
    const inCooldown = await failure(east.send(new DeregisterImageCommand({ ImageId: image })));
    account.advance(24 * 60 * MINUTE);
    await east.send(new DeregisterImageCommand({ ImageId: image }));
    // Assess
    expect(blocked.name).toBe("OperationNotPermitted");
    expect(shown).toBe("enabled-with-cooldown");
    expect(inCooldown.name).toBe("OperationNotPermitted");
    expect(account.image(EAST, image)?.State).toBe("deregistered");
  });

  it("EnableImageDeprecation rounds to the minute and refuses the past and more than 10 years ahead", async () => {
    // Prepare
    const { account, east } = setup();
    const image = account.seedImage(EAST, { name: "app-1" });
    // Act
    await east.send(
      new EnableImageDeprecationCommand({
        ImageId: image,
        DeprecateAt: new Date("2026-12-01T08:30:40.500Z"),
      }),
    );
    const past = await failure(
      east.send(
        new EnableImageDeprecationCommand({ ImageId: image, DeprecateAt: new Date("2026-01-01T00:00:00Z") }),
      ),
    );
    const tooFar = await failure(
      east.send(
        new EnableImageDeprecationCommand({ ImageId: image, DeprecateAt: new Date("2037-01-01T00:00:00Z") }),
      ),
    );
    // Assess
    expect(account.image(EAST, image)?.DeprecationTime).toBe("2026-12-01T08:31:00.000Z");
    expect(past.name).toBe("InvalidParameterValue");
    expect(tooFar.name).toBe("InvalidParameterValue");
  });

  it("DisableImage emits disabled and EnableImage emits available again", async () => {
    // Prepare
    const { account, east } = setup();
    const image = account.seedImage(EAST, { name: "app-1" });
    // Act
    await east.send(new DisableImageCommand({ ImageId: image }));
    const launch = (() => {
      try {
        account.runInstance(EAST, image);
        return "launched";
      } catch (error) {
        return (error as Error).name;
      }
    })();
    await east.send(new EnableImageCommand({ ImageId: image }));
    const notDisabled = await failure(east.send(new EnableImageCommand({ ImageId: image })));
    // Assess
    expect(account.drainEvents().map((event) => event.detail.State)).toEqual(["disabled", "available"]);
    expect(launch).toBe("InvalidAMIID.Unavailable");
    expect(notDisabled.name).toBe("IncorrectState");
  });

  it("CreateTags tags images and snapshots all-or-nothing; DeleteTags removes by key or key+value", async () => {
    // Prepare
    const { account, east } = setup();
    const image = account.seedImage(EAST, { name: "app-1", tags: { keep: "1", drop: "x" } });
    const snapshotId = snapshotOf(account, image);
    // Act
    await east.send(
      new CreateTagsCommand({ Resources: [image, snapshotId], Tags: [{ Key: "version", Value: "3" }] }),
    );
    const unknown = await failure(
      east.send(
        new CreateTagsCommand({
          Resources: [image, "ami-0123456789abcdef0"],
          Tags: [{ Key: "x", Value: "y" }],
        }),
      ),
    );
    const reserved = await failure(
      east.send(new CreateTagsCommand({ Resources: [image], Tags: [{ Key: "aws:x", Value: "y" }] })),
    );
    await east.send(
      new DeleteTagsCommand({ Resources: [image], Tags: [{ Key: "drop" }, { Key: "keep", Value: "other" }] }),
    );
    // Assess
    expect(account.image(EAST, image)?.Tags).toEqual([
      { Key: "keep", Value: "1" },
      { Key: "version", Value: "3" },
    ]);
    expect(account.snapshots(EAST)[0]?.Tags).toEqual([{ Key: "version", Value: "3" }]);
    expect(unknown.name).toBe("InvalidAMIID.NotFound");
    expect(reserved.name).toBe("InvalidParameterValue");
  });

  it("updates LastLaunchedTime when an instance is run from the image", () => {
    // Prepare
    const { account } = setup();
    const image = account.seedImage(EAST, { name: "app-1" });
    account.advance(5 * MINUTE);
    // Act
    account.runInstance(EAST, image);
    // Assess
    expect(account.image(EAST, image)?.LastLaunchedTime).toBe("2026-11-20T10:05:00.000Z");
  });
});
