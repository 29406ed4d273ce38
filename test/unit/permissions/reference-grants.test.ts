import { createClients, Ec2ImageService, ec2ImageReferences } from "@ami-lifecycle/aws";
import {
  handlerActions,
  type IamStatement,
  isDeployedAction,
  type PermissionContext,
  renderStatements,
} from "@ami-lifecycle/core";
import { fastRetryStrategy, SimulatedAccount } from "@ami-lifecycle/simulated-account";
import {
  AutoScalingClient,
  CreateAutoScalingGroupCommand,
  CreateLaunchConfigurationCommand,
} from "@aws-sdk/client-auto-scaling";
import { type EC2Client, EC2ServiceException } from "@aws-sdk/client-ec2";
import { describe, expect, it } from "vitest";

const region = "eu-west-1";
const accountId = "111122223333";

/** IAM service prefix per SDK serviceId. */
const iamPrefix: Record<string, string> = { EC2: "ec2", SSM: "ssm", "Auto Scaling": "autoscaling" };

/** One request the reference lookup sent: its IAM action and the resource IAM evaluates it against. */
interface SentRequest {
  action: string;
  resource: string;
}

/** The resource ARN IAM checks: parameter ARNs for the SSM reads that support them, `*` for the rest. */
function resourceOf(action: string, input: { Name?: string; Path?: string }): string {
  const parameter = (name: string) =>
    `arn:aws:ssm:${region}:${accountId}:parameter${name.startsWith("/") ? name : `/${name}`}`;
  if (action === "ssm:GetParameter" && input.Name) return parameter(input.Name);
  if (action === "ssm:GetParametersByPath" && input.Path) return parameter(input.Path);
  return "*";
}

/** IAM's wildcard match of a policy resource against a request resource. */
function matches(pattern: string, resource: string): boolean {
  const expression = pattern.replace(/[.+?^${}()|[\]\\]/g, "\\$&").replace(/\*/g, ".*");
  return new RegExp(`^${expression}$`).test(resource);
}

/** A statement that allows the request on its own (conditions on aws:CalledVia only hold for EC2's own calls). */
function allows(statement: IamStatement, request: SentRequest): boolean {
  if (!statement.actions.includes(request.action)) return false;
  if (statement.conditions?.some((condition) => condition.variable === "aws:CalledVia")) return false;
  return statement.resources.some((resource) => matches(resource, request.resource));
}

/** The sweep's rendered statements for a deployment managing `region`. */
function sweepStatements(): IamStatement[] {
  const context: Partial<PermissionContext> = {
    partition: "aws",
    accountId,
    homeRegion: region,
    managedRegions: [region],
    copyDestinationRegions: [region],
    copyKeyArns: [`arn:aws:kms:${region}:${accountId}:key/k1`],
    notificationTopicArns: [`arn:aws:sns:${region}:${accountId}:n`],
    notificationsKeyArn: `arn:aws:kms:${region}:${accountId}:key/n`,
    registryTableArn: `arn:aws:dynamodb:${region}:${accountId}:table/registry`,
    idempotencyTableArn: `arn:aws:dynamodb:${region}:${accountId}:table/idempotency`,
    handlerDeadLetterQueueArn: `arn:aws:sqs:${region}:${accountId}:dlq`,
    functionLogGroupArn: `arn:aws:logs:${region}:${accountId}:log-group:/aws/lambda/sweep`,
    pointerPathPrefix: "/ami-lifecycle/",
  };
  // Without the organization slice: the role a deployment without consumer accounts gets.
  const deployed = handlerActions["retention-sweep"].filter((action) => isDeployedAction(action, context));
  return renderStatements(deployed, context);
}

