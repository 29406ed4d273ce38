import { assertLatestPointer, regionsOf, runSweep } from "@ami-lifecycle/core";
import { describe, expect, it } from "vitest";
import { family, imageIdOf, now, scenario } from "../retention/builders";
import {
  configWith,
  FakeImages,
  type FakePointers,
  type FakeProtection,
  FakeRegistry,
  sweepDeps,
} from "./fakes";

const web = family({ keepLatest: 3, minAgeDays: 1 });

describe("a protection the sweep lifts with cooldown", () => {
  it("holds only the image's deregistration, until 24 h after the lift", async () => {
    // Prepare: v1 is disabled and due for deregistration, but still carries the protection the service
    // set while a pointer named it (the lift was lost); v2–v4 are kept, `latest` names v4
    const built = scenario([
      {
        version: 1,
        ageDays: 90,
        stage: "disabled",
        stageDaysAgo: 30,
        image: {
          state: "disabled",
          deregistrationProtection: true,
          deregistrationProtectionSetting: "enabled-with-cooldown",
        },
      },
      { version: 2, ageDays: 20 },
      { version: 3, ageDays: 10 },
      { version: 4, ageDays: 5 },
    ]);
    const v1 = built.versions[0]?.regions["eu-west-1"];
    if (v1) v1.pointerProtectedAt = "2025-05-01T00:00:00.000Z";
    // `latest`'s image carries the protection the event reactions gave it: nothing to repair there.
    const latest = built.images.find((image) => image.imageId === imageIdOf(4, "eu-west-1"));
    if (latest) {
      latest.deregistrationProtection = true;
      latest.deregistrationProtectionSetting = "enabled-with-cooldown";
    }
    const config = configWith([web], "enforce");
    const { deps } = sweepDeps(config, new FakeImages(built.images), new FakeRegistry(built.versions));
    for (const region of regionsOf(built.versions))
      await assertLatestPointer(
        deps.pointers as FakePointers,
        config.pointers.namePattern,
        web.name,
        built.versions,
        region,
      );

    // Act
    const report = await runSweep(deps, { now });

    // Assess: the service lifted its protection; EC2 keeps it 24 h more, so v1 waits for that, named
    const lifted = (deps.protection as FakeProtection).disabled;
    expect(lifted).toEqual([`eu-west-1/${imageIdOf(1, "eu-west-1")}`]);
    const until = new Date(now.getTime() + 24 * 3_600_000).toISOString();
    const decision = report.families[0]?.plan?.decisions.find((candidate) => candidate.version === 1);
    expect(decision).toMatchObject({ action: "wait", next: { action: "deregister", at: until } });
    expect(decision?.reasons.map((reason) => reason.message).join("; ")).toContain(`cooldown until ${until}`);
    expect(report.families[0]?.applied.filter((step) => step.version === 1)).toEqual([]);
  });
});
