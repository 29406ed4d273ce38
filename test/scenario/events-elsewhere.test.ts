import {
  DeregisterImageCommand,
  DisableImageCommand,
  DisableImageDeregistrationProtectionCommand,
  EC2Client,
  EnableImageCommand,
} from "@aws-sdk/client-ec2";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { build, type ScenarioWorld, startScenarioWorld } from "../support/event-builds";
import { EventDelivery } from "../support/event-delivery";
import { notificationKeys } from "../support/event-snapshot";

const MINUTE = 60_000;

/** Someone with console access, not the service. */
const operatorPrincipal = "arn:aws:sts::111122223333:assumed-role/Admin/jane";

describe("images retired by someone other than the service", () => {
  let world: ScenarioWorld;
  let delivery: EventDelivery;
  let source: string;
  let euCopy: string;

  beforeAll(async () => {
    world = await startScenarioWorld();
    // Every event up to three times, shuffled: each change must still be announced once.
    delivery = new EventDelivery(world.deployment, {
      maxCopies: 3,
      shuffle: true,
      spillRate: 0.3,
      withoutCloudTrail: false,
      seed: 5,
    });
    source = await build(world, { name: "base-al2023-2026.11.20.1", call: "CreateImage" });
    await delivery.settle();
    await delivery.advance(10 * MINUTE);
    await delivery.advance(20 * MINUTE);
    const version = await world.deployment.runtime.reactions.registry.getVersion("base-al2023", 1);
    euCopy = version?.regions["eu-west-1"]?.imageId ?? "";
  });
  afterAll(() => world.deployment.stop());

  const operator = (region: string) =>
    world.account.client(EC2Client, region, { principalArn: operatorPrincipal });
  const regionRecord = async (region: string) =>
    (await world.deployment.runtime.reactions.registry.getVersion("base-al2023", 1))?.regions[region];
  const elsewhereNotifications = () =>
    notificationKeys(world.deployment).filter((key) => key.includes("-elsewhere"));

  it("records a copy disabled by an operator and says so once", async () => {
    // Act
    await operator("eu-west-1").send(new DisableImageCommand({ ImageId: euCopy }));
    await delivery.settle();

    // Assess
    expect(await regionRecord("eu-west-1")).toMatchObject({ imageId: euCopy, state: "disabled" });
    expect(elsewhereNotifications()).toEqual(["disabled-elsewhere base-al2023 v1 eu-west-1"]);
    expect(world.deployment.deadLetters).toEqual([]);
  });

  it("records the copy available again when re-enabled, without announcing it available twice", async () => {
    // Act
    await operator("eu-west-1").send(new EnableImageCommand({ ImageId: euCopy }));
    await delivery.settle();

    // Assess
    expect(await regionRecord("eu-west-1")).toMatchObject({ imageId: euCopy, state: "available" });
    const available = notificationKeys(world.deployment).filter((key) => key.startsWith("available "));
    expect(available).toEqual([
      "available base-al2023 v1 ap-southeast-2",
      "available base-al2023 v1 eu-west-1",
      "available base-al2023 v1 us-east-1",
    ]);
  });

  it("records a source deregistered by an operator and says so once, keeping the version", async () => {
    // Prepare: `latest` names the source, so the service protected it (with cooldown): EC2 refuses its
    // deregistration until the operator lifts the protection and the 24 h cooldown runs out.
    await operator("us-east-1").send(new DisableImageDeregistrationProtectionCommand({ ImageId: source }));
    world.account.advance(24 * 60 * MINUTE + MINUTE);

    // Act
    await operator("us-east-1").send(new DeregisterImageCommand({ ImageId: source }));
    await delivery.settle();
    await delivery.advance(5 * MINUTE);

    // Assess
    expect(await regionRecord("us-east-1")).toMatchObject({ imageId: source, state: "deregistered" });
    expect(await regionRecord("eu-west-1")).toMatchObject({ state: "available" });
    expect(elsewhereNotifications()).toEqual([
      "deregistered-elsewhere base-al2023 v1 us-east-1",
      "disabled-elsewhere base-al2023 v1 eu-west-1",
    ]);
    expect(world.deployment.deadLetters).toEqual([]);
  });
});
