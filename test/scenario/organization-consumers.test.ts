import { type CrossAccountPorts, type FamilyPlan, runSweep, type SweepReport } from "@ami-lifecycle/core";
import type { LocalDeployment, SimulatedOrganization } from "@ami-lifecycle/simulated-account";
import { AutoScalingClient, UpdateAutoScalingGroupCommand } from "@aws-sdk/client-auto-scaling";
import {
  CopyImageCommand,
  DescribeImagesCommand,
  DescribeImageUsageReportsCommand,
  DetachImageWatermarkCommand,
  DisableImageBlockPublicAccessCommand,
  EC2Client,
  EnableImageBlockPublicAccessCommand,
  ModifyImageAttributeCommand,
} from "@aws-sdk/client-ec2";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import {
  disorderlyOrganizationDelivery,
  type OrganizationDelivery,
  orderlyOrganizationDelivery,
} from "../support/organization-delivery";
import {
  consumerBusArn,
  consumerTopicArn,
  createConsumerRole,
  orgAccounts,
  startOrganization,
  startOrganizationDeployment,
} from "../support/organization-world";
import { pinOldTemplateVersion } from "../support/pinned-template";

const dayMs = 24 * 3600_000;
const EAST = "us-east-1";
const FAMILY = "base-al2023";

function planOf(report: SweepReport): FamilyPlan {
  const plan = report.families.find((family) => family.family === FAMILY)?.plan;
  if (!plan) throw new Error("the sweep made no plan for the family");
  return plan;
}

function decisionsOf(plan: FamilyPlan, version: number) {
  return plan.decisions.filter((decision) => decision.version === version);
}

function consumerReasons(plan: FamilyPlan, version: number): string[] {
  return decisionsOf(plan, version).flatMap((decision) =>
    decision.reasons.filter((reason) => reason.rule === "consumer-evidence").map((reason) => reason.message),
  );
}

/** The seeded disorder of the second run: each event 1–3 times, batches shuffled, some duplicates late. */
const disorder = { maxCopies: 3, shuffle: true, spillRate: 0.3, withoutCloudTrail: false, seed: 16 };

/**
 * The same story under two deliveries: every event once in order, and EventBridge's worst (each image
 * event of the owner's builds, copies and retirement steps delivered 1–3 times, shuffled, a build's
 * CloudTrail record arriving with or after `available`). The end state must not differ: v2 kept for
 * consumer 2's template, consumer 3's candidates kept and the operator told once, consumer 2 told once
 * per step, v2 retired everywhere after the move and the lag.
 */
describe("retiring versions shared with an organization's consumer accounts (every event once, in order)", () =>
  consumerStory(orderlyOrganizationDelivery));

// The same story with every event delivered 1–3 times, shuffled and partly held back (seed 16). It failed
// while a pointer-protection marker write could take a region's `available` claim and leave it pending.
describe("retiring versions shared with an organization's consumer accounts (events duplicated and reordered)", () =>
  consumerStory((deployment) => disorderlyOrganizationDelivery(deployment, disorder)));

