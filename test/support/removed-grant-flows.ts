import type { Runtime } from "@ami-lifecycle/aws";
import {
  actionPermissions,
  type HandlerName,
  handlerCopyKeyActions,
  handlerRoleActions,
  type IamStatement,
  parseConfig,
  policyDocument,
  type RenderedPolicy,
  statementSid,
} from "@ami-lifecycle/core";
import {
  type AdjustResourcePolicy,
  type EventBridgeEvent,
  LocalDeployment,
  type LocalHandler,
  localLambdaContext,
  SimulatedAccount,
} from "@ami-lifecycle/simulated-account";
import {
  CreateImageCommand,
  DeleteTagsCommand,
  DisableImageBlockPublicAccessCommand,
  EC2Client,
  EC2ServiceException,
  ModifyImageAttributeCommand,
} from "@aws-sdk/client-ec2";
import { DeleteRuleCommand, ListRulesCommand, RbinClient } from "@aws-sdk/client-rbin";
import { createRestoreHandler } from "../../functions/restore";
import { createRetentionSweepHandler } from "../../functions/retention-sweep";
import { createRollbackHandler } from "../../functions/rollback";
import { scenarioRegions } from "./scenario-config";

const minute = 60_000;
const mallory = "arn:aws:iam::111122223333:user/mallory";
const consumer = "444455556666";
/** The region where DescribeImageReferences is unavailable (the sweep falls back there). */
export const regionWithoutImageReferences = "ap-southeast-2";

/** Every grant of a handler's role: one statement, named by its Sid, with the IAM actions it allows. */
export interface Grant {
  sid: string;
  actions: readonly string[];
}

/** The statements the stacks render for a handler (role policy, then the copy-keys policy). */
export function grantsOf(handler: HandlerName): Grant[] {
  return [...handlerRoleActions(handler), ...handlerCopyKeyActions(handler)].flatMap((action) =>
    actionPermissions[action].statements.map((statement, index) => ({
      sid: statementSid(action, index),
      actions: statement.actions,
    })),
  );
}

/** The policies of `handler` without the statement `sid`; other principals keep theirs. */
export function withoutGrant(handler: HandlerName, sid: string) {
  return (principal: HandlerName | "operator", policies: RenderedPolicy[]): RenderedPolicy[] => {
    if (principal !== handler) return policies;
    return policies.map((policy) => {
      const statements: IamStatement[] = policy.statements.filter((statement) => statement.sid !== sid);
      return { ...policy, statements, document: policyDocument(statements) };
    });
  };
}

type Adjust = ReturnType<typeof withoutGrant>;

/**
 * One small flow that makes a handler use every grant of its role (a named scenario). It runs on a
 * fresh simulated account and returns it, so the caller can read the denials it recorded.
 */
export interface GrantFlow {
  handler: HandlerName;
  scenario: string;
  run(
    dynamoEndpoint: string,
    adjustPolicies?: Adjust,
    adjustResourcePolicy?: AdjustResourcePolicy,
  ): Promise<SimulatedAccount>;
}

/**
 * A family built in us-east-1, copied to eu-west-1 (good key) and ap-southeast-2 (an alias that does not
 * exist: the copy fails later, is discarded and retried), shared with a consumer, retired at once.
 */
function flowConfig() {
  return parseConfig({
    accounts: ["111122223333"],
    homeRegion: "us-east-1",
    regions: scenarioRegions,
    mode: "enforce",
    families: [
      {
        name: "web",
        team: "web",
        match: { namePattern: "web-*" },
        copyTo: [
          { region: "eu-west-1", kmsKeyId: "alias/ami-lifecycle" },
          { region: "ap-southeast-2", kmsKeyId: "alias/missing-key" },
        ],
        maxCopyAttempts: 2,
        sharing: { accounts: [consumer], createVolumePermission: true },
        channels: ["stable"],
        retention: {
          keepLatest: 1,
          minAgeDays: 0,
          deprecateAfterDays: 0,
          disableAfterDays: 0,
          deregisterAfterDays: 0,
        },
      },
    ],
  });
}

