import {
  DeregisterImageCommand,
  DescribeImageAttributeCommand,
  DisableImageCommand,
  DisableImageDeprecationCommand,
  DisableImageDeregistrationProtectionCommand,
  EnableImageCommand,
  EnableImageDeprecationCommand,
  EnableImageDeregistrationProtectionCommand,
  ModifyImageAttributeCommand,
} from "@aws-sdk/client-ec2";
import { describe, expect, it } from "vitest";
import { EAST, MINUTE, setup } from "./helpers";

const CONSUMER = "444455556666";

describe("simulated undo of each retirement stage", () => {
  it("EnableImage makes a disabled image available without the launch permissions DisableImage removed", async () => {
    // Prepare
    const { account, east } = setup();
    const image = account.seedImage(EAST, { name: "shared" });
    await east.send(
      new ModifyImageAttributeCommand({ ImageId: image, LaunchPermission: { Add: [{ UserId: CONSUMER }] } }),
    );
    await east.send(new DisableImageCommand({ ImageId: image }));
    // Act
    await east.send(new EnableImageCommand({ ImageId: image }));
    const permissions = await east.send(
      new DescribeImageAttributeCommand({ ImageId: image, Attribute: "launchPermission" }),
    );
    // Assess
    expect(account.image(EAST, image)?.State).toBe("available");
    expect(permissions.LaunchPermissions ?? []).toEqual([]);
  });

  it("DisableImageDeprecation cancels a scheduled deprecation", async () => {
    // Prepare
    const { account, east } = setup();
    const image = account.seedImage(EAST, { name: "deprecated" });
    await east.send(
      new EnableImageDeprecationCommand({
        ImageId: image,
        DeprecateAt: new Date(account.clock.nowMs() + MINUTE),
      }),
    );
    const scheduled = account.image(EAST, image)?.DeprecationTime;
    // Act
    await east.send(new DisableImageDeprecationCommand({ ImageId: image }));
    // Assess
    expect(scheduled).toBeDefined();
    expect(account.image(EAST, image)?.DeprecationTime).toBeUndefined();
  });

  it("protection without cooldown lifts at once when disabled", async () => {
    // Prepare
    const { account, east } = setup();
    const image = account.seedImage(EAST, { name: "pointer-target" });
    await east.send(new EnableImageDeregistrationProtectionCommand({ ImageId: image, WithCooldown: false }));
    // Act
    await east.send(new DisableImageDeregistrationProtectionCommand({ ImageId: image }));
    await east.send(new DeregisterImageCommand({ ImageId: image }));
    // Assess
    expect(account.image(EAST, image)?.State).toBe("deregistered");
  });
});
