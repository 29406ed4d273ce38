import { LifecycleTag, runSweep } from "@ami-lifecycle/core";
import { LocalDeployment, SimulatedAccount } from "@ami-lifecycle/simulated-account";
import { CreateTagsCommand, DeleteTagsCommand, EC2Client, type Tag } from "@aws-sdk/client-ec2";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { scenarioRegions } from "../support/scenario-config";
import { buildVersion, sharingConfig } from "../support/sharing-world";

const mallory = "arn:aws:iam::111122223333:user/mallory";
const region = "us-east-1";

describe("the tamper guard", () => {
  let deployment: LocalDeployment;
  let ec2: EC2Client;
  let imageId: string;
  let snapshotId: string;

  beforeAll(async () => {
    // CloudTrail records every tagging call; the simulated account emits them only when asked.
    const account = new SimulatedAccount({ regions: scenarioRegions, recordTagCalls: true });
    account.createKey("eu-west-1", { alias: "alias/ami-lifecycle" });
    deployment = await LocalDeployment.start({
      config: sharingConfig({}),
      account,
      dynamoEndpoint: inject("dynamoEndpoint"),
    });
    ec2 = account.client(EC2Client, region, { principalArn: mallory });
    imageId = await buildVersion(deployment, "base-al2023-2026.11.20");
    snapshotId = account.image(region, imageId)?.BlockDeviceMappings?.[0]?.Ebs?.SnapshotId ?? "";
  });
  afterAll(() => deployment.stop());

  const tamperAlerts = () =>
    deployment.account
      .published(deployment.securityTopicArn)
      .filter((message) => message.messageAttributes.eventType?.StringValue === "tag-tampering");
  const tagsOf = (tags: Tag[] | undefined) =>
    Object.fromEntries((tags ?? []).map((tag) => [tag.Key, tag.Value]));
  const imageTags = () => tagsOf(deployment.account.image(region, imageId)?.Tags);
  const snapshotTags = () =>
    tagsOf(deployment.account.snapshots(region).find((snapshot) => snapshot.SnapshotId === snapshotId)?.Tags);

  /** Delivers every pending event three times, as EventBridge may, and then whatever that caused. */
  async function deliverThrice() {
    const events = deployment.account.drainEvents();
    for (const event of events) for (let copy = 0; copy < 3; copy++) await deployment.deliver(event);
    await deployment.pump();
    return events;
  }

  it("stays silent about the service's own tagging", () => {
    // Assess: building the version tagged its image and snapshots through the service's role.
    const ownCalls = deployment.deliveries.filter((delivery) => delivery.rule === "image-tag-change");
    expect(ownCalls.length).toBeGreaterThan(0);
    for (const delivery of ownCalls) {
      expect(delivery.result).toMatchObject({
        outcome: "ignored",
        reason: "the service's own call",
        effects: [],
      });
    }
    expect(imageTags()[LifecycleTag.managed]).toBe("true");
    expect(snapshotTags()[LifecycleTag.managed]).toBe("true");
    expect(tamperAlerts()).toEqual([]);
  });

  it("reports a foreign CreateTags that changes a managed image's version once, however often it arrives", async () => {
    // Act
    await ec2.send(
      new CreateTagsCommand({ Resources: [imageId], Tags: [{ Key: LifecycleTag.version, Value: "7" }] }),
    );
    const events = await deliverThrice();

    // Assess
    expect(events.map((event) => (event.detail as { eventName?: string }).eventName)).toEqual(["CreateTags"]);
    const alerts = tamperAlerts();
    expect(alerts).toHaveLength(1);
    expect(alerts[0]?.message).toContain(mallory);
    expect(alerts[0]?.message).toContain(`${LifecycleTag.version}=7`);
    expect(alerts[0]?.messageAttributes.family?.StringValue).toBe("base-al2023");
    expect(alerts[0]?.messageAttributes.severity?.StringValue).toBe("error");
    expect(deployment.deadLetters).toEqual([]);
  });

  it("reports a foreign DeleteTags of the managed tag, and the next sweep puts the tags back from the registry", async () => {
    // Prepare
    const before = tamperAlerts().length;

    // Act
    await ec2.send(
      new DeleteTagsCommand({ Resources: [imageId, snapshotId], Tags: [{ Key: LifecycleTag.managed }] }),
    );
    await deliverThrice();
    const removed = { image: imageTags(), snapshot: snapshotTags() };
    const report = await runSweep(deployment.runtime.reactions, { now: deployment.account.clock.now() });
    await deployment.pump();

    // Assess
    expect(removed.image[LifecycleTag.managed]).toBeUndefined();
    expect(removed.snapshot[LifecycleTag.managed]).toBeUndefined();
    const alerts = tamperAlerts().slice(before);
    expect(alerts).toHaveLength(1);
    expect(alerts[0]?.message).toContain(`deleted ${LifecycleTag.managed} on ${imageId}, ${snapshotId}`);
    const reasserted = report.families.flatMap((family) => family.reconciled);
    expect(reasserted).toContainEqual(
      expect.objectContaining({ kind: "tags-reasserted", region, imageId, version: 1 }),
    );
    // Put back from the registry's record: the managed tag, and the version mallory changed before.
    expect(imageTags()).toMatchObject({ [LifecycleTag.managed]: "true", [LifecycleTag.version]: "1" });
    expect(snapshotTags()).toMatchObject({ [LifecycleTag.managed]: "true", [LifecycleTag.version]: "1" });
    // The sweep's own CreateTags is no tampering.
    expect(tamperAlerts().slice(before)).toHaveLength(1);
  });

  it("leaves a keep tag alone: anyone may ask the service to keep an image", async () => {
    // Prepare
    const before = tamperAlerts().length;

    // Act
    await ec2.send(
      new CreateTagsCommand({ Resources: [imageId], Tags: [{ Key: "ami-lifecycle:keep", Value: "true" }] }),
    );
    const [event] = await deliverThrice();

    // Assess
    const delivered = deployment.deliveries.filter((delivery) => delivery.event.id === event?.id);
    expect(delivered[0]?.result).toMatchObject({ outcome: "ignored", reason: "no lifecycle tag named" });
    expect(tamperAlerts()).toHaveLength(before);
  });

  it("reports lifecycle tags forged on an image the registry never recorded", async () => {
    // Prepare
    const stranger = deployment.account.seedImage(region, { name: "someone-elses-tool" });
    const before = tamperAlerts().length;

    // Act
    await ec2.send(
      new CreateTagsCommand({
        Resources: [stranger],
        Tags: [
          { Key: LifecycleTag.managed, Value: "true" },
          { Key: LifecycleTag.family, Value: "base-al2023" },
        ],
      }),
    );
    await deliverThrice();

    // Assess
    const alerts = tamperAlerts().slice(before);
    expect(alerts).toHaveLength(1);
    expect(alerts[0]?.message).toContain(stranger);
    expect(alerts[0]?.messageAttributes.family?.StringValue).toBe("(unmanaged)");
  });
});
