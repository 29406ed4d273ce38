import { RequestInProgressError } from "@ami-lifecycle/aws";
import { InvalidEventError } from "@ami-lifecycle/core";
import { localLambdaContext } from "@ami-lifecycle/simulated-account";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { createRollbackHandler } from "../../../functions/rollback";
import { PointerWorld, pointerFamily } from "../../support/pointer-world";

type Handler = (event: unknown, context: ReturnType<typeof localLambdaContext>) => Promise<unknown>;

describe("the rollback Lambda", () => {
  let world: PointerWorld;
  let handler: Handler;

  beforeAll(async () => {
    world = await PointerWorld.start(inject("dynamoEndpoint"));
    for (let build = 0; build < 2; build++) {
      await world.startBuild();
      await world.settle();
    }
    handler = createRollbackHandler(() => world.deployment.runtime) as Handler;
  });
  afterAll(() => world.stop());

  it("rejects a request that does not match its contract, changing nothing", async () => {
    // Act
    const outcome = handler(
      { family: pointerFamily, to: "one" },
      localLambdaContext("rollback", "request-1"),
    );

    // Assess
    await expect(outcome).rejects.toBeInstanceOf(InvalidEventError);
    await expect(outcome).rejects.toMatchObject({ issues: [expect.objectContaining({ path: "to" })] });
    expect(await world.latestEverywhere()).toEqual(await world.imagesOf(2));
  });

  it("rolls the family back and returns what it did", async () => {
    // Act
    const result = await handler({ family: pointerFamily }, localLambdaContext("rollback", "request-1"));

    // Assess
    expect(result).toMatchObject({ family: pointerFamily, target: 1, withdrawn: [2] });
    expect(await world.latestEverywhere()).toEqual(await world.imagesOf(1));
  });
});

describe("the rollback Lambda, asked twice", () => {
  let world: PointerWorld;
  let handler: Handler;

  beforeAll(async () => {
    world = await PointerWorld.start(inject("dynamoEndpoint"));
    for (let build = 0; build < 3; build++) {
      await world.startBuild();
      await world.settle();
    }
    handler = createRollbackHandler(() => world.deployment.runtime) as Handler;
  });
  afterAll(() => world.stop());

  it("withdraws once: the repeated request gets the first answer instead of rolling back further", async () => {
    // Act
    const first = await handler({ family: pointerFamily }, localLambdaContext("rollback", "request-1"));
    const repeated = await handler({ family: pointerFamily }, localLambdaContext("rollback", "request-2"));

    // Assess
    expect(first).toMatchObject({ family: pointerFamily, target: 2, withdrawn: [3] });
    expect(repeated).toEqual(first);
    expect(await world.latestEverywhere()).toEqual(await world.imagesOf(2));
    const versions = await world.reactions.registry.listVersions(pointerFamily);
    expect(versions.filter((version) => version.withdrawn).map((version) => version.version)).toEqual([3]);
  });
});

describe("the rollback Lambda, asked twice at the same time", () => {
  let world: PointerWorld;
  let handler: Handler;

  beforeAll(async () => {
    world = await PointerWorld.start(inject("dynamoEndpoint"));
    for (let build = 0; build < 3; build++) {
      await world.startBuild();
      await world.settle();
    }
    handler = createRollbackHandler(() => world.deployment.runtime) as Handler;
  });
  afterAll(() => world.stop());

  it("withdraws once: the concurrent duplicate is refused while the first runs", async () => {
    // Act
    const outcomes = await Promise.allSettled([
      handler({ family: pointerFamily }, localLambdaContext("rollback", "request-1")),
      handler({ family: pointerFamily }, localLambdaContext("rollback", "request-2")),
    ]);

    // Assess
    const answered = outcomes.filter((outcome) => outcome.status === "fulfilled");
    const refused = outcomes.filter((outcome) => outcome.status === "rejected");
    expect(answered).toHaveLength(1);
    expect((answered[0] as PromiseFulfilledResult<unknown>).value).toMatchObject({
      target: 2,
      withdrawn: [3],
    });
    expect((refused[0] as PromiseRejectedResult | undefined)?.reason).toBeInstanceOf(RequestInProgressError);
    expect(await world.latestEverywhere()).toEqual(await world.imagesOf(2));
    const versions = await world.reactions.registry.listVersions(pointerFamily);
    expect(versions.filter((version) => version.withdrawn).map((version) => version.version)).toEqual([3]);
  });
});
