import { runSweep, type SweepDependencies } from "@ami-lifecycle/core";
import { describe, expect, it } from "vitest";
import { expectNothingWronglyTouched, expectRetiredAsPlanned } from "../support/retention-assertions";
import { KillSwitch, mutatingImageCalls, SweepKilledError } from "../support/retention-kill-switch";
import { useRetentionScenario } from "../support/retention-scenario";
import { dayMs, scheduledSweep } from "../support/retention-world";

/** Mutating EC2 calls let through before the kill, on the days a sweep is killed. */
const killAfter: Record<number, number> = { 1: 7, 3: 31, 6: 4, 7: 1 };

describe("retention in enforce mode over simulated days", () => {
  const scenario = useRetentionScenario();

  it("retires every other version deprecate → disable → deregister, even when sweeps are killed half-way", async () => {
    // Prepare
    const { deployment, versions, fixture, recorder } = scenario;
    const reactions = deployment.runtime.reactions;
    const kills: { day: number; killed: boolean }[] = [];

    // Act
    for (let day = 1; day <= 9; day++) {
      await deployment.advance(dayMs);
      const k = killAfter[day];
      if (k !== undefined) {
        const killSwitch = new KillSwitch(k);
        const killed: SweepDependencies = {
          ...reactions,
          images: killSwitch.wrap(reactions.images, mutatingImageCalls),
          registry: killSwitch.wrap(reactions.registry),
          notifier: killSwitch.wrap(reactions.notifier),
        };
        await runSweep(killed, { now: deployment.account.clock.now() }).catch((error: unknown) => {
          if (!(error instanceof SweepKilledError)) throw error;
        });
        kills.push({ day, killed: killSwitch.killed });
        await deployment.pump();
      }
      await scheduledSweep(deployment, `day-${day}`);
      await deployment.pump();
      expectNothingWronglyTouched(deployment, versions, fixture);
    }

    // Assess
    expect(kills.filter((kill) => kill.killed).map((kill) => kill.day)).toEqual([1, 3, 6, 7]);
    await expectRetiredAsPlanned(deployment, fixture, recorder);
    const settled = await runSweep(reactions, { now: deployment.account.clock.now() });
    expect(settled.families.flatMap((family) => family.applied)).toEqual([]);
    expect(settled.families.flatMap((family) => family.failures)).toEqual([]);
    expect(deployment.deadLetters).toEqual([]);
  }, 600_000);
});