/** How a flow changes the deployment it runs on. */
interface Adjustments {
  policies?: Adjust | undefined;
  resourcePolicy?: AdjustResourcePolicy | undefined;
  /** CloudTrail records CreateTags / DeleteTags (the tamper guard's trigger) */
  recordTagCalls?: boolean;
}

/** The config every flow deploys (the resource-policy proof renders its key policies from it). */
export const grantFlowConfig = flowConfig;

/** A fresh account with the eu-west-1 copy key and the service deployed over it (the sweep routed). */
async function deploy(dynamoEndpoint: string, adjust: Adjustments) {
  const account = new SimulatedAccount({
    regions: scenarioRegions,
    seed: 11,
    ...(adjust.recordTagCalls ? { recordTagCalls: true } : {}),
  });
  account.createKey("eu-west-1", { alias: "alias/ami-lifecycle" });
  const deployment = await LocalDeployment.start({
    config: flowConfig(),
    account,
    dynamoEndpoint,
    sweepHandler: createRetentionSweepHandler,
    observeClient: (client, service) => {
      if (service === "EC2")
        answerInvalidActionIn(client as unknown as EC2Client, regionWithoutImageReferences);
    },
    ...(adjust.policies ? { adjustPolicies: adjust.policies } : {}),
    ...(adjust.resourcePolicy ? { adjustResourcePolicy: adjust.resourcePolicy } : {}),
  });
  return deployment;
}

/** How many versions each deployment's builder has made so far. */
const versionsBuilt = new WeakMap<LocalDeployment, number>();

/** Which events of a build reach the rules: all, none (lost), or only one kind (the other lost). */
type Delivered = "all" | "none" | "cloudtrail-late" | "state-changes" | "registration-only";

const isStateChange = (event: EventBridgeEvent) => event["detail-type"] === "EC2 AMI State Change";
const isSweepRequest = (event: EventBridgeEvent) => event["detail-type"] === "Family Sweep Requested";

/**
 * Builds `count` more versions from a builder instance and lets every copy finish (or fail).
 * `cloudtrail-late`: every state event is lost and each CloudTrail record arrives after its image
 * settled, so the API-call handler alone does the work; `state-changes`: every CloudTrail record is lost.
 */
async function buildVersions(deployment: LocalDeployment, count: number, delivered: Delivered = "all") {
  const { account } = deployment;
  // Counted per deployment: a retired version's image is gone from DescribeImages, not its name.
  const built = versionsBuilt.get(deployment) ?? 0;
  versionsBuilt.set(deployment, built + count);
  const base = account.seedImage("us-east-1", { name: `builder-base-${built}` });
  const builder = account.runInstance("us-east-1", base);
  account.drainEvents();
  const pipeline = account.client(EC2Client, "us-east-1", {
    principalArn: "arn:aws:sts::111122223333:assumed-role/image-pipeline/build",
  });
  const drop = (event: EventBridgeEvent, step: number) =>
    delivered === "none" ||
    // Only the CreateImage record, at once (the image still pending): the version is registered and
    // every later event (its state changes, its copies') is lost.
    (delivered === "registration-only" && (isStateChange(event) || step > 0)) ||
    (delivered === "state-changes" && !isStateChange(event)) ||
    (delivered === "cloudtrail-late" && isStateChange(event));
  for (let index = built + 1; index <= built + count; index++) {
    await pipeline.send(new CreateImageCommand({ InstanceId: builder, Name: `web-2026.01.0${index}` }));
    for (let step = 0; step < 10; step++) {
      // The service's own sweep requests go last (EventBridge keeps no order): a sweep that came first
      // would repair the failed copy itself, and the event handler's flow would no longer use its grants.
      const events = account
        .drainEvents()
        .filter((event) => !drop(event, step))
        .sort((a, b) => Number(isSweepRequest(a)) - Number(isSweepRequest(b)));
      // Late: the record is delivered only once its image (and every copy) has settled.
      if (delivered === "cloudtrail-late") account.advance(40 * minute);
      for (const event of events) await deployment.deliver(event);
      account.advance(5 * minute);
    }
  }
  pipeline.destroy();
}

