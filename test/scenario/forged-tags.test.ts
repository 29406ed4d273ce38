import { LifecycleTag, runSweep } from "@ami-lifecycle/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { build, type ScenarioWorld, startScenarioWorld } from "../support/event-builds";
import { EventDelivery, orderlyDelivery } from "../support/event-delivery";

const MINUTE = 60_000;

/**
 * Someone with ec2:CreateTags in the account makes images look like copies of a managed version while
 * the version's real copies to eu-west-1 wait for the concurrent-copy quota (one slot, held by
 * payments-api v1's copy). None may be adopted: lineage comes from EC2 and the copy must carry the
 * destination's configured key.
 */
describe("forged copies of a managed version", () => {
  let world: ScenarioWorld;
  let delivery: EventDelivery;
  const registry = () => world.deployment.runtime.reactions.registry;
  const euRecord = async (version: number) =>
    (await registry().getVersion("base-al2023", version))?.regions["eu-west-1"];

  beforeAll(async () => {
    world = await startScenarioWorld({ copyQuota: 1 });
    delivery = new EventDelivery(world.deployment, orderlyDelivery);
    await build(world, { name: "payments-api-2026.11.20.1", call: "CreateImage" });
    await delivery.settle();
    await delivery.advance(2 * MINUTE);
    await build(world, { name: "base-al2023-2026.11.20.1", call: "CreateImage" });
    await build(world, { name: "base-al2023-2026.11.20.2", call: "CreateImage" });
    await delivery.settle();
    await delivery.advance(10 * MINUTE);
  });
  afterAll(() => world.deployment.stop());

  it("are not adopted: a look-alike tagged source-image, and a real but unencrypted copy", async () => {
    // Prepare
    expect((await euRecord(1))?.state).toBe("copy-waiting");
    expect((await euRecord(2))?.state).toBe("copy-waiting");
    const [v1, v2] = [
      await registry().getVersion("base-al2023", 1),
      await registry().getVersion("base-al2023", 2),
    ];
    const claim = (version: number, sourceImageId: string) => ({
      [LifecycleTag.managed]: "true",
      [LifecycleTag.family]: "base-al2023",
      [LifecycleTag.version]: String(version),
      [LifecycleTag.sourceImage]: sourceImageId,
      [LifecycleTag.sourceRegion]: "us-east-1",
    });
    // An unrelated image, tagged as v1's copy: EC2 shows no lineage.
    const lookalike = world.account.seedImage("eu-west-1", {
      name: "someone-elses-image",
      tags: claim(1, v1?.sourceImageId ?? ""),
    });
    // A real copy of v2's source (EC2 lineage), but not encrypted with eu-west-1's configured key.
    const unencrypted = world.account.seedImage("eu-west-1", {
      name: "manual-copy-of-v2",
      tags: claim(2, v2?.sourceImageId ?? ""),
      source: { imageId: v2?.sourceImageId ?? "", region: "us-east-1" },
    });

    // Act
    const report = await runSweep(world.deployment.runtime.reactions, { now: world.account.clock.now() });

    // Assess
    const reconciledIds = report.families.flatMap((family) =>
      family.reconciled.map((entry) => entry.imageId),
    );
    expect(reconciledIds).not.toContain(lookalike);
    expect(reconciledIds).not.toContain(unencrypted);
    expect(await euRecord(1)).toMatchObject({ state: "copy-waiting" });
    expect(await euRecord(2)).toMatchObject({ state: "copy-waiting" });
    expect((await euRecord(1))?.imageId).toBeUndefined();
    expect((await euRecord(2))?.imageId).toBeUndefined();
    expect(await registry().findByImageId(lookalike)).toBeUndefined();
    expect(await registry().findByImageId(unencrypted)).toBeUndefined();
  });

  it("the service's own copies start when the slot frees: EC2 copies of the version's source", async () => {
    // Act
    for (let step = 0; step < 20; step++) await delivery.advance(5 * MINUTE);

    // Assess
    for (const version of [1, 2]) {
      const record = await euRecord(version);
      expect(record).toMatchObject({ state: "available", role: "copy", copyAttempts: 1 });
      const image = world.account.image("eu-west-1", record?.imageId ?? "");
      expect(image?.SourceImageId).toBe((await registry().getVersion("base-al2023", version))?.sourceImageId);
    }
    expect(world.deployment.deadLetters).toEqual([]);
  });
});
