import type { Runtime } from "@ami-lifecycle/aws";
import { RequestInProgressError } from "@ami-lifecycle/aws";
import {
  type LocalDeployment,
  type LocalHandler,
  localLambdaContext,
} from "@ami-lifecycle/simulated-account";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { createRetentionSweepHandler } from "../../../functions/retention-sweep";
import {
  buildVersions,
  dayMs,
  scheduledSweep,
  startRetentionDeployment,
} from "../../support/retention-world";

describe("the retention sweep Lambda, sent the same request twice", () => {
  let deployment: LocalDeployment;

  beforeAll(async () => {
    deployment = await startRetentionDeployment("enforce", inject("dynamoEndpoint"));
    // keepLatest 3: the two oldest of five are due for retirement after four days.
    await buildVersions(deployment, 5);
    await deployment.advance(4 * dayMs);
  }, 120_000);
  afterAll(() => deployment.stop());

  it("runs one sweep: the concurrent duplicate is refused, a later repeat gets the first outcome without sweeping", async () => {
    // Act
    const [first, second] = await Promise.allSettled([
      scheduledSweep(deployment, "day-4"),
      scheduledSweep(deployment, "day-4"),
    ]);
    const ran = [first, second].filter((outcome) => outcome.status === "fulfilled");
    const refused = [first, second].filter((outcome) => outcome.status === "rejected");
    const outcome = (ran[0] as PromiseFulfilledResult<unknown> | undefined)?.value as
      | { families: { applied: unknown[] }[] }
      | undefined;
    deployment.account.resetCallCounts();
    const repeated = await scheduledSweep(deployment, "day-4");

    // Assess
    expect(ran).toHaveLength(1);
    expect(refused).toHaveLength(1);
    expect((refused[0] as PromiseRejectedResult).reason).toBeInstanceOf(RequestInProgressError);
    expect(outcome?.families.flatMap((family) => family.applied).length).toBeGreaterThan(0);
    expect(repeated).toEqual(outcome);
    expect(deployment.account.callCounts()).toEqual({});
  });

  it("runs one sweep for a family request put on the bus twice (two event ids, one request key)", async () => {
    // Prepare: the reaction put v5's request, then a retry of it put the same request again
    const handler = createRetentionSweepHandler(
      () => deployment.runtime as Runtime,
    ) as unknown as LocalHandler;
    const request = (id: string) => ({
      version: "0",
      id,
      "detail-type": "Family Sweep Requested",
      source: "ami-lifecycle",
      account: "111122223333",
      time: deployment.account.clock.now().toISOString(),
      region: "us-east-1",
      resources: [],
      detail: { family: "web", reason: "v5 available", requestKey: "sweep-request:web:5" },
    });
    deployment.account.resetCallCounts();
    const first = await handler(request("first-put"), localLambdaContext("retention-sweep", "first-put"));
    const sweptCalls = Object.keys(deployment.account.callCounts()).length;
    deployment.account.resetCallCounts();

    // Act
    const second = await handler(request("second-put"), localLambdaContext("retention-sweep", "second-put"));

    // Assess: the first swept (it read EC2), the second is answered from the first's record
    expect(sweptCalls).toBeGreaterThan(0);
    expect(second).toEqual(first);
    expect(deployment.account.callCounts()).toEqual({});
  });
});
