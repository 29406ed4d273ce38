import { runSweep, type SweepReport } from "@ami-lifecycle/core";
import type { LocalDeployment } from "@ami-lifecycle/simulated-account";
import { CreateRuleCommand, DeleteRuleCommand, ListRulesCommand, RbinClient } from "@aws-sdk/client-rbin";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { buildVersion, consumers, sharingConfig, startSharingDeployment } from "../support/sharing-world";

const dayMs = 24 * 3600_000;
const minuteMs = 60_000;
const home = "us-east-1";
const copyRegion = "eu-west-1";
const retired = { ResourceTagKey: "ami-lifecycle:retired", ResourceTagValue: "true" };

/** Deletes every retired-tag rule of a region, as a person with rbin rights might. */
async function deleteRules(rbin: RbinClient): Promise<void> {
  for (const ResourceType of ["EC2_IMAGE", "EBS_SNAPSHOT"] as const) {
    const { Rules } = await rbin.send(new ListRulesCommand({ ResourceType, ResourceTags: [retired] }));
    for (const rule of Rules ?? []) await rbin.send(new DeleteRuleCommand({ Identifier: rule.Identifier }));
  }
}

/** The deregister failures of a sweep in one region. */
const deregisterReasons = (report: SweepReport, region: string) =>
  report.families
    .flatMap((family) => family.failures)
    .filter((failure) => failure.step === "deregister" && failure.region === region)
    .map((failure) => failure.message);

describe("recoverable deregistration of a shared version", () => {
  let deployment: LocalDeployment;
  let rbin: RbinClient;
  const reports: SweepReport[] = [];
  const sweep = async () => {
    const report = await runSweep(deployment.runtime.reactions, { now: deployment.account.clock.now() });
    await deployment.pump();
    reports.push(report);
    return report;
  };

  beforeAll(async () => {
    deployment = await startSharingDeployment(
      sharingConfig({ accounts: [consumers.first], createVolumePermission: true }),
      inject("dynamoEndpoint"),
    );
    // An administrator's client (not one of the service's roles).
    rbin = deployment.account.client(RbinClient, copyRegion);
    await buildVersion(deployment, "base-al2023-2026.11.20");
    await deployment.advance(dayMs);
    await buildVersion(deployment, "base-al2023-2026.11.21");
    await deleteRules(rbin);
  });
  afterAll(() => deployment.stop());

  it("deregisters into the bin where the rules are, recording sharing and the recovery date; skips a region without its rule, saying why", async () => {
    // Act
    let deregisteredAt = "";
    for (let day = 1; day <= 4; day++) {
      await deployment.advance(dayMs);
      const report = await sweep();
      if (report.families[0]?.applied.some((step) => step.action === "deregister"))
        deregisteredAt = report.now;
    }

    // Assess
    const { account } = deployment;
    const version = await deployment.runtime.reactions.registry.getVersion("base-al2023", 1);
    const homeRecord = version?.regions[home];
    const imageId = homeRecord?.imageId ?? "";
    const snapshotId = homeRecord?.snapshotIds[0] ?? "";
    expect(homeRecord).toMatchObject({
      state: "recoverable",
      retiredBy: "service",
      recoverableUntil: new Date(Date.parse(deregisteredAt) + 7 * dayMs).toISOString(),
      recordedSharing: {
        accounts: [consumers.first],
        snapshotAccounts: { [snapshotId]: [consumers.first] },
      },
    });
    expect(account.imagesInRecycleBin(home)).toEqual([imageId]);
    expect(account.image(home, imageId)?.Tags).toContainEqual({
      Key: "ami-lifecycle:retired",
      Value: "true",
    });
    // eu-west-1 has no rule: nothing was deregistered there and every run said why.
    const copy = version?.regions[copyRegion];
    expect(account.image(copyRegion, copy?.imageId ?? "")?.State).toBe("disabled");
    expect(copy?.state).toBe("disabled");
    expect(version?.stage).toBe("disabled");
    expect(deregisterReasons(reports.at(-1) as SweepReport, copyRegion)).toEqual([
      "not deregistered in eu-west-1 this run: no EC2_IMAGE Recycle Bin rule on ami-lifecycle:retired=true in eu-west-1",
    ]);
  });

  it("waits for a region's first rule to become active, then deregisters there too", async () => {
    // Prepare
    for (const ResourceType of ["EC2_IMAGE", "EBS_SNAPSHOT"] as const) {
      await rbin.send(
        new CreateRuleCommand({
          ResourceType,
          RetentionPeriod: { RetentionPeriodValue: 7, RetentionPeriodUnit: "DAYS" },
          ResourceTags: [retired],
        }),
      );
    }

    // Act
    await deployment.advance(minuteMs);
    const pending = await sweep();
    await deployment.advance(30 * minuteMs);
    await sweep();

    // Assess
    expect(deregisterReasons(pending, copyRegion)).toEqual([
      "not deregistered in eu-west-1 this run: the EC2_IMAGE Recycle Bin rule on ami-lifecycle:retired=true in eu-west-1 is not active yet (a region's first rule takes up to 30 minutes)",
    ]);
    const version = await deployment.runtime.reactions.registry.getVersion("base-al2023", 1);
    expect(version?.regions[copyRegion]?.state).toBe("recoverable");
    expect(version?.stage).toBe("deregistered");
    expect(deployment.account.imagesInRecycleBin(copyRegion)).toEqual([
      version?.regions[copyRegion]?.imageId,
    ]);
  });

  it("after the recovery date, confirms with the bin that the version is gone and records it so", async () => {
    // Act
    await deployment.advance(6 * dayMs);
    const early = await sweep();
    await deployment.advance(2 * dayMs);
    const late = await sweep();

    // Assess
    const gone = (report: SweepReport) =>
      report.families[0]?.reconciled
        .filter((repair) => repair.kind === "confirmed-gone")
        .map((r) => r.region);
    expect(gone(early)).toEqual([home]);
    expect(gone(late)).toEqual([copyRegion]);
    const version = await deployment.runtime.reactions.registry.getVersion("base-al2023", 1);
    expect(Object.values(version?.regions ?? {}).map((record) => record.state)).toEqual([
      "deregistered",
      "deregistered",
    ]);
    expect(deployment.deadLetters).toEqual([]);
  });
});
