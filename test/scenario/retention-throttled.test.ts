import { SweepIncompleteError, type VersionRecord } from "@ami-lifecycle/core";
import type { LocalDeployment } from "@ami-lifecycle/simulated-account";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { expectNothingWronglyTouched, expectRetiredAsPlanned } from "../support/retention-assertions";
import type { DeletionRecorder } from "../support/retention-kill-switch";
import type { RetentionFixture } from "../support/retention-references";
import { startRetentionScenario } from "../support/retention-scenario";
import { dayMs, scheduledSweep } from "../support/retention-world";

/** Scheduler's retry policy in stacks/schedule.ts allows 5 retries; the scenario needs far fewer. */
const schedulerAttempts = 6;

describe("retention in enforce mode under 10% EC2 throttling", () => {
  let deployment: LocalDeployment;
  let versions: VersionRecord[];
  let fixture: RetentionFixture;
  let recorder: DeletionRecorder;

  beforeAll(async () => {
    ({ deployment, versions, fixture, recorder } = await startRetentionScenario(inject("dynamoEndpoint")));
  }, 120_000);
  afterAll(() => deployment.stop());

  it("converges to the same retirement, retrying what throttling made fail", async () => {
    // Prepare
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
