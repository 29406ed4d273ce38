import type { localLambdaContext } from "@ami-lifecycle/simulated-account";
import { afterAll, beforeAll, inject } from "vitest";
import { createRollbackHandler } from "../../functions/rollback";
import { PointerWorld } from "./pointer-world";

/** The rollback Lambda as a test calls it: any event, a local context. */
export type RollbackHandler = (
  event: unknown,
  context: ReturnType<typeof localLambdaContext>,
) => Promise<unknown>;

/** A pointer world and the rollback Lambda over its deployment. */
export interface RollbackLambda {
  world: PointerWorld;
  handler: RollbackHandler;
}

/**
 * Registers, in the calling `describe`, a fresh pointer world with `builds` versions built and settled
 * (started before its tests, stopped after) and the rollback Lambda over it; read the fields in tests.
 */
export function useRollbackLambda(builds: number): RollbackLambda {
  const lambda = {} as RollbackLambda;
  beforeAll(async () => {
    lambda.world = await PointerWorld.start(inject("dynamoEndpoint"));
    for (let build = 0; build < builds; build++) {
      await lambda.world.startBuild();
      await lambda.world.settle();
    }
    lambda.handler = createRollbackHandler(() => lambda.world.deployment.runtime) as RollbackHandler;
  });
  afterAll(() => lambda.world.stop());
  return lambda;
}
