import { type FamilyPlan, runSweep, type VersionRecord } from "@ami-lifecycle/core";
import { LocalDeployment, SimulatedAccount } from "@ami-lifecycle/simulated-account";
import type { EC2Client } from "@aws-sdk/client-ec2";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { type FleetSources, useFromFleetsOnly } from "../support/fleet-sources";
import { type LaunchSources, launchRegion, useFromAutoScalingOnly } from "../support/launch-sources";
import { buildVersions, dayMs, imageOf, retentionConfig, retentionRegions } from "../support/retention-world";
import { withoutImageReferences as answerInvalidAction } from "../support/without-image-references";

/** An enforce-mode deployment; `withoutImageReferences` makes every region answer DescribeImageReferences as one that lacks it. */
async function start(withoutImageReferences: boolean): Promise<LocalDeployment> {
  const account = new SimulatedAccount({ regions: [...retentionRegions] });
  for (const region of ["eu-west-1", "ap-southeast-2"])
    account.createKey(region, { alias: "alias/ami-lifecycle" });
  return LocalDeployment.start({
    config: retentionConfig("enforce"),
    account,
    dynamoEndpoint: inject("dynamoEndpoint"),
    observeClient: (client, service) => {
      if (withoutImageReferences && service === "EC2") answerInvalidAction(client as EC2Client);
    },
  });
}

/** Sweeps once a day for a week (deprecate day 1, disable day 2, deregister day 3, plus the grace of each); returns the last plan. */
async function sweepAWeek(deployment: LocalDeployment): Promise<FamilyPlan> {
  let plan: FamilyPlan | undefined;
  for (let day = 1; day <= 7; day++) {
    await deployment.advance(dayMs);
    const report = await runSweep(deployment.runtime.reactions, { now: deployment.account.clock.now() });
    expect(report.families.flatMap((family) => family.failures)).toEqual([]);
    plan = report.families[0]?.plan;
    await deployment.pump();
  }
  if (!plan) throw new Error("the sweep planned nothing");
  return plan;
}

/** The reasons of a version's decision in the launch region. */
function reasonsOf(plan: FamilyPlan, version: number): string[] {
  const decision = plan.decisions.find(
    (candidate) => candidate.version === version && candidate.region === launchRegion,
  );
  return (decision?.reasons ?? []).map((reason) => `${reason.rule}: ${reason.message}`);
}

/** Every image of the version is still available and not deprecated, in every region. */
function expectUntouched(deployment: LocalDeployment, version: VersionRecord | undefined): void {
  for (const region of retentionRegions) {
    const image = deployment.account.image(region, imageOf(version, region));
    expect({
      version: version?.version,
      region,
      state: image?.State,
      deprecated: image?.DeprecationTime,
    }).toEqual({ version: version?.version, region, state: "available", deprecated: undefined });
  }
}

