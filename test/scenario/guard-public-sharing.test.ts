import { runSweep } from "@ami-lifecycle/core";
import type { LocalDeployment } from "@ami-lifecycle/simulated-account";
import {
  DisableImageBlockPublicAccessCommand,
  EC2Client,
  ModifyImageAttributeCommand,
} from "@aws-sdk/client-ec2";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { buildVersion, sharingConfig, startSharingDeployment } from "../support/sharing-world";

const mallory = "arn:aws:iam::111122223333:user/mallory";

describe("the public-sharing guard", () => {
  let deployment: LocalDeployment;
  let ec2: EC2Client;

  beforeAll(async () => {
    deployment = await startSharingDeployment(sharingConfig({}), inject("dynamoEndpoint"));
    ec2 = deployment.account.client(EC2Client, "us-east-1", { principalArn: mallory });
    await ec2.send(new DisableImageBlockPublicAccessCommand({}));
  });
  afterAll(() => deployment.stop());

  /** Makes the image public as mallory and delivers each resulting event three times. */
  async function makePublicDeliveredThrice(imageId: string) {
    await ec2.send(
      new ModifyImageAttributeCommand({ ImageId: imageId, LaunchPermission: { Add: [{ Group: "all" }] } }),
    );
    const events = deployment.account.drainEvents();
    for (const event of events) for (let copy = 0; copy < 3; copy++) await deployment.deliver(event);
    await deployment.pump();
    return events;
  }

  const publicSharing = (topicArn: string) =>
    deployment.account
      .published(topicArn)
      .filter((message) => message.messageAttributes.eventType?.StringValue === "public-sharing");

  it("makes a managed image private again exactly once, and tells the team and security who did it", async () => {
    // Prepare
    const imageId = await buildVersion(deployment, "base-al2023-2026.11.20");
    deployment.account.resetCallCounts();

    // Act
    const events = await makePublicDeliveredThrice(imageId);

    // Assess
    expect(events.map((event) => (event.detail as { eventName?: string }).eventName)).toEqual([
      "ModifyImageAttribute",
    ]);
    expect(deployment.account.image("us-east-1", imageId)?.Public).toBe(false);
    // mallory's call, then the one revert
    expect(deployment.account.callCounts()["us-east-1:ModifyImageAttribute"]).toBe(2);
    const team = publicSharing(deployment.topicArn);
    const security = publicSharing(deployment.securityTopicArn);
    expect(team).toHaveLength(1);
    expect(security).toHaveLength(1);
    expect(security[0]?.message).toContain(mallory);
    expect(security[0]?.messageAttributes.family?.StringValue).toBe("base-al2023");
    expect(deployment.deadLetters).toEqual([]);
  });

  it("only reports an image the service does not manage, and never modifies it", async () => {
    // Prepare
    const imageId = deployment.account.seedImage("us-east-1", { name: "someone-elses-tool" });
    deployment.account.resetCallCounts();
    const before = publicSharing(deployment.securityTopicArn).length;
    const teamBefore = publicSharing(deployment.topicArn).length;

    // Act
    await makePublicDeliveredThrice(imageId);

    // Assess
    expect(deployment.account.image("us-east-1", imageId)?.Public).toBe(true);
    expect(deployment.account.callCounts()["us-east-1:ModifyImageAttribute"]).toBe(1);
    const security = publicSharing(deployment.securityTopicArn).slice(before);
    expect(security).toHaveLength(1);
    expect(security[0]?.message).toContain(imageId);
    expect(publicSharing(deployment.topicArn)).toHaveLength(teamBefore);
  });

  it("alerts security from the sweep while image block public access is off", async () => {
    // Act
    const report = await runSweep(deployment.runtime.reactions, { now: deployment.account.clock.now() });

    // Assess
    expect(report.publicAccessUnblocked).toEqual(["us-east-1"]);
    const alerts = deployment.account
      .published(deployment.securityTopicArn)
      .filter((message) => message.messageAttributes.eventType?.StringValue === "public-access-unblocked");
    expect(alerts).toHaveLength(1);
  });

  it("leaves the deprecation EC2 gave the image while it was public, and a later sweep does not act on it", async () => {
    // Prepare: EC2 sets a public AMI's deprecation to 2 years after its creation; the guard reverts the sharing.
    const imageId = await buildVersion(deployment, "base-al2023-2026.11.21");
    await makePublicDeliveredThrice(imageId);
    const afterGuard = deployment.account.image("us-east-1", imageId);
    deployment.account.resetCallCounts();

    // Act
    await runSweep(deployment.runtime.reactions, { now: deployment.account.clock.now() });

    // Assess
    const created = new Date(afterGuard?.CreationDate as string);
    created.setUTCFullYear(created.getUTCFullYear() + 2);
    expect(afterGuard?.Public).toBe(false);
    expect(afterGuard?.DeprecationTime).toBe(created.toISOString());
    expect(deployment.account.image("us-east-1", imageId)?.DeprecationTime).toBe(created.toISOString());
    const onThisImage = Object.keys(deployment.account.appliedImageCalls())
      .filter((key) => key.endsWith(`:${imageId}`))
      .map((key) => key.split(":")[1]);
    expect(onThisImage.filter((operation) => !operation?.startsWith("Describe"))).toEqual([]);
    const versions = await deployment.runtime.reactions.registry.listVersions("base-al2023");
    const version = versions.find((candidate) => candidate.regions["us-east-1"]?.imageId === imageId);
    expect(version?.stage).toBe("active");
    expect(version?.regions["us-east-1"]?.state).toBe("available");
  });
});

describe("the guard in alert mode", () => {
  let deployment: LocalDeployment;

  beforeAll(async () => {
    deployment = await startSharingDeployment(
      sharingConfig({}, { guard: { publicImages: "alert" } }),
      inject("dynamoEndpoint"),
    );
  });
  afterAll(() => deployment.stop());

  it("leaves a managed public image as it is and reports it", async () => {
    // Prepare
    const imageId = await buildVersion(deployment, "base-al2023-2026.11.20");
    const ec2 = deployment.account.client(EC2Client, "us-east-1", { principalArn: mallory });
    await ec2.send(new DisableImageBlockPublicAccessCommand({}));

    // Act
    await ec2.send(
      new ModifyImageAttributeCommand({ ImageId: imageId, LaunchPermission: { Add: [{ Group: "all" }] } }),
    );
    await deployment.pump({ maxCopies: 3, seed: 7 });

    // Assess
    expect(deployment.account.image("us-east-1", imageId)?.Public).toBe(true);
    const security = deployment.account
      .published(deployment.securityTopicArn)
      .filter((message) => message.messageAttributes.eventType?.StringValue === "public-sharing");
    expect(security).toHaveLength(1);
  });
});
