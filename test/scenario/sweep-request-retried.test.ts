import type { LocalDeployment } from "@ami-lifecycle/simulated-account";
import { CreateImageCommand, EC2Client } from "@aws-sdk/client-ec2";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { notificationKeys } from "../support/event-snapshot";
import { startRetentionDeployment } from "../support/retention-world";

const MINUTE = 60_000;

/**
 * A new version's sweep request has no claim of its own: it is put under the source region's `available`
 * claim, before the notification. When that publish fails, the claim is given back and the retry puts the
 * request again; the request key makes every put the same request, which the sweep runs once.
 */
describe("a new version whose available notification failed after its sweep request was put", () => {
  let deployment: LocalDeployment;

  beforeAll(async () => {
    // Prepare: the sweep function behind its rule; the build is registered while SNS works
    deployment = await startRetentionDeployment("enforce", inject("dynamoEndpoint"), {
      routeSweepRequests: true,
    });
    const { account } = deployment;
    const builder = account.runInstance("us-east-1", account.seedImage("us-east-1", { name: "base" }));
    const pipeline = account.client(EC2Client, "us-east-1", {
      principalArn: "arn:aws:sts::111122223333:assumed-role/image-pipeline/build",
    });
    await pipeline.send(new CreateImageCommand({ InstanceId: builder, Name: "web-2026.01.01" }));
    pipeline.destroy();
    await deployment.pump();

    // Act: every publish fails while the image becomes available (Lambda's retries end in the DLQ), then
    // the dead letters are redriven and the copies finish
    account.setFaults({ throttleRate: 1, only: ["Publish"] });
    await deployment.advance(10 * MINUTE);
    account.setFaults({});
    for (const letter of deployment.deadLetters.splice(0)) await deployment.deliver(letter.event);
    await deployment.pump();
    await deployment.advance(20 * MINUTE);
  }, 120_000);
  afterAll(() => deployment.stop());

  it("puts the request once per attempt, every time as the same request, and the sweep answers all of them", () => {
    // Assess
    const requests = deployment.deliveries.filter(
      (delivery) => delivery.event["detail-type"] === "Family Sweep Requested",
    );
    expect(requests.length).toBeGreaterThan(1);
    for (const request of requests) {
      expect(request.event.detail).toEqual({
        family: "web",
        reason: "v1 available",
        requestKey: "sweep-request:web:1",
      });
      expect(request.error).toBeUndefined();
      expect(request.result).toEqual(requests[0]?.result);
    }
  });

  it("announces the version available once", () => {
    // Assess
    const sent = notificationKeys(deployment);
    expect(sent.filter((key) => key === "available web v1 us-east-1")).toHaveLength(1);
    expect(deployment.deadLetters).toEqual([]);
  });
});
