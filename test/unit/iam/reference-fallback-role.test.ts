import { createClients, Ec2ImageService, ec2ImageReferences } from "@ami-lifecycle/aws";
import { handlerPolicies, type PermissionContext } from "@ami-lifecycle/core";
import { fastRetryStrategy, SimulatedAccount } from "@ami-lifecycle/simulated-account";
import { type EC2Client, EC2ServiceException } from "@aws-sdk/client-ec2";
import { describe, expect, it } from "vitest";

const home = "eu-west-1";

/** The sweep's role as the stacks render it, for a deployment managing `home` only. */
function sweepContext(accountId: string): Partial<PermissionContext> {
  return {
    partition: "aws",
    accountId,
    homeRegion: home,
    managedRegions: [home],
    copyDestinationRegions: [home],
    copyKeyArns: [`arn:aws:kms:${home}:${accountId}:key/copy`],
    notificationTopicArns: [`arn:aws:sns:${home}:${accountId}:topic`],
    notificationsKeyArn: `arn:aws:kms:${home}:${accountId}:key/notifications`,
    registryTableArn: `arn:aws:dynamodb:${home}:${accountId}:table/registry`,
    idempotencyTableArn: `arn:aws:dynamodb:${home}:${accountId}:table/idempotency`,
    handlerDeadLetterQueueArn: `arn:aws:sqs:${home}:${accountId}:dlq`,
    functionLogGroupArn: `arn:aws:logs:${home}:${accountId}:log-group:/aws/lambda/sweep`,
    pointerPathPrefix: "/ami-lifecycle/",
  };
}

describe("the retention sweep's role where DescribeImageReferences is unavailable", () => {
  it("lets the reference fallback read instances, launch templates and every SSM parameter", async () => {
    // Prepare
    const account = new SimulatedAccount({ regions: [home] });
    const principalArn = `arn:aws:sts::${account.accountId}:assumed-role/sweep/retention-sweep`;
    account.iam.govern(principalArn, {
      name: "retention-sweep role",
      policies: () => handlerPolicies("retention-sweep", sweepContext(account.accountId)),
    });
    const clients = createClients({
      regions: [home],
      newAutoScalingClient: ec2ImageReferences.newAutoScalingClient,
      clientConfig: {
        credentials: { accessKeyId: "t", secretAccessKey: "t" },
        retryStrategy: fastRetryStrategy(2),
      },
      configureClient: (client, service) => {
        account.attach(client, { principalArn });
        if (service === "EC2") answerInvalidAction(client as EC2Client);
      },
    });
    const images = new Ec2ImageService({
      clients,
      clock: account.clock,
      references: ec2ImageReferences.finder(clients),
    });
    const [byPath, byName] = [
      account.seedImage(home, { name: "by-path" }),
      account.seedImage(home, { name: "by-name" }),
    ];
    account.putParameter(home, "/team/web/image", byPath, "aws:ec2:image");
    account.putParameter(home, "flat-web", byName);

    // Act
    const references = await images.findReferences(home, [byPath, byName]);
    clients.destroy();

    // Assess
    expect(references.map((reference) => reference.arn).sort()).toEqual([
      `arn:aws:ssm:${home}:${account.accountId}:parameter/flat-web`,
      `arn:aws:ssm:${home}:${account.accountId}:parameter/team/web/image`,
    ]);
    expect(account.iam.denials()).toEqual([]);
  });
});

/** Makes DescribeImageReferences fail as in a region or partition that lacks it. */
function answerInvalidAction(client: EC2Client): void {
  client.middlewareStack.add(
    (next, context) => async (args) => {
      if (context.commandName !== "DescribeImageReferencesCommand") return next(args);
      throw new EC2ServiceException({
        name: "InvalidAction",
        $fault: "client",
        $metadata: { httpStatusCode: 400 },
        message: "The action DescribeImageReferences is not valid for this web service.",
      });
    },
    { step: "initialize", name: "missingImageReferences" },
  );
}