/** Runs one reference lookup over an account with every kind of use, recording each request sent. */
async function lookUpReferences(withoutImageReferences: boolean): Promise<SentRequest[]> {
  const account = new SimulatedAccount({ regions: [region], accountId });
  const image = account.seedImage(region, { name: "web-1" });
  account.runInstance(region, image);
  const templateId = account.createLaunchTemplate(region, "web", image);
  account.putParameter(region, "/golden/web", image);
  account.putParameter(region, "flat-web", image);
  const setup = account.client(AutoScalingClient, region);
  await setup.send(new CreateLaunchConfigurationCommand({ LaunchConfigurationName: "lc", ImageId: image }));
  await setup.send(
    new CreateAutoScalingGroupCommand({
      AutoScalingGroupName: "web",
      MinSize: 0,
      MaxSize: 1,
      LaunchTemplate: { LaunchTemplateId: templateId, Version: "1" },
    }),
  );
  setup.destroy();
  const sent: SentRequest[] = [];
  const clients = createClients({
    regions: [region],
    newAutoScalingClient: ec2ImageReferences.newAutoScalingClient,
    clientConfig: {
      credentials: { accessKeyId: "test", secretAccessKey: "test" },
      retryStrategy: fastRetryStrategy(1),
    },
    configureClient: (client, service) => {
      account.attach(client);
      const prefix = iamPrefix[client.config.serviceId ?? ""] ?? service;
      // The union of client types has no common `add` signature; every client's stack takes this one.
      (client as EC2Client).middlewareStack.add(
        (next, context) => async (args) => {
          const action = `${prefix}:${(context.commandName ?? "").replace(/Command$/, "")}`;
          sent.push({ action, resource: resourceOf(action, args.input as { Name?: string }) });
          if (withoutImageReferences && action === "ec2:DescribeImageReferences") {
            throw new EC2ServiceException({
              name: "InvalidAction",
              message: "The action DescribeImageReferences is not valid for this web service.",
              $fault: "client",
              $metadata: { httpStatusCode: 400 },
            });
          }
          return next(args);
        },
        { step: "initialize", name: "recordRequests" },
      );
    },
  });
  const references = await new Ec2ImageService({
    clients,
    clock: account.clock,
    references: ec2ImageReferences.finder(clients),
  }).findReferences(region, [image]);
  clients.destroy();
  expect(references.map((reference) => reference.resourceType).sort()).toEqual(
    [
      "autoscaling:AutoScalingGroup",
      "autoscaling:LaunchConfiguration",
      "ec2:Instance",
      "ec2:LaunchTemplate",
      "ssm:Parameter",
      "ssm:Parameter",
    ].sort(),
  );
  return sent;
}

describe("the sweep's grants cover every request its reference lookup sends", () => {
  it.each([
    ["DescribeImageReferences", false],
    ["the fallback", true],
  ])("with %s", async (_, withoutImageReferences) => {
    // Prepare
    const statements = sweepStatements();

    // Act
    const sent = await lookUpReferences(withoutImageReferences);

    // Assess
    const actions = new Set(sent.map((request) => request.action));
    expect(actions).toContain("autoscaling:DescribeAutoScalingGroups");
    expect(actions).toContain("autoscaling:DescribeLaunchConfigurations");
    if (withoutImageReferences) {
      expect(actions).toContain("ssm:GetParametersByPath");
      expect(actions).toContain("ssm:DescribeParameters");
      expect(actions).toContain("ssm:GetParameter");
    }
    const denied = sent.filter((request) => !statements.some((statement) => allows(statement, request)));
    expect(denied).toEqual([]);
  });

  it("scopes the fallback's parameter reads to parameters of the managed regions", () => {
    // Assess
    const reads = sweepStatements().filter((statement) =>
      statement.actions.includes("ssm:GetParametersByPath"),
    );
    expect(reads.map((statement) => statement.resources)).toEqual([
      [`arn:aws:ssm:${region}:${accountId}:parameter/*`],
    ]);
    expect(reads[0]?.actions).toEqual(["ssm:GetParametersByPath", "ssm:GetParameter"]);
  });
});