/** Runs `act` on a fresh deployment and always stops it. */
async function onFreshDeployment(
  dynamoEndpoint: string,
  adjust: Adjustments,
  act: (deployment: LocalDeployment) => Promise<void>,
): Promise<SimulatedAccount> {
  const deployment = await deploy(dynamoEndpoint, adjust);
  try {
    await act(deployment);
  } finally {
    await deployment.stop();
  }
  return deployment.account;
}

/** The image of v1 in us-east-1, found as anyone would (the flows act on it as mallory). */
function firstImage(deployment: LocalDeployment): string {
  const image = deployment.account
    .images("us-east-1")
    .find((candidate) => candidate.Name === "web-2026.01.01");
  if (!image?.ImageId) throw new Error("the flow built no v1 in us-east-1");
  return image.ImageId;
}

/** The event handlers' flow: two builds copied (one destination failing), shared, pointed at, swept. */
function buildFlow(handler: HandlerName, delivered: Delivered, scenario: string): GrantFlow {
  return {
    handler,
    scenario,
    run: (dynamoEndpoint, policies, resourcePolicy) =>
      onFreshDeployment(dynamoEndpoint, { policies, resourcePolicy }, (deployment) =>
        buildVersions(deployment, 2, delivered),
      ),
  };
}

/** The flows, one per handler. */
export const grantFlows: GrantFlow[] = [
  buildFlow(
    "image-api-call",
    "cloudtrail-late",
    "two builds whose state events are lost and CloudTrail records late: copied encrypted (one bad key retried), shared, pointed at, announced",
  ),
  buildFlow(
    "image-state-change",
    "state-changes",
    "two builds whose CloudTrail records are lost: copied encrypted (one bad key retried), shared, pointed at, announced",
  ),
  {
    handler: "retention-sweep",
    scenario:
      "sweeps retire an old version in use nowhere, restore its tags and make it private (references with and without DescribeImageReferences), and repair a version whose events were all lost (copies, pointers, sweep request)",
    run: (dynamoEndpoint, policies, resourcePolicy) =>
      onFreshDeployment(dynamoEndpoint, { policies, resourcePolicy }, async (deployment) => {
        await buildVersions(deployment, 1);
        const imageId = firstImage(deployment);
        const ec2 = deployment.account.client(EC2Client, "us-east-1", { principalArn: mallory });
        await ec2.send(
          new DeleteTagsCommand({ Resources: [imageId], Tags: [{ Key: "ami-lifecycle:managed" }] }),
        );
        await ec2.send(new DisableImageBlockPublicAccessCommand({}));
        await ec2.send(
          new ModifyImageAttributeCommand({
            ImageId: imageId,
            LaunchPermission: { Add: [{ Group: "all" }] },
          }),
        );
        ec2.destroy();
        // The guards' events are lost: only the sweep can repair. v2's sweep request retires v1.
        deployment.account.drainEvents();
        await buildVersions(deployment, 1);
        for (let day = 0; day < 3; day++) {
          deployment.account.advance(86_400_000);
          await scheduledSweep(deployment, `day-${day}`);
          await deployment.pump();
        }
        // v3 is registered, then every event is lost (its own, its copies', every one after): only the
        // sweep sees it became available, copies it, points at it and asks for its family's sweep.
        await buildVersions(deployment, 1, "registration-only");
        for (let day = 0; day < 3; day++) {
          deployment.account.advance(86_400_000);
          await scheduledSweep(deployment, `lost-${day}`);
          deployment.account.drainEvents();
        }
      }),
  },
  {
    handler: "image-permission-change",
    scenario: "a managed image made public is made private again and reported",
    run: (dynamoEndpoint, policies, resourcePolicy) =>
      onFreshDeployment(dynamoEndpoint, { policies, resourcePolicy }, async (deployment) => {
        await buildVersions(deployment, 1);
        const ec2 = deployment.account.client(EC2Client, "us-east-1", { principalArn: mallory });
        await ec2.send(new DisableImageBlockPublicAccessCommand({}));
        await ec2.send(
          new ModifyImageAttributeCommand({
            ImageId: firstImage(deployment),
            LaunchPermission: { Add: [{ Group: "all" }] },
          }),
        );
        ec2.destroy();
        await deployment.pump();
      }),
  },
  {
    handler: "image-tag-change",
    scenario: "a foreign DeleteTags of a managed image's managed tag is reported",
    run: (dynamoEndpoint, policies, resourcePolicy) =>
      onFreshDeployment(
        dynamoEndpoint,
        { policies, resourcePolicy, recordTagCalls: true },
        async (deployment) => {
          await buildVersions(deployment, 1);
          const ec2 = deployment.account.client(EC2Client, "us-east-1", { principalArn: mallory });
          await ec2.send(
            new DeleteTagsCommand({
              Resources: [firstImage(deployment)],
              Tags: [{ Key: "ami-lifecycle:managed" }],
            }),
          );
          ec2.destroy();
          await deployment.pump();
        },
      ),
  },
  {
    handler: "rollback",
    scenario: "a rollback points latest at the previous version everywhere and tells the team",
    run: (dynamoEndpoint, policies, resourcePolicy) =>
      onFreshDeployment(dynamoEndpoint, { policies, resourcePolicy }, async (deployment) => {
        await buildVersions(deployment, 2);
        const handler = createRollbackHandler(() =>
          deployment.runtimeFor("rollback"),
        ) as unknown as LocalHandler;
        // A refused rollback throws: the denial recorded is what the caller reads.
        await handler({ family: "web" }, localLambdaContext("rollback", "rollback-1")).catch(() => undefined);
      }),
  },
  {
    handler: "restore",
    scenario:
      "v1 retired into the Recycle Bin in us-east-1 and disabled in eu-west-1 (no rule there) is restored in both, its sharing re-applied",
    run: (dynamoEndpoint, policies, resourcePolicy) =>
      onFreshDeployment(dynamoEndpoint, { policies, resourcePolicy }, async (deployment) => {
        await deleteRetiredRules(deployment, "eu-west-1");
        await buildVersions(deployment, 2);
        for (let day = 0; day < 3; day++) {
          deployment.account.advance(86_400_000);
          await scheduledSweep(deployment, `day-${day}`);
          await deployment.pump();
        }
        const handler = createRestoreHandler(() =>
          deployment.runtimeFor("restore"),
        ) as unknown as LocalHandler;
        // A refused restore throws: the denial recorded is what the caller reads.
        await handler({ family: "web", version: 1 }, localLambdaContext("restore", "restore-1")).catch(
          () => undefined,
        );
      }),
  },
];

