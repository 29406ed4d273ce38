import { LifecycleTag } from "@ami-lifecycle/core";
import type { LocalDeployment } from "@ami-lifecycle/simulated-account";
import { CreateImageCommand, EC2Client } from "@aws-sdk/client-ec2";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { startScenarioDeployment } from "../support/scenario-config";

describe("a first build of a managed family", () => {
  let deployment: LocalDeployment;

  beforeAll(async () => {
    deployment = await startScenarioDeployment(inject("dynamoEndpoint"));
  });
  afterAll(() => deployment.stop());

  it("is versioned, tagged, copied encrypted to both regions and announced", async () => {
    // Prepare
    const { account } = deployment;
    const base = account.seedImage("us-east-1", { name: "amzn2023-base" });
    const instanceId = account.runInstance("us-east-1", base);
    const pipeline = account.client(EC2Client, "us-east-1", {
      principalArn: "arn:aws:sts::111122223333:assumed-role/image-pipeline/build-1",
    });

    // Act
    const { ImageId } = await pipeline.send(
      new CreateImageCommand({ InstanceId: instanceId, Name: "base-al2023-2026.11.20" }),
    );
    await deployment.pump();
    await deployment.advance(10 * 60_000);
    await deployment.advance(20 * 60_000);

    // Assess
    const version = await deployment.runtime.reactions.registry.getVersion("base-al2023", 1);
    expect(version?.sourceImageId).toBe(ImageId);
    expect(Object.keys(version?.regions ?? {}).sort()).toEqual(["ap-southeast-2", "eu-west-1", "us-east-1"]);
    expect(Object.values(version?.regions ?? {}).map((region) => region.state)).toEqual([
      "available",
      "available",
      "available",
    ]);
    const copy = account.image("eu-west-1", version?.regions["eu-west-1"]?.imageId ?? "");
    expect(copy?.Tags).toContainEqual({ Key: LifecycleTag.version, Value: "1" });
    expect(account.image("us-east-1", ImageId ?? "")?.Tags).toContainEqual({
      Key: LifecycleTag.family,
      Value: "base-al2023",
    });
    const types = account
      .published(deployment.topicArn)
      .map((message) => message.messageAttributes.eventType?.StringValue);
    expect(types.sort()).toEqual(["available", "available", "available", "registered", "replicated"]);
    expect(deployment.deadLetters).toEqual([]);
  });
});
