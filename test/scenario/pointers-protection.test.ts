import { runSweep } from "@ami-lifecycle/core";
import {
  DeregisterImageCommand,
  DescribeImagesCommand,
  DisableImageDeregistrationProtectionCommand,
  EC2Client,
  EnableImageDeregistrationProtectionCommand,
} from "@aws-sdk/client-ec2";
import { afterEach, describe, expect, inject, it } from "vitest";
import { PointerWorld, pointerConfig, pointerFamily } from "../support/pointer-world";

const HOUR = 3_600_000;
/** An unrelated person with full EC2 rights in the account (not one of the service's roles). */
const person = "arn:aws:sts::111122223333:assumed-role/Admin/jane";

describe("the images pointers name are protected from deregistration", () => {
  let world: PointerWorld;
  afterEach(() => world.stop());

  const protectionOf = async (region: string, imageId: string) => {
    const ec2 = world.account.client(EC2Client, region, { principalArn: person });
    const { Images } = await ec2.send(
      new DescribeImagesCommand({ ImageIds: [imageId], IncludeDisabled: true }),
    );
    return Images?.[0]?.DeregistrationProtection;
  };
  const stateOf = async (version: number, region: string) =>
    (await world.reactions.registry.getVersion(pointerFamily, version))?.regions[region]?.state;

  it("refuses a person's deregistration of latest's image; the old image retires after the pointer moves, deregistered after the cooldown", async () => {
    // Prepare: v1 is latest everywhere
    world = await PointerWorld.start(inject("dynamoEndpoint"), pointerConfig("enforce", true));
    await world.startBuild();
    await world.settle();
    const v1 = (await world.imageOf(1, "eu-west-1")) ?? "";
    const ec2 = world.account.client(EC2Client, "eu-west-1", { principalArn: person });

    // Act: a person deletes the image production launches from
    const refused = await ec2
      .send(new DeregisterImageCommand({ ImageId: v1 }))
      .catch((error: Error) => error);

    // Assess
    expect(refused).toBeInstanceOf(Error);
    expect((refused as Error).name).toBe("OperationNotPermitted");
    expect(await protectionOf("eu-west-1", v1)).toBe("enabled-with-cooldown");
    expect(await stateOf(1, "eu-west-1")).toBe("available");

    // Act: v2 becomes latest; a sweep right away, then one after the 24 h cooldown
    await world.startBuild();
    await world.settle();
    const v2 = (await world.imageOf(2, "eu-west-1")) ?? "";
    const early = await runSweep(world.reactions, { now: world.account.clock.now() });
    const earlyState = await stateOf(1, "eu-west-1");
    await world.deployment.advance(25 * HOUR);
    await runSweep(world.reactions, { now: world.account.clock.now() });

    // Assess: v2 protected, v1's protection lifted by the move; while its cooldown ran v1 retired as far
    // as EC2 allows (deprecated, disabled) and only its deregistration waited for the cooldown's end
    expect(await world.latestEverywhere()).toEqual(await world.imagesOf(2));
    expect(await protectionOf("eu-west-1", v2)).toBe("enabled-with-cooldown");
    expect(earlyState).toBe("disabled");
    expect(early.families[0]?.plan?.decisions).toContainEqual(
      expect.objectContaining({ version: 1, region: "eu-west-1", action: "deprecate" }),
    );
    const earlySteps = early.families[0]?.applied
      .filter((step) => step.version === 1)
      .map((step) => step.action);
    expect(earlySteps).toContain("disable");
    expect(earlySteps).not.toContain("deregister");
    // Nothing was planned that EC2 then refused: no step of the early sweep failed.
    expect(early.families[0]?.failures).toEqual([]);
    expect(["recoverable", "deregistered"]).toContain(await stateOf(1, "eu-west-1"));
    expect(world.deployment.deadLetters).toEqual([]);
  });

  it("has the sweep put back a protection someone removed and lift a stale one", async () => {
    // Prepare: v2 is latest; someone lifts its protection, and v1 still carries the service's (the
    // lifting call failed when the pointer moved, without cooldown so it would retire at once)
    world = await PointerWorld.start(inject("dynamoEndpoint"), pointerConfig("enforce", false));
    await world.startBuild();
    await world.settle();
    // Every attempt (SDK retries included) to lift a protection fails while v2 becomes latest.
    world.account.setFaults({ serverErrorRate: 1, only: ["DisableImageDeregistrationProtection"] });
    await world.startBuild();
    await world.settle();
    world.account.setFaults({});
    const v1 = (await world.imageOf(1, "us-east-1")) ?? "";
    const v2 = (await world.imageOf(2, "us-east-1")) ?? "";
    expect(await protectionOf("us-east-1", v1)).toBe("enabled");
    const ec2 = world.account.client(EC2Client, "us-east-1", { principalArn: person });
    await ec2.send(new DisableImageDeregistrationProtectionCommand({ ImageId: v2 }));
    await world.deployment.advance(25 * HOUR);

    // Act
    const report = await runSweep(world.reactions, { now: world.account.clock.now() });

    // Assess
    expect(await protectionOf("us-east-1", v2)).toBe("enabled");
    expect(report.families[0]?.reconciled).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ kind: "protection-enabled", region: "us-east-1", imageId: v2 }),
        expect.objectContaining({ kind: "protection-removed", region: "us-east-1", imageId: v1 }),
      ]),
    );
    // Without cooldown the lifted protection ends at once: v1 retires in the same sweep.
    expect(["recoverable", "deregistered"]).toContain(await stateOf(1, "us-east-1"));
  });

  it("leaves alone a protection a person set on an image no pointer names: the version is kept", async () => {
    // Prepare: v2 is latest, v1's pointer protection was lifted and its cooldown ran out
    world = await PointerWorld.start(inject("dynamoEndpoint"), pointerConfig("enforce", true));
    await world.startBuild();
    await world.settle();
    await world.startBuild();
    await world.settle();
    await world.deployment.advance(25 * HOUR);
    const v1 = (await world.imageOf(1, "us-east-1")) ?? "";
    const ec2 = world.account.client(EC2Client, "us-east-1", { principalArn: person });
    await ec2.send(new EnableImageDeregistrationProtectionCommand({ ImageId: v1 }));

    // Act
    const report = await runSweep(world.reactions, { now: world.account.clock.now() });

    // Assess: the person's protection stays, and so v1 is kept (rule protected), nothing retired
    expect(await protectionOf("us-east-1", v1)).toBe("enabled");
    expect(report.families[0]?.reconciled).not.toContainEqual(
      expect.objectContaining({ kind: "protection-removed", imageId: v1 }),
    );
    expect(report.families[0]?.plan?.decisions).toContainEqual(
      expect.objectContaining({
        version: 1,
        region: "us-east-1",
        action: "keep",
        reasons: expect.arrayContaining([expect.objectContaining({ rule: "protected" })]),
      }),
    );
    expect(await stateOf(1, "us-east-1")).toBe("available");
  });
});