for (const withoutImageReferences of [false, true]) {
  describe(`retention and Auto Scaling / fleet launch sources (${withoutImageReferences ? "reference fallback" : "DescribeImageReferences"})`, () => {
    let deployment: LocalDeployment;
    let versions: VersionRecord[];
    let sources: LaunchSources;
    let fleets: FleetSources;
    let plan: FamilyPlan;

    beforeAll(async () => {
      deployment = await start(withoutImageReferences);
      // v1–v4 Auto Scaling, v5 unused, v6–v9 fleets, v10–v12 the newest three (kept anyway).
      versions = await buildVersions(deployment, 12);
      sources = await useFromAutoScalingOnly(deployment, versions);
      fleets = useFromFleetsOnly(deployment, versions);
      plan = await sweepAWeek(deployment);
    }, 300_000);
    afterAll(() => deployment.stop());

    const version = (number: number) => versions.find((record) => record.version === number);

    it("keeps an image only a launch configuration uses, naming the launch configuration", () => {
      // Assess
      expectUntouched(deployment, version(sources.launchConfiguration.version));
      expect(reasonsOf(plan, sources.launchConfiguration.version).join("\n")).toMatch(
        /in-use: in use by arn:aws:autoscaling:us-east-1:111122223333:launchConfiguration:[0-9a-f-]+:launchConfigurationName\/web-legacy \(launch configuration web-legacy\)/,
      );
    });

    it("keeps an image only an Auto Scaling group's pinned launch template version uses, naming group, template and version", () => {
      // Assess
      const { group, templateId, templateName } = sources.pinned;
      expectUntouched(deployment, version(sources.pinned.version));
      expect(reasonsOf(plan, sources.pinned.version).join("\n")).toContain(
        `(Auto Scaling group ${group} launches launch template ${templateName} (${templateId}) version 1)`,
      );
    });

    it("keeps an image only a mixed instances override uses, naming group, override, template and version", () => {
      // Assess
      const { group, templateId, templateName } = sources.override;
      expectUntouched(deployment, version(sources.override.version));
      expect(reasonsOf(plan, sources.override.version).join("\n")).toContain(
        `(Auto Scaling group ${group} launches launch template ${templateName} (${templateId}) version 1 for override m7g.large)`,
      );
    });

    it("keeps an image only an old launch template version uses, naming template and version", () => {
      // Assess
      const { templateId, templateName } = sources.oldVersion;
      expectUntouched(deployment, version(sources.oldVersion.version));
      expect(reasonsOf(plan, sources.oldVersion.version).join("\n")).toContain(
        `launch-template/${templateId} (launch template ${templateName} (${templateId}) version 1)`,
      );
    });

    it("keeps an image only an EC2 Fleet override names, naming fleet, override, template and version", () => {
      // Assess
      const { fleetId, templateId, templateName } = fleets.fleetOverride;
      expectUntouched(deployment, version(fleets.fleetOverride.version));
      expect(reasonsOf(plan, fleets.fleetOverride.version).join("\n")).toContain(
        `in-use: in use by arn:aws:ec2:us-east-1::fleet/${fleetId} (EC2 Fleet ${fleetId} launches it with override 2 (m7g.large) of launch template ${templateName} (${templateId}) version 1 ($Default))`,
      );
    });

    it("keeps an image only a Spot Fleet launch specification names, naming the request and the specification", () => {
      // Assess
      const { requestId } = fleets.spotSpecification;
      expectUntouched(deployment, version(fleets.spotSpecification.version));
      expect(reasonsOf(plan, fleets.spotSpecification.version).join("\n")).toContain(
        `in-use: in use by arn:aws:ec2:us-east-1::spot-fleet-request/${requestId} (Spot Fleet request ${requestId} launches launch specification 1 (c7i.large))`,
      );
    });

    it("keeps an image only a fleet's pinned launch template version uses, naming request, template and version", () => {
      // Assess
      const { requestId, templateId, templateName } = fleets.spotTemplate;
      expectUntouched(deployment, version(fleets.spotTemplate.version));
      // The template version is a reference of its own too; the in-use reason names both, the fleet among them.
      const fleetUse = `arn:aws:ec2:us-east-1::spot-fleet-request/${requestId} (Spot Fleet request ${requestId} launches launch template ${templateName} (${templateId}) version 1)`;
      const reason = reasonsOf(plan, fleets.spotTemplate.version).find((text) => text.includes(fleetUse));
      expect(reason).toMatch(/^in-use: in use by /);
    });

    it("does not keep an image only fleets that can no longer launch name (deleted, failed, cancelled, instant)", () => {
      // Assess
      for (const region of retentionRegions) {
        expect(
          deployment.account.image(region, imageOf(version(fleets.deadFleets.version), region))?.State,
        ).toBe("deregistered");
      }
    });

    it("still retires what nothing uses", () => {
      // Assess
      for (const region of retentionRegions) {
        expect(deployment.account.image(region, imageOf(version(5), region))?.State).toBe("deregistered");
      }
    });

    it(
      withoutImageReferences
        ? "says in the plan and the team's summary that its evidence came from the fallback"
        : "does not mention the fallback where DescribeImageReferences answered",
      () => {
        // Assess
        const fallbackReasons = plan.decisions.filter((decision) =>
          decision.reasons.some((reason) => reason.rule === "reference-fallback"),
        );
        const summaries = deployment.account
          .published(deployment.topicArn)
          .filter((message) => message.messageAttributes.eventType?.StringValue === "retention-summary");
        const mentions = summaries.filter((message) => message.message.includes("reference-fallback: "));
        if (!withoutImageReferences) {
          expect(fallbackReasons).toEqual([]);
          expect(mentions).toEqual([]);
          return;
        }
        // v1–v4 and v6–v8 were looked up (a step was due but for their use); the newest three never needed a lookup.
        const lookedUp = [1, 2, 3, 4, 6, 7, 8].flatMap((number) =>
          retentionRegions.map((region) => `${number} ${region}`),
        );
        expect(fallbackReasons.map((decision) => `${decision.version} ${decision.region}`).sort()).toEqual(
          lookedUp.sort(),
        );
        expect(reasonsOf(plan, 1).filter((reason) => reason.startsWith("reference-fallback"))).toEqual([
          "reference-fallback: DescribeImageReferences is unavailable in us-east-1: what uses this image was read by the fallback (instances, every launch template version, Auto Scaling groups, launch configurations, EC2 and Spot Fleets, SSM parameters); Image Builder recipes were not checked",
        ]);
        expect(mentions.length).toBeGreaterThan(0);
      },
    );
  });
}