/** Deletes the stacks' retired-tag rules of one region, as an administrator might. */
async function deleteRetiredRules(deployment: LocalDeployment, region: string): Promise<void> {
  const rbin = deployment.account.client(RbinClient, region);
  const ResourceTags = [{ ResourceTagKey: "ami-lifecycle:retired", ResourceTagValue: "true" }];
  for (const ResourceType of ["EC2_IMAGE", "EBS_SNAPSHOT"] as const) {
    const { Rules } = await rbin.send(new ListRulesCommand({ ResourceType, ResourceTags }));
    for (const rule of Rules ?? []) await rbin.send(new DeleteRuleCommand({ Identifier: rule.Identifier }));
  }
  rbin.destroy();
}

/** Invokes the sweep function the way EventBridge Scheduler does. */
async function scheduledSweep(deployment: LocalDeployment, executionId: string): Promise<void> {
  const handler = createRetentionSweepHandler(
    () => deployment.runtimeFor("retention-sweep") as Runtime,
  ) as unknown as LocalHandler;
  await handler(
    { kind: "scheduled-sweep", executionId, scheduledTime: deployment.account.clock.now().toISOString() },
    localLambdaContext("retention-sweep", executionId),
  ).catch(() => undefined);
}

/** Makes DescribeImageReferences fail in one region as in a region or partition that lacks it. */
function answerInvalidActionIn(client: EC2Client, region: string): void {
  client.middlewareStack.add(
    (next, context) => async (args) => {
      if (context.commandName !== "DescribeImageReferencesCommand") return next(args);
      if ((await client.config.region()) !== region) return next(args);
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

const lambdaRuntime =
  "used by the Lambda runtime or service, never through the simulated account; proven offline by test/infra/lambda-runtime-grants.test.ts (AWSLambdaBasicExecutionRole / AWSXRayDaemonWriteAccess actions, its own log group, its function's DLQ)";
const copyTagsCovered =
  "CreateTags on CopyImage is also allowed by TagImages (ForAllValues aws:TagKeys ami-lifecycle:*) in every role holding copyImage";
const organizationFlow =
  "deployed only with the `organization` slice, which this flow's config has not; proven by test/scenario/organization-deployed-sweep.test.ts (each removed, the organization flow is denied)";
const identicalStatement = (others: string) =>
  `identical to ${others} in this role: removing one alone cannot bite`;

/** Watermarks are attached only with the `organization` slice, which these flows do not configure. */
const organizationOnly =
  "exercised only with the organization slice: test/scenario/organization-consumers.test.ts watermarks every version";

/**
 * Grants no flow catches yet, each with why (findings of the removed-grant run, docs/permissions.md).
 * Kept explicit so a grant is never silently untested: each must name a real statement of its handler.
 */
export const uncaughtGrants: Record<HandlerName, Record<string, string>> = {
  "image-api-call": {
    WatermarkImages: organizationOnly,
    CopyImage2: copyTagsCovered,
    WriteTraces: lambdaRuntime,
    WriteLogs: lambdaRuntime,
    SendToDeadLetterQueue: lambdaRuntime,
  },
  "image-state-change": {
    WatermarkImages: organizationOnly,
    CopyImage2: copyTagsCovered,
    WriteTraces: lambdaRuntime,
    WriteLogs: lambdaRuntime,
    SendToDeadLetterQueue: lambdaRuntime,
  },
  "image-permission-change": {
    GuardPublicImages2:
      "flow gap or unneeded: the guard handler made no GetImageBlockPublicAccessState call in its flow (the sweep does)",
    WriteTraces: lambdaRuntime,
    WriteLogs: lambdaRuntime,
    SendToDeadLetterQueue: lambdaRuntime,
  },
  "image-tag-change": {
    WriteTraces: lambdaRuntime,
    WriteLogs: lambdaRuntime,
    SendToDeadLetterQueue: lambdaRuntime,
  },
  "retention-sweep": {
    WatermarkImages: organizationOnly,
    CopyImage2: copyTagsCovered,
    ReadImageAttributes: identicalStatement("ShareImages, GuardPublicImages"),
    ShareImages: identicalStatement("ReadImageAttributes, GuardPublicImages"),
    GuardPublicImages: identicalStatement("ReadImageAttributes, ShareImages"),
    ShareImages3: identicalStatement("GuardPublicImages3"),
    GuardPublicImages3: identicalStatement("ShareImages3"),
    AssumeConsumerRoles: organizationFlow,
    AssumeOrganizationReader: organizationFlow,
    CreateUsageReports: organizationFlow,
    ReadUsageReports: organizationFlow,
    PutConsumerEvents: organizationFlow,
    DeleteUsageReports: organizationFlow,
    WriteTraces: lambdaRuntime,
    WriteLogs: lambdaRuntime,
    SendToDeadLetterQueue: lambdaRuntime,
  },
  rollback: {
    WriteTraces: lambdaRuntime,
    WriteLogs: lambdaRuntime,
    SendToDeadLetterQueue: lambdaRuntime,
  },
  restore: {
    WriteTraces: lambdaRuntime,
    WriteLogs: lambdaRuntime,
    SendToDeadLetterQueue: lambdaRuntime,
  },
};
