import { SweepIncompleteError } from "@ami-lifecycle/core";
import { describe, expect, it } from "vitest";
import { expectNothingWronglyTouched, expectRetiredAsPlanned } from "../support/retention-assertions";
import { useRetentionScenario } from "../support/retention-scenario";
import { dayMs, scheduledSweep } from "../support/retention-world";

/** Scheduler's retry policy in stacks/schedule.ts allows 5 retries; the scenario needs far fewer. */
const schedulerAttempts = 6;

describe("retention in enforce mode under 10% EC2 throttling", () => {
  const scenario = useRetentionScenario();

  it("converges to the same retirement, retrying what throttling made fail", async () => {
    // Prepare
    const { deployment, versions, fixture, recorder } = scenario;
    deployment.account.setFaults({ throttleRate: 0.1, seed: 7 });

    // Act
    for (let day = 1; day <= 9; day++) {
      await deployment.advance(dayMs);
      for (let attempt = 1; ; attempt++) {
        try {
          await scheduledSweep(deployment, `day-${day}-attempt-${attempt}`);
          break;
        } catch (error) {
          if (!(error instanceof SweepIncompleteError) || attempt >= schedulerAttempts) throw error;
        }
      }
      await deployment.pump();
      expectNothingWronglyTouched(deployment, versions, fixture);
    }
    deployment.account.setFaults({});

    // Assess
    await expectRetiredAsPlanned(deployment, fixture, recorder);
    expect(deployment.deadLetters).toEqual([]);
  }, 600_000);
});
