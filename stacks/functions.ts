import {
  type Config,
  consumerTopicArns,
  type HandlerName,
  handlerActions,
  handlerRoleActions,
  organizationPermissionContext,
  pointerPathPrefix,
} from "@ami-lifecycle/core";
import { handlerLabel, policyFor, trustPolicyFor } from "./iam";
import type { Notifications } from "./notifications";
import type { Storage } from "./storage";

/** How each handler is sized: events touch one image; the sweep walks every family in every region. */
export const handlerSizing = {
  "image-api-call": { memory: "512 MB", timeout: "1 minute" },
  "image-state-change": { memory: "512 MB", timeout: "2 minutes" },
  "image-permission-change": { memory: "512 MB", timeout: "1 minute" },
  "image-tag-change": { memory: "512 MB", timeout: "1 minute" },
  "retention-sweep": { memory: "1024 MB", timeout: "15 minutes" },
  rollback: { memory: "512 MB", timeout: "2 minutes" },
  // Waits up to 10 minutes for snapshots leaving the Recycle Bin; a timed-out restore resumes when re-run.
  restore: { memory: "512 MB", timeout: "15 minutes" },
} as const satisfies Record<
  HandlerName,
  { memory: `${number} MB`; timeout: `${number} ${"minute" | "minutes"}` }
>;

/** Lambda retries a failed asynchronous invocation this many times before the dead-letter queue. */
export const asyncRetryAttempts = 2;

/**
 * The runtime and build every handler shares: SST bundles with esbuild (minified ESM, target esnext;
 * SST's Go side can't read an esbuild `target` string, so none is set). `minify` is explicit because
 * the CLI reads a missing flag as false.
 */
export const handlerBuild = {
  runtime: "nodejs22.x",
  architecture: "arm64",
  nodejs: { format: "esm", minify: true, sourcemap: false },
} as const;

/** The Lambda handlers, each with its own least-privilege role, and their shared dead-letter queue. */
export function createFunctions(input: {
  config: Config;
  stage: string;
  production: boolean;
  accountId: $util.Output<string>;
  partition: $util.Output<string>;
  storage: Storage;
  notifications: Notifications;
  copyDestinationRegions: string[];
}) {
  const { config, stage, production, accountId, partition, storage, notifications } = input;

  // Asynchronous invocations (EventBridge, Scheduler) that failed every retry land here; SQS-managed
  // encryption needs no key policy for Lambda to send.
  const deadLetterQueue = new aws.sqs.Queue("HandlerDeadLetterQueue", {
    messageRetentionSeconds: 14 * 24 * 3600,
    sqsManagedSseEnabled: true,
  });

  const handlerNames = Object.keys(handlerActions) as HandlerName[];
  // Every role exists before any function: the tamper guard tells the service's own tagging calls apart
  // by these ARNs (SERVICE_ROLE_ARNS), and roles never depend on functions.
  const roles = Object.fromEntries(
    handlerNames.map((handler) => [
      handler,
      new aws.iam.Role(`${handlerLabel(handler)}Role`, {
        description: `ami-lifecycle ${handler} handler (${stage})`,
        assumeRolePolicy: trustPolicyFor("lambda.amazonaws.com"),
      }),
    ]),
  ) as Record<HandlerName, aws.iam.Role>;
  const serviceRoleArns = $resolve(handlerNames.map((handler) => roles[handler].arn)).apply((arns) =>
    arns.join(","),
  );

  const handlers = handlerNames.map((handler) => {
    const label = handlerLabel(handler);
    const functionName = `${$app.name}-${stage}-${handler}`;
    const logGroupArn = $interpolate`arn:${partition}:logs:${config.homeRegion}:${accountId}:log-group:/aws/lambda/${functionName}`;

    const role = roles[handler];
    // Copy keys are granted in keys.ts: their key policies name this role, so granting them here
    // would make the role and the keys depend on each other.
    // Organization grants only with the `organization` slice (the roles it names are the resources).
    const organization = organizationPermissionContext(config);
    const actions = handlerRoleActions(handler, organization);
    const policy = new aws.iam.RolePolicy(`${label}Policy`, {
      role: role.name,
      policy: policyFor(actions, {
        ...organization,
        partition,
        accountId,
        homeRegion: config.homeRegion,
        managedRegions: config.regions,
        copyDestinationRegions: input.copyDestinationRegions,
        notificationTopicArns: [
          notifications.topic.arn,
          notifications.securityTopic.arn,
          ...consumerTopicArns(config),
        ],
        notificationsKeyArn: notifications.key.arn,
        registryTableArn: storage.registry.arn,
        idempotencyTableArn: storage.idempotency.arn,
        handlerDeadLetterQueueArn: deadLetterQueue.arn,
        functionLogGroupArn: logGroupArn,
        pointerPathPrefix: pointerPathPrefix(config.pointers.namePattern),
      }),
    });

    const fn = new sst.aws.Function(
      label,
      {
        name: functionName,
        description: `ami-lifecycle: ${handler}`,
        handler: `functions/${handler}.handler`,
        ...handlerBuild,
        ...handlerSizing[handler],
        role: role.arn,
        retries: asyncRetryAttempts,
        logging: { format: "json", retention: production ? "3 months" : "1 week" },
        environment: {
          REGISTRY_TABLE_NAME: storage.registry.name,
          IDEMPOTENCY_TABLE_NAME: storage.idempotency.name,
          NOTIFICATIONS_TOPIC_ARN: notifications.topic.arn,
          SECURITY_TOPIC_ARN: notifications.securityTopic.arn,
          SERVICE_ROLE_ARNS: serviceRoleArns,
          POWERTOOLS_SERVICE_NAME: "ami-lifecycle",
          POWERTOOLS_METRICS_NAMESPACE: "AmiLifecycle",
          POWERTOOLS_LOG_LEVEL: production ? "INFO" : "DEBUG",
        },
        transform: {
          function: (args) => {
            args.deadLetterConfig = { targetArn: deadLetterQueue.arn };
            args.tracingConfig = { mode: "Active" };
          },
          eventInvokeConfig: (args) => {
            // An event older than six hours is better repaired by the next sweep than replayed.
            args.maximumEventAgeInSeconds = 6 * 3600;
          },
        },
      },
      { dependsOn: [policy] },
    );
    return [handler, { fn, role, policy }] as const;
  });

  const byName = Object.fromEntries(handlers) as Record<
    HandlerName,
    { fn: sst.aws.Function; role: aws.iam.Role; policy: aws.iam.RolePolicy }
  >;
  return { deadLetterQueue, handlers: byName };
}

/** The handlers created by createFunctions. */
export type Functions = ReturnType<typeof createFunctions>;
