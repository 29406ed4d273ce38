import { RequestInProgressError } from "@ami-lifecycle/aws";
import { InvalidEventError } from "@ami-lifecycle/core";
import { localLambdaContext } from "@ami-lifecycle/simulated-account";
import { describe, expect, it } from "vitest";
import { pointerFamily } from "../../support/pointer-world";
import { useRollbackLambda } from "../../support/rollback-lambda";

describe("the rollback Lambda", () => {
  const lambda = useRollbackLambda(2);

  it("rejects a request that does not match its contract, changing nothing", async () => {
    // Act
    const outcome = lambda.handler(
      { family: pointerFamily, to: "one" },
      localLambdaContext("rollback", "request-1"),
    );

    // Assess
    await expect(outcome).rejects.toBeInstanceOf(InvalidEventError);
    await expect(outcome).rejects.toMatchObject({ issues: [expect.objectContaining({ path: "to" })] });
    expect(await lambda.world.latestEverywhere()).toEqual(await lambda.world.imagesOf(2));
  });

  it("rolls the family back and returns what it did", async () => {
    // Act
    const result = await lambda.handler(
      { family: pointerFamily },
      localLambdaContext("rollback", "request-1"),
    );

    // Assess
    expect(result).toMatchObject({ family: pointerFamily, target: 1, withdrawn: [2] });
    expect(await lambda.world.latestEverywhere()).toEqual(await lambda.world.imagesOf(1));
  });
});

describe("the rollback Lambda, asked twice", () => {
  const lambda = useRollbackLambda(3);

  it("withdraws once: the repeated request gets the first answer instead of rolling back further", async () => {
    // Act
    const first = await lambda.handler(
      { family: pointerFamily },
      localLambdaContext("rollback", "request-1"),
    );
    const repeated = await lambda.handler(
      { family: pointerFamily },
      localLambdaContext("rollback", "request-2"),
    );

    // Assess
    expect(first).toMatchObject({ family: pointerFamily, target: 2, withdrawn: [3] });
    expect(repeated).toEqual(first);
    expect(await lambda.world.latestEverywhere()).toEqual(await lambda.world.imagesOf(2));
    const versions = await lambda.world.reactions.registry.listVersions(pointerFamily);
    expect(versions.filter((version) => version.withdrawn).map((version) => version.version)).toEqual([3]);
  });
});

describe("the rollback Lambda, asked twice at the same time", () => {
  const lambda = useRollbackLambda(3);

  it("withdraws once: the concurrent duplicate is refused while the first runs", async () => {
    // Act
    const outcomes = await Promise.allSettled([
      lambda.handler({ family: pointerFamily }, localLambdaContext("rollback", "request-1")),
      lambda.handler({ family: pointerFamily }, localLambdaContext("rollback", "request-2")),
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
    expect(await lambda.world.latestEverywhere()).toEqual(await lambda.world.imagesOf(2));
    const versions = await lambda.world.reactions.registry.listVersions(pointerFamily);
    expect(versions.filter((version) => version.withdrawn).map((version) => version.version)).toEqual([3]);
  });
});
