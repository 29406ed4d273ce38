import { reconcileImage, runSweep } from "@ami-lifecycle/core";
import { DeregisterImageCommand, DescribeImagesCommand, EC2Client } from "@aws-sdk/client-ec2";
import { afterEach, describe, expect, inject, it } from "vitest";
import { notificationKeys } from "../support/event-snapshot";
import { PointerWorld, pointerFamily } from "../support/pointer-world";

/**
 * A CopyImage that EC2 refuses for good in one destination (eu-west-1, the first configured) must not
 * hold back the other destination, the `latest` pointer or the sweep request, nor fail every later sweep.
 */
describe("a copy EC2 refuses in one destination", () => {
  let world: PointerWorld;
  afterEach(() => world.stop());

  const sweepRequested = () =>
    world.deployment.deliveries.some(
      (delivery) => delivery.event["detail-type"] === "Family Sweep Requested",
    );

  it("is recorded failed with copy-failed once while the other destination, latest and the sweep go on (InvalidAMIName.Duplicate)", async () => {
    // Prepare: someone already has an image named like the first build in eu-west-1
    world = await PointerWorld.start(inject("dynamoEndpoint"));
    world.account.seedImage("eu-west-1", { name: "web-2026.11.21" });

    // Act
    await world.startBuild();
    await world.settle();
    const sweep = await runSweep(world.reactions, { now: world.account.clock.now() });
    await world.settle();

    // Assess
    expect(world.deployment.deadLetters).toEqual([]);
    const version = await world.reactions.registry.getVersion(pointerFamily, 1);
    expect(version?.regions["eu-west-1"]).toMatchObject({ state: "failed", role: "copy", copyAttempts: 1 });
    expect(version?.regions["eu-west-1"]?.failureReason).toContain("InvalidAMIName.Duplicate");
    expect(version?.regions["ap-southeast-2"]?.state).toBe("available");
    const latest = await world.latestEverywhere();
    expect(latest["us-east-1"]).toBe(await world.imageOf(1, "us-east-1"));
    expect(latest["ap-southeast-2"]).toBe(await world.imageOf(1, "ap-southeast-2"));
    expect(sweepRequested()).toBe(true);
    expect(sweep.failures).toEqual([]);
    expect(sweep.families.flatMap((family) => family.failures)).toEqual([]);
    expect(
      sweep.families.flatMap((family) => family.reconciled).filter((entry) => entry.kind === "copy-started"),
    ).toEqual([]);
    expect(notificationKeys(world.deployment).filter((key) => key.startsWith("copy-failed"))).toEqual([
      "copy-failed web v1 eu-west-1 attempt 1 final",
    ]);
  });
});

describe("a copy EC2 refused once", () => {
  let world: PointerWorld;
  afterEach(() => world.stop());

  it("is made by the next sweep after the cause is removed, without a second copy-failed", async () => {
    // Prepare
    world = await PointerWorld.start(inject("dynamoEndpoint"));
    const squatter = world.account.seedImage("eu-west-1", { name: "web-2026.11.21" });
    await world.startBuild();
    await world.settle();
    await world.account
      .client(EC2Client, "eu-west-1")
      .send(new DeregisterImageCommand({ ImageId: squatter }));

    // Act
    await runSweep(world.reactions, { now: world.account.clock.now() });
    await world.settle();

    // Assess
    const version = await world.reactions.registry.getVersion(pointerFamily, 1);
    expect(version?.regions["eu-west-1"]).toMatchObject({ state: "available", copyAttempts: 1 });
    expect(version?.regions["eu-west-1"]?.copyRefused).toBeUndefined();
    expect((await world.latestEverywhere())["eu-west-1"]).toBe(version?.regions["eu-west-1"]?.imageId);
    expect(notificationKeys(world.deployment).filter((key) => key.startsWith("copy-failed"))).toHaveLength(1);
  });
});

describe("a version whose name CopyImage refuses (InvalidAMIName.Malformed)", () => {
  let world: PointerWorld;
  afterEach(() => world.stop());

  it("gets its copies under the derived name, each run of refused characters replaced by '-'", async () => {
    // Prepare
    world = await PointerWorld.start(inject("dynamoEndpoint"));
    const imageId = world.account.seedImage("us-east-1", { name: "web-2026.11.21+b7:rc", legacyName: true });

    // Act
    await reconcileImage(world.reactions, "us-east-1", imageId);
    await world.settle();

    // Assess
    expect(world.deployment.deadLetters).toEqual([]);
    const version = await world.reactions.registry.getVersion(pointerFamily, 1);
    for (const region of ["eu-west-1", "ap-southeast-2"]) {
      expect(version?.regions[region]?.state).toBe("available");
      const { Images } = await world.account
        .client(EC2Client, region)
        .send(new DescribeImagesCommand({ ImageIds: [version?.regions[region]?.imageId ?? ""] }));
      expect(Images?.[0]?.Name).toBe("web-2026.11.21-b7-rc");
    }
  });
});

describe("a CopyImage that fails transiently (RequestLimitExceeded past the SDK's retries)", () => {
  let world: PointerWorld;
  afterEach(() => world.stop());

  it("is rethrown so Lambda retries the event, and nothing is recorded as refused", async () => {
    // Prepare
    world = await PointerWorld.start(inject("dynamoEndpoint"));
    world.account.setFaults({ throttleRate: 1, only: ["CopyImage"] });

    // Act
    await world.startBuild();
    await world.settle();

    // Assess
    expect(world.deployment.deadLetters.length).toBeGreaterThan(0);
    const version = await world.reactions.registry.getVersion(pointerFamily, 1);
    expect(version?.regions["eu-west-1"]).toBeUndefined();
    expect(notificationKeys(world.deployment).filter((key) => key.startsWith("copy-failed"))).toEqual([]);
  });
});
