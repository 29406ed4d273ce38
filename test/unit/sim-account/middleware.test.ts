import { fastRetryStrategy, UnsupportedCommandError } from "@ami-lifecycle/simulated-account";
import {
  CopyImageCommand,
  DescribeImagesCommand,
  DescribeVpcsCommand,
  EC2Client,
  EC2ServiceException,
} from "@aws-sdk/client-ec2";
import { PublishCommand, SNSClient, SNSServiceException } from "@aws-sdk/client-sns";
import { describe, expect, it } from "vitest";
import { EAST, failure, setup, WEST } from "./helpers";

describe("simulated account middleware", () => {
  it("is retried by the SDK's own retry middleware when throttled (EC2 API throttling: RequestLimitExceeded)", async () => {
    // Prepare
    const { account } = setup({ faults: { throttleRate: 0.5, seed: 7 } });
    account.seedImage(EAST, { name: "base" });
    const ec2 = account.client(EC2Client, EAST, { config: { retryStrategy: fastRetryStrategy(10) } });
    // Act
    const results = [];
    for (let i = 0; i < 5; i++) results.push(await ec2.send(new DescribeImagesCommand({ Owners: ["self"] })));
    // Assess
    const attempts = results.map((result) => result.$metadata.attempts ?? 0);
    expect(results.every((result) => result.Images?.length === 1)).toBe(true);
    expect(Math.max(...attempts)).toBeGreaterThan(1);
    expect(account.callCounts()[`${EAST}:DescribeImages`]).toBe(attempts.reduce((a, b) => a + b, 0));
  });

  it("surfaces RequestLimitExceeded (HTTP 503) once maxAttempts are exhausted", async () => {
    // Prepare
    const { account } = setup({ faults: { throttleRate: 1 } });
    const ec2 = account.client(EC2Client, EAST, { config: { retryStrategy: fastRetryStrategy(3) } });
    // Act
    const error = await failure(ec2.send(new DescribeImagesCommand({ Owners: ["self"] })));
    // Assess
    expect(error).toBeInstanceOf(EC2ServiceException);
    expect(error.name).toBe("RequestLimitExceeded");
    expect(error.$metadata?.httpStatusCode).toBe(503);
    expect(account.callCounts()).toEqual({ [`${EAST}:DescribeImages`]: 3 });
  });

  it("retries transient 5xx InternalError", async () => {
    // Prepare
    const { account } = setup({ faults: { serverErrorRate: 1 } });
    const ec2 = account.client(EC2Client, EAST, { config: { retryStrategy: fastRetryStrategy(2) } });
    // Act
    const error = await failure(ec2.send(new DescribeImagesCommand({})));
    account.setFaults({});
    const recovered = await ec2.send(new DescribeImagesCommand({}));
    // Assess
    expect(error.name).toBe("InternalError");
    expect(error.$metadata?.httpStatusCode).toBe(500);
    expect(recovered.Images).toEqual([]);
    expect(account.callCounts()[`${EAST}:DescribeImages`]).toBe(3);
  });

  it("never applies the effect of a faulted attempt", async () => {
    // Prepare
    const { account, west } = setup({ faults: { throttleRate: 1, only: ["CopyImageCommand"] } });
    const source = account.seedImage(EAST, { name: "base" });
    // Act
    const error = await failure(
      west.send(
        new CopyImageCommand({ SourceRegion: EAST, SourceImageId: source, Name: "copy", ClientToken: "t" }),
      ),
    );
    // Assess
    expect(error.name).toBe("RequestLimitExceeded");
    expect(account.images(WEST)).toEqual([]);
    expect(account.snapshots(WEST)).toEqual([]);
    expect(account.drainEvents()).toEqual([]);
  });

  it("limits faults to the listed commands", async () => {
    // Prepare
    const { east } = setup({ faults: { throttleRate: 1, only: ["CopyImage"] } });
    // Act
    const output = await east.send(new DescribeImagesCommand({}));
    // Assess
    expect(output.Images).toEqual([]);
  });

  it("raises the service's own exception class for other services (SNS NotFoundException)", async () => {
    // Prepare
    const { account } = setup();
    const sns = account.client(SNSClient, EAST, { config: { retryStrategy: fastRetryStrategy(1) } });
    // Act
    const error = await failure(
      sns.send(new PublishCommand({ TopicArn: `arn:aws:sns:${EAST}:111122223333:missing`, Message: "hi" })),
    );
    // Assess
    expect(error).toBeInstanceOf(SNSServiceException);
    expect(error.name).toBe("NotFoundException");
  });

  it("refuses a command it does not model, naming it", async () => {
    // Prepare
    const { east } = setup();
    // Act
    const error = await failure(east.send(new DescribeVpcsCommand({})));
    // Assess
    expect(error).toBeInstanceOf(UnsupportedCommandError);
    expect(error.message).toContain("DescribeVpcsCommand");
  });

  it("counts calls per region and operation and resets them", async () => {
    // Prepare
    const { account, east, west } = setup();
    // Act
    await east.send(new DescribeImagesCommand({}));
    await west.send(new DescribeImagesCommand({}));
    await west.send(new DescribeImagesCommand({}));
    const counted = account.callCounts();
    account.resetCallCounts();
    // Assess
    expect(counted).toEqual({ [`${EAST}:DescribeImages`]: 1, [`${WEST}:DescribeImages`]: 2 });
    expect(account.callCounts()).toEqual({});
  });
});
