import type {
  Clock,
  Config,
  ReactionDependencies,
  ReactionLog,
  RecycleBinService,
  SweepRunLog,
} from "@ami-lifecycle/core";
import type { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { type AwsClients, type AwsClientsOptions, createClients } from "../clients";
import { Ec2ImageService } from "../ec2/image-service";
import { Ec2RestoreService } from "../ec2/restore-service";
import { EventBridgeSweepRequester } from "../events/sweep-requests";
import { logger } from "../powertools/observability";
import { DynamoVersionRegistry } from "../registry/dynamo-version-registry";
import { DynamoSweepRunLog } from "../registry/sweep-run-log";
import { SnsNotifier } from "../sns/notifier";
import { SsmImagePointers } from "../ssm/pointers";

/** Everything a handler needs, built once per container. */
export interface Runtime {
  config: Config;
  reactions: ReactionDependencies;
  /** Where the sweep records its last scheduled run (status reads it). */
  sweepRuns: SweepRunLog;
  /** Where the sweep's and rollback's one-run-per-request records live (see oncePerRequest). */
  idempotencyStore(): { tableName: string; client: DynamoDBClient };
  /** Closes every client (tests and the sandbox; Lambda never needs it). */
  destroy(): void;
}

/** Where the runtime's resources are and how its clients are built. */
export interface RuntimeOptions {
  config: Config;
  registryTableName: string;
  idempotencyTableName: string;
  topicArn: string;
  /** the security topic (public-sharing alerts); absent: they go to `topicArn` */
  securityTopicArn?: string;
  /** the service's own role ARNs (tagging calls by them are not tampering) */
  serviceRoleArns?: readonly string[];
  clock?: Clock;
  /** waits between polls (a restore waiting for snapshots); the simulated clock locally, real time otherwise */
  sleep?: (ms: number) => Promise<void>;
  log?: ReactionLog;
  /** client construction (retry attempts, the simulated account's middleware, DynamoDB Local's endpoint) */
  clients?: Omit<AwsClientsOptions, "regions" | "homeRegion">;
  /**
   * The Recycle Bin, for runtimes that retire images (`rbinRecycleBin`); without it a deregistration is
   * final. Passed in so that only the bundles that retire carry the rbin client.
   */
  recycleBin?: {
    newClient: NonNullable<AwsClientsOptions["newRbinClient"]>;
    service: (clients: AwsClients) => RecycleBinService;
  };
}

const systemClock: Clock = { now: () => new Date() };

/** The reactions' log, written through the Powertools logger (structured JSON with the invocation's keys). */
const powertoolsLog: ReactionLog = {
  debug: (message, extra) => logger.debug(message, extra ?? {}),
  info: (message, extra) => logger.info(message, extra ?? {}),
  warn: (message, extra) => logger.warn(message, extra ?? {}),
};

/** Composes the adapters behind core's ports; production, the sandbox and tests differ only in options. */
export function createRuntime(options: RuntimeOptions): Runtime {
  const { config } = options;
  const clock = options.clock ?? systemClock;
  const clients = createClients({
    ...options.clients,
    ...(options.recycleBin ? { newRbinClient: options.recycleBin.newClient } : {}),
    regions: config.regions,
    homeRegion: config.homeRegion,
  });
  const registry = new DynamoVersionRegistry({
    client: clients.dynamo,
    tableName: options.registryTableName,
    clock,
  });
  const images = new Ec2ImageService({ clients, clock });
  const notifier = new SnsNotifier({ client: clients.sns, topicArn: options.topicArn });
  const reactions: ReactionDependencies = {
    config,
    clock,
    registry,
    images,
    sharing: images,
    // Without a security topic, public-sharing alerts go to the operations topic.
    securityNotifier: options.securityTopicArn
      ? new SnsNotifier({ client: clients.sns, topicArn: options.securityTopicArn })
      : notifier,
    notifier,
    sweeps: new EventBridgeSweepRequester(clients.eventBridge),
    log: options.log ?? powertoolsLog,
    pointers: new SsmImagePointers(clients),
    restore: new Ec2RestoreService(clients),
    ...(options.sleep ? { sleep: options.sleep } : {}),
    ...(options.recycleBin ? { recycleBin: options.recycleBin.service(clients) } : {}),
    ...(options.serviceRoleArns ? { serviceRoleArns: options.serviceRoleArns } : {}),
  };
  return {
    config,
    reactions,
    sweepRuns: new DynamoSweepRunLog({ client: clients.dynamo, tableName: options.registryTableName }),
    idempotencyStore: () => ({ tableName: options.idempotencyTableName, client: clients.dynamo }),
    destroy() {
      clients.destroy();
    },
  };
}
