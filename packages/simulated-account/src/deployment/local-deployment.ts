import {
  type AwsClient,
  type AwsServiceName,
  createRegistryTable,
  createRuntime,
  crossAccountClients,
  dynamoRollbackDecisions,
  ec2ImageReferences,
  ec2RestoreService,
  type Runtime,
  rbinRecycleBin,
} from "@ami-lifecycle/aws";
import {
  amiStateChangePattern,
  type Config,
  deploymentParameterName,
  type EventPattern,
  familySweepRequestPattern,
  type HandlerName,
  handlerActions,
  imageApiCallPattern,
  imagePermissionChangePattern,
  imageTagChangePattern,
  type ReactionLog,
  type RenderedPolicy,
  recycleBinRules,
} from "@ami-lifecycle/core";
import {
  createImageApiCallHandler,
  createImagePermissionChangeHandler,
  createImageStateChangeHandler,
  createImageTagChangeHandler,
} from "@ami-lifecycle/functions";
import { CreateTableCommand, DynamoDBClient, UpdateTimeToLiveCommand } from "@aws-sdk/client-dynamodb";
import type { Context } from "aws-lambda";
import type { SimulatedAccount } from "../account";
import { type DynamoDbLocal, dynamoDbLocalClientConfig, startDynamoDbLocal } from "../dynamodb-local";
import type { EventBridgeEvent } from "../events";
import { iamDynamoDbPlugin } from "../iam/dynamodb";
import { matchesPattern } from "../pattern-matcher";
import { seededRandom, shuffled } from "../random";
import { fastRetryStrategy } from "../retry";
import { type AsyncInvocationRecord, invokeAsync, RunningAttempts } from "./async-invocation";
import { type AdjustResourcePolicy, deployKeyPolicies } from "./deployed-resource-policies";
import {
  governDeployedRoles,
  handlerPrincipalArn,
  type LocalResources,
  localStage,
  operatorPrincipalArn,
} from "./deployed-roles";
import { localDescriptor } from "./descriptor";
import { localLambdaContext } from "./lambda-context";
import { createLocalOperations, type LocalOperations, sendToDeadLetterQueue } from "./operations";

/** A Lambda handler as the local router calls it. */
export type LocalHandler = (event: unknown, context: Context) => Promise<unknown>;

/** One rule of the local router: the deployed rule's pattern and its target function. */
interface LocalRule {
  name: string;
  pattern: EventPattern;
  handler: LocalHandler;
}

/** What happened to one delivery. */
export interface Delivery {
  event: EventBridgeEvent;
  rule: string | undefined;
  attempts: number;
  result?: unknown;
  error?: unknown;
}

/** What happened to one direct invocation (the schedule's). */
export interface Invocation {
  functionName: string;
  payload: unknown;
  attempts: number;
  result?: unknown;
  error?: unknown;
}

/** How events are delivered: EventBridge is at-least-once, in any order, best-effort. */
export interface DeliveryPolicy {
  /** deliver each event 1..maxCopies times (default 1) */
  maxCopies?: number;
  /** shuffle the batch (default false) */
  shuffle?: boolean;
  /** drop events for which this returns true (lost events) */
  drop?: (event: EventBridgeEvent) => boolean;
  /** seed of the shuffles and duplicate counts */
  seed?: number;
}

/** Timeouts of the local functions, as the stacks set them (stacks/functions.ts); others get one minute. */
const localTimeoutsMs: Record<string, number> = { "retention-sweep": 900_000, restore: 900_000 };
const defaultTimeoutMs = 60_000;

/**
 * The service deployed locally: DynamoDB Local for the registry and idempotency tables, the simulated
 * account beneath every AWS client, the real handlers behind the same event patterns as the deployed rules.
 */
export class LocalDeployment {
  readonly deliveries: Delivery[] = [];
  readonly deadLetters: Delivery[] = [];
  /** the security topic (public-sharing alerts), created beside the notifications topic */
  securityTopicArn = "";
  /** the dead-letter queues and alarms `status` reads (created in the simulated account) */
  operations: LocalOperations = { region: "", deadLetterQueues: [], alarmNames: [] };
  private readonly rules: LocalRule[];
  private random: () => number = seededRandom(1);
  private requestCounter = 0;
  /** attempts running now, which a retry of a concurrent invocation waits for (async-invocation.ts) */
  private readonly running = new RunningAttempts();

