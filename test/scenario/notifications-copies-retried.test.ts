import type { LocalDeployment } from "@ami-lifecycle/simulated-account";
import { CreateImageCommand, EC2Client } from "@aws-sdk/client-ec2";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { notificationKeys } from "../support/event-snapshot";
import { startRetentionDeployment } from "../support/retention-world";

const MINUTE = 60_000;

/**
 * The last copy's event sends two notifications (`available` there, `replicated`) under two claims the
 * region write leased, completed in one write. When publishing fails, both leases are given back and the
 * redriven events send each notification once.
 */
describe("copies that finish while every publish fails, their events redriven later", () => {
  let deployment: LocalDeployment;
  let sentDuringOutage: string[];

  beforeAll(async () => {
    // Prepare: one build, its source available and announced, its copies started
    deployment = await startRetentionDeployment("enforce", inject("dynamoEndpoint"));
    const { account } = deployment;
    const builder = account.runInstance("us-east-1", account.seedImage("us-east-1", { name: "base" }));
    const pipeline = account.client(EC2Client, "us-east-1", {
      principalArn: "arn:aws:sts::111122223333:assumed-role/image-pipeline/build",
    });
    await pipeline.send(new CreateImageCommand({ InstanceId: builder, Name: "web-2026.01.01" }));
    pipeline.destroy();
    await deployment.pump();
    await deployment.advance(10 * MINUTE);
    const before = notificationKeys(deployment);

    // Act: the copies finish during an SNS outage (Lambda's retries end in the DLQ), then a redrive
    account.setFaults({ throttleRate: 1, only: ["Publish"] });
    await deployment.advance(20 * MINUTE);
    sentDuringOutage = notificationKeys(deployment).filter((key) => !before.includes(key));
    account.setFaults({});
    const letters = deployment.deadLetters.splice(0);
    for (const letter of letters) await deployment.deliver(letter.event);
    for (const letter of letters) await deployment.deliver(letter.event);
  }, 120_000);
  afterAll(() => deployment.stop());

  it("announces each copy available once and the version replicated once", () => {
    // Assess
    const sent = notificationKeys(deployment);
    expect(sentDuringOutage).toEqual([]);
    expect(sent.filter((key) => key === "available web v1 eu-west-1")).toHaveLength(1);
    expect(sent.filter((key) => key === "available web v1 ap-southeast-2")).toHaveLength(1);
    expect(sent.filter((key) => key.startsWith("replicated web v1"))).toHaveLength(1);
    expect(deployment.deadLetters).toEqual([]);
  });
});
