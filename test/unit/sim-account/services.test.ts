import { fastRetryStrategy } from "@ami-lifecycle/simulated-account";
import { EventBridgeClient, PutEventsCommand } from "@aws-sdk/client-eventbridge";
import { DescribeKeyCommand, KMSClient, ListAliasesCommand } from "@aws-sdk/client-kms";
import { CreateTopicCommand, PublishCommand, SNSClient } from "@aws-sdk/client-sns";
import {
  DescribeParametersCommand,
  GetParameterCommand,
  GetParametersByPathCommand,
  PutParameterCommand,
  SSMClient,
} from "@aws-sdk/client-ssm";
import { describe, expect, it } from "vitest";
import { EAST, failure, setup, WEST } from "./helpers";

const config = { retryStrategy: fastRetryStrategy(1) };

describe("simulated SNS (SNS API reference, Publish)", () => {
  it("records published messages with subject and String attributes", async () => {
    // Prepare
    const { account } = setup();
    const sns = account.client(SNSClient, EAST, { config });
    const { TopicArn } = await sns.send(new CreateTopicCommand({ Name: "ami-lifecycle" }));
    // Act
    await sns.send(
      new PublishCommand({
        TopicArn,
        Subject: "New image version",
        Message: "payments-api v3",
        MessageAttributes: { family: { DataType: "String", StringValue: "payments-api" } },
      }),
    );
    // Assess
    expect(account.published(TopicArn)).toMatchObject([
      {
        region: EAST,
        topicArn: TopicArn,
        subject: "New image version",
        message: "payments-api v3",
        messageAttributes: { family: { DataType: "String", StringValue: "payments-api" } },
      },
    ]);
  });

  it("refuses a subject over 100 characters, a message over 256 KB and a topic of another region", async () => {
    // Prepare
    const { account } = setup();
    const sns = account.client(SNSClient, EAST, { config });
    const topic = account.createTopic(EAST, "t");
    const westTopic = account.createTopic(WEST, "t");
    // Act
    const subject = await failure(
      sns.send(new PublishCommand({ TopicArn: topic, Subject: "s".repeat(101), Message: "m" })),
    );
    const large = await failure(
      sns.send(new PublishCommand({ TopicArn: topic, Message: "m".repeat(262_145) })),
    );
    const elsewhere = await failure(sns.send(new PublishCommand({ TopicArn: westTopic, Message: "m" })));
    // Assess
    expect(subject.name).toBe("InvalidParameterException");
    expect(large.name).toBe("InvalidParameterException");
    expect(elsewhere.name).toBe("InvalidParameterException");
    expect(account.published()).toEqual([]);
  });
});

describe("simulated KMS", () => {
  it("keys and aliases are regional: DescribeKey by alias works only where the key lives", async () => {
    // Prepare
    const { account } = setup();
    const keyArn = account.createKey(EAST, { alias: "ami-lifecycle" });
    const east = account.client(KMSClient, EAST, { config });
    const west = account.client(KMSClient, WEST, { config });
    // Act
    const described = await east.send(new DescribeKeyCommand({ KeyId: "alias/ami-lifecycle" }));
    const aliases = await east.send(new ListAliasesCommand({}));
    const missing = await failure(west.send(new DescribeKeyCommand({ KeyId: "alias/ami-lifecycle" })));
    // Assess
    expect(described.KeyMetadata).toMatchObject({
      Arn: keyArn,
      KeySpec: "SYMMETRIC_DEFAULT",
      KeyState: "Enabled",
    });
    expect(aliases.Aliases?.map((alias) => alias.AliasName)).toEqual(["alias/ami-lifecycle"]);
    expect(missing.name).toBe("NotFoundException");
  });
});

describe("simulated SSM Parameter Store", () => {
  it("versions parameters, needs Overwrite to replace, and reads by path", async () => {
    // Prepare
    const { account } = setup();
    const ssm = account.client(SSMClient, EAST, { config });
    await ssm.send(new PutParameterCommand({ Name: "/app/a", Value: "1", Type: "String" }));
    // Act
    const refused = await failure(
      ssm.send(new PutParameterCommand({ Name: "/app/a", Value: "2", Type: "String" })),
    );
    const overwritten = await ssm.send(
      new PutParameterCommand({ Name: "/app/a", Value: "2", Type: "String", Overwrite: true }),
    );
    await ssm.send(new PutParameterCommand({ Name: "/app/deep/b", Value: "3", Type: "String" }));
    const shallow = await ssm.send(new GetParametersByPathCommand({ Path: "/app" }));
    const recursive = await ssm.send(new GetParametersByPathCommand({ Path: "/app", Recursive: true }));
    const missing = await failure(ssm.send(new GetParameterCommand({ Name: "/nope" })));
    const described = await ssm.send(new DescribeParametersCommand({}));
    // Assess
    expect(refused.name).toBe("ParameterAlreadyExists");
    expect(overwritten.Version).toBe(2);
    expect(shallow.Parameters?.map((p) => p.Name)).toEqual(["/app/a"]);
    expect(recursive.Parameters?.map((p) => p.Name)).toEqual(["/app/a", "/app/deep/b"]);
    expect(missing.name).toBe("ParameterNotFound");
    expect(described.Parameters).toHaveLength(2);
  });

  it("validates aws:ec2:image asynchronously: PutParameter succeeds but an unavailable AMI is not stored", async () => {
    // Prepare
    const { account } = setup();
    const ssm = account.client(SSMClient, EAST, { config });
    const image = account.seedImage(EAST, { name: "app-1" });
    // Act
    await ssm.send(
      new PutParameterCommand({ Name: "/golden", Value: image, Type: "String", DataType: "aws:ec2:image" }),
    );
    const invalid = await ssm.send(
      new PutParameterCommand({
        Name: "/bad",
        Value: "ami-0123456789abcdef0",
        Type: "String",
        DataType: "aws:ec2:image",
      }),
    );
    const stored = await ssm.send(new GetParameterCommand({ Name: "/golden" }));
    const notStored = await failure(ssm.send(new GetParameterCommand({ Name: "/bad" })));
    // Assess
    expect(stored.Parameter).toMatchObject({ Value: image, DataType: "aws:ec2:image", Version: 1 });
    expect(invalid.Version).toBe(1);
    expect(notStored.name).toBe("ParameterNotFound");
  });
});

describe("simulated EventBridge PutEvents", () => {
  it("adds custom events to the drained stream in the caller's region", async () => {
    // Prepare
    const { account } = setup();
    const events = account.client(EventBridgeClient, WEST, { config });
    // Act
    const output = await events.send(
      new PutEventsCommand({
        Entries: [
          {
            Source: "ami-lifecycle",
            DetailType: "Family Sweep Requested",
            Detail: JSON.stringify({ family: "app" }),
          },
        ],
      }),
    );
    // Assess
    expect(output.FailedEntryCount).toBe(0);
    expect(account.drainEvents()).toMatchObject([
      {
        source: "ami-lifecycle",
        "detail-type": "Family Sweep Requested",
        region: WEST,
        detail: { family: "app" },
      },
    ]);
  });
});