  private constructor(
    readonly account: SimulatedAccount,
    /** each handler's runtime, its calls carrying the handler's own role */
    private readonly runtimes: Record<HandlerName, Runtime>,
    /** the CLI's view: calls carry the operator's session (docs/operator-policy.json) */
    readonly operatorRuntime: Runtime,
    readonly topicArn: string,
    readonly tables: { registry: string; idempotency: string },
    private readonly dynamo: DynamoDbLocal | undefined,
    extraRules: LocalRule[],
  ) {
    this.rules = [
      {
        name: "image-state-change",
        pattern: amiStateChangePattern,
        handler: createImageStateChangeHandler(() => runtimes["image-state-change"]),
      },
      {
        name: "image-api-call",
        pattern: imageApiCallPattern,
        handler: createImageApiCallHandler(() => runtimes["image-api-call"]),
      },
      {
        name: "image-permission-change",
        pattern: imagePermissionChangePattern,
        handler: createImagePermissionChangeHandler(() => runtimes["image-permission-change"]),
      },
      {
        name: "image-tag-change",
        pattern: imageTagChangePattern,
        handler: createImageTagChangeHandler(() => runtimes["image-tag-change"]),
      },
      ...extraRules,
    ];
  }

  /**
   * The retention sweep's runtime: tests that run core use cases directly act as the sweep, whose
   * role holds every event handler action plus retirement.
   */
  get runtime(): Runtime {
    return this.runtimes["retention-sweep"];
  }

  /** The runtime a handler runs with (its calls evaluated against its role). */
  runtimeFor(handler: HandlerName): Runtime {
    return this.runtimes[handler];
  }