function consumerStory(start: (deployment: LocalDeployment) => OrganizationDelivery) {
  let org: SimulatedOrganization;
  let deployment: LocalDeployment;
  let delivery: OrganizationDelivery;
  const images: Record<number, string> = {};
  let templateId = "";

  async function sweep(): Promise<SweepReport> {
    const report = await runSweep(deployment.runtime.reactions, { now: deployment.account.clock.now() });
    await delivery.settle();
    return report;
  }

  function notices() {
    return deployment.account
      .published(deployment.topicArn)
      .filter((message) => message.messageAttributes.eventType?.StringValue === "consumers-unreachable");
  }

  function consumerNotices() {
    return deployment.account.published(consumerTopicArn).map((message) => ({
      account: message.messageAttributes.consumerAccount?.StringValue,
      eventType: message.messageAttributes.eventType?.StringValue,
      subject: message.subject,
      message: message.message,
      detail: JSON.parse(message.message.split("--- detail (JSON) ---\n")[1] ?? "{}") as {
        version: number;
        held: { action: string; at: string };
        schedule: { action: string; earliest: string }[];
        uses: { region: string; arn?: string }[];
      },
    }));
  }

  beforeAll(async () => {
    org = startOrganization();
    deployment = await startOrganizationDeployment(org, inject("dynamoEndpoint"));
    delivery = start(deployment);
    for (const [version, name] of [
      [1, "base-al2023-2026.11.20"],
      [2, "base-al2023-2026.11.21"],
      [3, "base-al2023-2026.11.22"],
    ] as const) {
      images[version] = await delivery.build(name);
      await delivery.advance(dayMs);
    }
    // Consumer 2: template version 1 launches v2, version 2 (default and latest) v3; its group pins version 1.
    templateId = await pinOldTemplateVersion(org, orgAccounts.second, EAST, images[2] as string, [
      images[3] as string,
    ]);
  });
  afterAll(() => deployment.stop());

  it("keeps v2 for consumer 2's pinned template and every candidate for consumer 3, telling the operator once", async () => {
    // Act
    const report = await sweep();

    // Assess
    const plan = planOf(report);
    for (const version of [1, 2]) {
      expect(decisionsOf(plan, version).map((decision) => decision.action)).toEqual(["keep", "keep"]);
      expect(consumerReasons(plan, version).join(" ")).toContain(
        `consumer account ${orgAccounts.third} could not be checked (role-unavailable)`,
      );
    }
    const v2 = consumerReasons(plan, 2).join(" ");
    expect(v2).toContain(`consumer account ${orgAccounts.second} uses it`);
    expect(v2).toContain(`launch-template/${templateId}`);
    expect(consumerReasons(plan, 1).join(" ")).not.toContain(
      `consumer account ${orgAccounts.second} uses it`,
    );
    expect(report.unreachableConsumers?.map((entry) => entry.account)).toEqual([
      orgAccounts.third,
      orgAccounts.third,
    ]);
    expect(notices()).toHaveLength(1);
    expect(notices()[0]?.message).toContain(orgAccounts.third);
  });

  it("tells consumer 2, and only consumer 2, of v2's schedule and what of theirs uses it", () => {
    // Assess (the sweep of the test before: v2 was due to be deprecated and only consumer 2 holds it)
    const told = consumerNotices();
    expect(told.map((notice) => [notice.account, notice.eventType, notice.detail.version])).toEqual([
      [orgAccounts.second, "consumer-schedule", 2],
    ]);
    const [notice] = told;
    expect(notice?.subject).toBe(
      `base-al2023 v2 is due to deprecate; account ${orgAccounts.second} still uses it`,
    );
    // The template whose old version the group pins, in the region it is in.
    expect(notice?.detail.uses.map((use) => [use.region, use.arn])).toEqual([
      [EAST, expect.stringContaining(`launch-template/${templateId}`)],
    ]);
    expect(notice?.message).toContain("launch template web");
    // The same notice, once, on the bus consumer 2 named (organization.consumerEventBuses).
    const onBus = org.account(orgAccounts.second).busEvents(consumerBusArn);
    expect(onBus.map((event) => [event.source, event["detail-type"], event.account])).toEqual([
      ["ami-lifecycle", "AMI Version Scheduled For Retirement", orgAccounts.owner],
    ]);
    expect(onBus[0]?.detail).toEqual(notice?.detail);
    const now = deployment.account.clock.now().getTime();
    const dates = notice?.detail.schedule.map((step) => [step.action, Date.parse(step.earliest) - now]);
    // deprecate no earlier than now, disable a day after, deregister a day after that (the family's graces)
    expect(dates).toEqual([
      ["deprecate", 0],
      ["disable", dayMs],
      ["deregister", 2 * dayMs],
    ]);
  });

  it("watermarks every image of every version with its family, visible to consumers, and never public", async () => {
    // Prepare
    const key = `${orgAccounts.owner}:ami-lifecycle-${FAMILY}`;
    const versions = await Promise.all(
      [1, 2, 3].map((version) => deployment.runtime.reactions.registry.getVersion(FAMILY, version)),
    );
    const regionImages = versions.flatMap((record) => Object.values(record?.regions ?? {}));

    // Assess: sources watermarked once each; the copies inherited it (no call in eu-west-1).
    expect(regionImages).toHaveLength(6);
    for (const region of regionImages)
      expect(
        deployment.account
          .image(region.region, region.imageId ?? "")
          ?.ImageWatermarks?.map((w) => w.WatermarkKey),
      ).toEqual([key]);
    const calls = org.account(orgAccounts.owner).callCounts();
    expect(calls[`${EAST}:AttachImageWatermark`]).toBe(3);
    expect(calls["eu-west-1:AttachImageWatermark"]).toBeUndefined();
    // A consumer, who cannot see the owner's tags, finds the family's images by the watermark filter.
    const seen = await org
      .client(EC2Client, EAST, { accountId: orgAccounts.first })
      .send(
        new DescribeImagesCommand({ Filters: [{ Name: "image-watermark.watermark-key", Values: [key] }] }),
      );
    expect(seen.Images?.map((image) => image.ImageId).sort()).toEqual(
      [1, 2, 3].map((version) => images[version]).sort(),
    );
    // Even with image block public access turned off, EC2 refuses to make a watermarked image public.
    const ownerEc2 = org.client(EC2Client, EAST);
    await ownerEc2.send(new DisableImageBlockPublicAccessCommand({}));
    try {
      await expect(
        ownerEc2.send(
          new ModifyImageAttributeCommand({
            ImageId: images[3],
            LaunchPermission: { Add: [{ Group: "all" }] },
          }),
        ),
      ).rejects.toThrow(/has a watermark and cannot be made public/);
    } finally {
      await ownerEc2.send(
        new EnableImageBlockPublicAccessCommand({ ImageBlockPublicAccessState: "block-new-sharing" }),
      );
    }
  });

  it("puts a watermark detached by hand back in the next sweep", async () => {
    // Prepare
    const key = `${orgAccounts.owner}:ami-lifecycle-${FAMILY}`;
    await org
      .client(EC2Client, EAST)
      .send(new DetachImageWatermarkCommand({ ImageId: images[3], WatermarkKey: key }));

    // Act
    const report = await sweep();

    // Assess
    expect(
      deployment.account.image(EAST, images[3] as string)?.ImageWatermarks?.map((w) => w.WatermarkKey),
    ).toEqual([key]);
    const reconciled = report.families.flatMap((family) => family.reconciled);
    expect(reconciled.filter((entry) => entry.kind === "watermarked")).toEqual([
      { kind: "watermarked", region: EAST, imageId: images[3] },
    ]);
  });

  it("changes nothing when a sweep is killed half-way through the probes or delivered twice", async () => {
    // Prepare
    const reactions = deployment.runtime.reactions;
    const ports = reactions.organization as CrossAccountPorts;
    const creates = () => org.account(orgAccounts.owner).callCounts()[`${EAST}:CreateImageUsageReport`];
    const createdBefore = creates();
    const noticesBefore = notices().length;
    let probes = 0;
    reactions.organization = {
      ...ports,
      probes: {
        probe: async (...args) => {
          // The Lambda dies after the first consumer answered: nothing of this sweep may have acted.
          if (++probes > 1) throw new Error("killed");
          return ports.probes.probe(...args);
        },
      },
    };

    // Act
    const killed = runSweep(reactions, { now: deployment.account.clock.now() });
    await expect(killed).rejects.toThrow("killed");
    reactions.organization = ports;
    const first = await sweep();
    const duplicate = await sweep();

    // Assess
    for (const report of [first, duplicate]) {
      const plan = planOf(report);
      for (const version of [1, 2])
        expect(decisionsOf(plan, version).map((decision) => decision.action)).toEqual(["keep", "keep"]);
      expect(consumerReasons(plan, 2).join(" ")).toContain(`launch-template/${templateId}`);
    }
    expect(planOf(duplicate).decisions).toEqual(planOf(first).decisions);
    expect(creates()).toBe(createdBefore);
    expect(notices()).toHaveLength(noticesBefore + 2);
    // Consumer 2 was told of v2's deprecation once, whatever the sweeps since, on the topic and its bus.
    expect(consumerNotices().map((notice) => notice.account)).toEqual([orgAccounts.second]);
    expect(org.account(orgAccounts.second).busEvents(consumerBusArn)).toHaveLength(1);
    for (const version of [1, 2]) {
      const record = await reactions.registry.getVersion(FAMILY, version);
      expect(record?.stage).toBe("active");
      for (const region of Object.values(record?.regions ?? {}))
        expect(
          deployment.account.image(region.region, region.imageId ?? "")?.DeprecationTime,
        ).toBeUndefined();
    }
  });

  it("retires v1 once consumer 3 has its role and the usage reports are past the lag; v2 stays", async () => {
    // Prepare
    createConsumerRole(org, orgAccounts.third);

    // Act
    const reports: SweepReport[] = [];
    for (let day = 1; day <= 5; day++) {
      await delivery.advance(dayMs);
      reports.push(await sweep());
    }

    // Assess
    const registry = deployment.runtime.reactions.registry;
    expect((await registry.getVersion(FAMILY, 1))?.stage).toBe("deregistered");
    expect((await registry.getVersion(FAMILY, 2))?.stage).toBe("active");
    const last = planOf(reports.at(-1) as SweepReport);
    expect(consumerReasons(last, 2).join(" ")).toContain(`launch-template/${templateId}`);
    // Every consumer answered: no more notices.
    expect(reports.every((report) => report.unreachableConsumers === undefined)).toBe(true);
  });

  it("retires v2 in every region after consumer 2 moves its group to v4 and the lag passes", async () => {
    // Prepare
    images[4] = await delivery.build("base-al2023-2026.11.30");
    // Every version of a template counts (DescribeImageReferences looks at them all): consumer 2 moves its
    // group to a new template launching v4 and deletes the old one.
    const next = org.createLaunchTemplate(orgAccounts.second, EAST, "web-v4", images[4] as string);
    await org.client(AutoScalingClient, EAST, { accountId: orgAccounts.second }).send(
      new UpdateAutoScalingGroupCommand({
        AutoScalingGroupName: "web",
        LaunchTemplate: { LaunchTemplateId: next, Version: "1" },
      }),
    );
    org.deleteLaunchTemplate(orgAccounts.second, EAST, templateId);
    // Consumer 1 keeps a copy of v2 of its own: it carries the family's watermark, and is never the owner's.
    const consumerEc2 = org.client(EC2Client, EAST, { accountId: orgAccounts.first });
    const { ImageId: copyId = "" } = await consumerEc2.send(
      new CopyImageCommand({ SourceRegion: EAST, SourceImageId: images[2], Name: "web-base-copy" }),
    );

    // Act
    const reports: SweepReport[] = [];
    for (let day = 1; day <= 8; day++) {
      await delivery.advance(dayMs);
      reports.push(await sweep());
    }

    // Assess
    const registry = deployment.runtime.reactions.registry;
    const v2 = await registry.getVersion(FAMILY, 2);
    expect(v2?.stage).toBe("deregistered");
    for (const region of Object.values(v2?.regions ?? {})) {
      expect(["deregistered", "gone"]).toContain(
        deployment.account.image(region.region, region.imageId ?? "")?.State ?? "gone",
      );
      // Its usage report is no longer needed: deleted by the sweep that deregistered the image.
      const { ImageUsageReports } = await org
        .client(EC2Client, region.region)
        .send(new DescribeImageUsageReportsCommand({ ImageIds: [region.imageId ?? ""] }));
      expect(ImageUsageReports ?? []).toEqual([]);
    }
    // The copy was found through the watermark filter and reported, never retired, and kept nothing.
    const copies = reports.flatMap((report) => report.consumerCopies ?? []);
    expect(copies.length).toBeGreaterThan(0);
    for (const copy of copies)
      expect(copy).toEqual({
        account: orgAccounts.first,
        region: EAST,
        imageId: copyId,
        name: "web-base-copy",
        family: FAMILY,
        watermarkKey: `${orgAccounts.owner}:ami-lifecycle-${FAMILY}`,
      });
    const { Images: copyNow = [] } = await consumerEc2.send(
      new DescribeImagesCommand({ ImageIds: [copyId] }),
    );
    expect(copyNow.map((image) => [image.ImageId, image.State, image.DeprecationTime])).toEqual([
      [copyId, "available", undefined],
    ]);
    expect(deployment.deadLetters).toEqual([]);
  });
}
