import { RequestInProgressError } from "@ami-lifecycle/aws";
import type { LocalDeployment } from "@ami-lifecycle/simulated-account";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
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
});