  /** Creates the tables and topic and wires the runtime. Starts DynamoDB Local unless an endpoint is given. */
  static async start(options: {
    config: Config;
    account: SimulatedAccount;
    dynamoEndpoint?: string;
    log?: ReactionLog;
    sweepHandler?: (runtime: () => Runtime) => LocalHandler;
    /** SDK attempts per AWS call (default 5); fewer lets throttling reach Lambda's retries and the DLQ */
    sdkMaxAttempts?: number;
    /** sees every client the runtime builds (benchmarks count DynamoDB round trips with it) */
    observeClient?: (client: AwsClient, service: AwsServiceName) => void;
    /** changes the policies a principal is evaluated with (the removed-grant tests take one grant away) */
    adjustPolicies?: (principal: HandlerName | "operator", policies: RenderedPolicy[]) => RenderedPolicy[];
    /** changes a key policy before it is deployed (the removed-grant tests take one statement away) */
    adjustResourcePolicy?: AdjustResourcePolicy;
    /**
     * plugs the simulation beneath a client the runtime built, as `principalArn` (default: this account);
     * a SimulatedOrganization's `attach` routes assumed-role sessions to their accounts
     */
    attachClient?: (client: AwsClient, principalArn: string) => void;
  }): Promise<LocalDeployment> {
    const dynamo = options.dynamoEndpoint ? undefined : await startDynamoDbLocal();
    const endpoint = options.dynamoEndpoint ?? (dynamo as DynamoDbLocal).endpoint;
    const suffix = `${Date.now().toString(36)}-${Math.floor(Math.random() * 1e6).toString(36)}`;
    const tables = { registry: `registry-${suffix}`, idempotency: `idempotency-${suffix}` };
    const admin = new DynamoDBClient(dynamoDbLocalClientConfig(endpoint));
    await createRegistryTable(admin, tables.registry);
    await createIdempotencyTable(admin, tables.idempotency);
    admin.destroy();
    // The stacks' key policies, and both topics encrypted with the notifications key (stacks/notifications.ts).
    const { notificationsKeyArn } = deployKeyPolicies(
      options.config,
      options.account,
      options.adjustResourcePolicy,
    );
    const topicArn = options.account.createTopic(options.config.homeRegion, "ami-lifecycle-notifications", {
      kmsKeyArn: notificationsKeyArn,
    });
    const securityTopicArn = options.account.createTopic(
      options.config.homeRegion,
      "ami-lifecycle-security",
      {
        kmsKeyArn: notificationsKeyArn,
      },
    );
    const account = options.account;
    const resources: LocalResources = {
      topicArn,
      securityTopicArn,
      registryTable: tables.registry,
      idempotencyTable: tables.idempotency,
      notificationsKeyArn,
    };
    // The stacks' Recycle Bin rules, deployed long before: active from the start.
    for (const rule of recycleBinRules(options.config)) {
      account.seedRecycleBinRule(rule.region, {
        resourceType: rule.resourceType,
        retentionDays: rule.retentionDays,
        resourceTags: rule.resourceTags.map((tag) => ({
          ResourceTagKey: tag.key,
          ResourceTagValue: tag.value,
        })),
        description: rule.description,
      });
    }
    const handlers = Object.keys(handlerActions) as HandlerName[];
    governDeployedRoles(options.config, account, resources, handlers, options.adjustPolicies);
    const runtimeAs = (principalArn: string) =>
      createRuntime({
        config: options.config,
        registryTableName: tables.registry,
        idempotencyTableName: tables.idempotency,
        topicArn,
        securityTopicArn,
        // Every handler's role is one of the service's roles (the tag-tampering guard ignores their calls).
        serviceRoleArns: handlers.map((handler) =>
          roleOfSession(handlerPrincipalArn(account.accountId, handler)),
        ),
        clock: account.clock,
        // A restore waiting for snapshots moves the simulated clock instead of real time.
        sleep: async (ms) => {
          account.advance(ms);
        },
        ...(options.log ? { log: options.log } : {}),
        // Only the deployed sweep's bundle carries it (it alone retires); locally every runtime may, so
        // whichever runtime a test sweeps with sees the same Recycle Bin.
        recycleBin: rbinRecycleBin,
        imageReferences: ec2ImageReferences,
        // As the deployed sweep: with the `organization` slice, each sweep invocation assumes the roles anew.
        crossAccount: crossAccountClients,
        // Only the deployed restore's bundle carries it; locally every runtime may restore (the sandbox's
        // operator runtime does).
        restore: ec2RestoreService,
        rollbackDecisions: dynamoRollbackDecisions,
        clients: {
          clientConfig: {
            credentials: dynamoDbLocalClientConfig(endpoint).credentials,
            retryStrategy: fastRetryStrategy(options.sdkMaxAttempts ?? 5),
          },
          dynamoConfig: { endpoint },
          configureClient: (client, service) => {
            if (service !== "DynamoDB") {
              if (options.attachClient) options.attachClient(client, principalArn);
              else account.attach(client, { principalArn });
            } else {
              (client as DynamoDBClient).middlewareStack.use(
                iamDynamoDbPlugin(account.iam, { principalArn, region: options.config.homeRegion }),
              );
            }
            options.observeClient?.(client, service);
          },
        },
      });
    const runtimes = Object.fromEntries(
      handlers.map((handler) => [handler, runtimeAs(handlerPrincipalArn(account.accountId, handler))]),
    ) as Record<HandlerName, Runtime>;
    const operatorRuntime = runtimeAs(operatorPrincipalArn(account.accountId));
    const extraRules = options.sweepHandler
      ? [
          {
            name: "retention-sweep",
            pattern: familySweepRequestPattern,
            handler: options.sweepHandler(() => runtimes["retention-sweep"]),
          },
        ]
      : [];
    const deployment = new LocalDeployment(
      account,
      runtimes,
      operatorRuntime,
      topicArn,
      tables,
      dynamo,
      extraRules,
    );
    deployment.securityTopicArn = securityTopicArn;
    deployment.operations = createLocalOperations(account, options.config.homeRegion);
    // As the stacks do: the stage's names in one parameter, for `--stage local`.
    account.putParameter(
      options.config.homeRegion,
      deploymentParameterName(localStage),
      JSON.stringify(
        localDescriptor({
          config: options.config,
          registryTable: tables.registry,
          topicArn,
          securityTopicArn,
          operations: deployment.operations,
        }),
      ),
    );
    return deployment;
  }

  /** Routes one event through the rules like EventBridge, with Lambda's asynchronous retries. */
  async deliver(event: EventBridgeEvent): Promise<Delivery> {
    const rule = this.rules.find((candidate) => matchesPattern(candidate.pattern, event));
    return this.run(rule, event);
  }

