import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { createRollbackHandler } from "../../../functions/rollback";
import { localLambdaContext } from "../../../packages/cli/src/local/lambda-context";
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
    await expect(outcome).rejects.toThrow();
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