  /**
   * Invokes one function directly with a payload, as EventBridge Scheduler invokes the sweep (no rule,
   * no pattern), with the same asynchronous retries. Not an event: kept out of `deliveries`.
   */
  async invoke(functionName: string, payload: unknown): Promise<Invocation> {
    const rule = this.rules.find((candidate) => candidate.name === functionName);
    if (!rule) throw new Error(`no local function named ${functionName}`);
    const invocation: Invocation = { functionName, payload, attempts: 0 };
    await this.attempt(rule, payload, invocation);
    return invocation;
  }

  private async run(rule: LocalRule | undefined, event: EventBridgeEvent): Promise<Delivery> {
    const delivery: Delivery = { event, rule: rule?.name, attempts: 0 };
    if (rule) {
      await this.attempt(rule, event, delivery);
      if (delivery.error) {
        this.deadLetters.push(delivery);
        const queue = this.operations.deadLetterQueues.find((candidate) => candidate.label === "handler");
        if (queue)
          await sendToDeadLetterQueue(this.account, this.operations.region, queue.url, event, delivery.error);
      }
    }
    this.deliveries.push(delivery);
    return delivery;
  }

  /** Lambda's asynchronous invocation: up to three attempts; the last error stays on the record. */
  private async attempt(rule: LocalRule, payload: unknown, record: AsyncInvocationRecord): Promise<void> {
    await invokeAsync({
      running: this.running,
      // The invocation's time runs on the simulated clock (the sweep continues itself when it runs out).
      nowMs: () => this.account.clock.nowMs(),
      timeoutMs: localTimeoutsMs[rule.name] ?? defaultTimeoutMs,
      attempt: (deadlineMs) =>
        rule.handler(
          payload,
          localLambdaContext(
            rule.name,
            `req-${++this.requestCounter}`,
            () => deadlineMs - this.account.clock.nowMs(),
          ),
        ),
      record,
    });
  }

  /** Drains the account's pending events and delivers them under the policy; repeats until none are left. */
  async pump(policy: DeliveryPolicy = {}): Promise<Delivery[]> {
    if (policy.seed !== undefined) this.random = seededRandom(policy.seed);
    const delivered: Delivery[] = [];
    for (let round = 0; round < 50; round++) {
      const events = this.account.drainEvents();
      if (events.length === 0) return delivered;
      let batch = events.filter((event) => !policy.drop?.(event));
      batch = batch.flatMap((event) =>
        Array.from({ length: 1 + Math.floor(this.random() * (policy.maxCopies ?? 1)) }, () => event),
      );
      if (policy.shuffle) batch = shuffled(batch, this.random);
      for (const event of batch) delivered.push(await this.deliver(event));
    }
    throw new Error("events keep coming after 50 rounds: a handler loops");
  }

  /** Advances the simulated clock (images finish) and delivers what that emitted. */
  async advance(ms: number, policy: DeliveryPolicy = {}): Promise<Delivery[]> {
    this.account.advance(ms);
    return this.pump(policy);
  }

  /** Stops DynamoDB Local (if this deployment started it) and closes clients. */
  async stop(): Promise<void> {
    for (const runtime of Object.values(this.runtimes)) runtime.destroy();
    this.operatorRuntime.destroy();
    await this.dynamo?.stop();
  }
}

/** `arn:aws:sts::<account>:assumed-role/<role>/<session>` → `arn:aws:iam::<account>:role/<role>`, as CloudTrail's sessionIssuer names it. */
function roleOfSession(principalArn: string): string {
  return principalArn.replace(
    /^arn:(aws[a-z-]*):sts::(\d{12}):assumed-role\/([^/]+)\/.*$/,
    "arn:$1:iam::$2:role/$3",
  );
}

/** The idempotency table layout (see oncePerRequest): partition key `id`, TTL on `expiration`. */
async function createIdempotencyTable(client: DynamoDBClient, tableName: string): Promise<void> {
  await client.send(
    new CreateTableCommand({
      TableName: tableName,
      AttributeDefinitions: [{ AttributeName: "id", AttributeType: "S" }],
      KeySchema: [{ AttributeName: "id", KeyType: "HASH" }],
      BillingMode: "PAY_PER_REQUEST",
    }),
  );
  await client.send(
    new UpdateTimeToLiveCommand({
      TableName: tableName,
      TimeToLiveSpecification: { AttributeName: "expiration", Enabled: true },
    }),
  );
}
