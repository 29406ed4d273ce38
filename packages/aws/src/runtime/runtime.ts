import {
  type Clock,
  type Config,
  type ContinuationRequester,
  type ReactionDependencies,
  type ReactionLog,
  type RecycleBinService,
  type RestoreService,
  unavailableRestore,
} from "@ami-lifecycle/core";
import type { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { type AwsClients, type AwsClientsOptions, createClients } from "../clients";
import type { ImageReferenceLookup, ReferenceClients } from "../ec2/image-references";
import { Ec2ImageService } from "../ec2/image-service";
import { Ec2DeregistrationProtection } from "../ec2/protection-service";
import { EventBridgeSweepRequester } from "../events/sweep-requests";
import { Ec2Watermarks } from "../organization/watermarks";
import { logger } from "../powertools/observability";
import { DynamoVersionRegistry } from "../registry/dynamo-version-registry";
import type { RollbackDecisionStore } from "../registry/rollback-decisions";
import { SnsNotifier } from "../sns/notifier";
import { SsmImagePointers } from "../ssm/pointers";
import type { CrossAccountSessions } from "./cross-account";

/** Everything a handler needs, built once per container. */
export interface Runtime {
  config: Config;
  reactions: ReactionDependencies;
  /**
   * The registry table and its client: the sweep builds its cursor store and run log on it
   * (`sweepStoresOf`), so that only the sweep's bundle carries them.
   */
  registryTable(): { tableName: string; client: DynamoDBClient };
  /** How a sweep asks for its own next part (the sweep-request event). */
  continuations: ContinuationRequester;
  /** Where the sweep's and rollback's one-run-per-request records live (see oncePerRequest). */
  idempotencyStore(): { tableName: string; client: DynamoDBClient };
  /**
   * The dependencies of one sweep invocation: with the `organization` slice and the cross-account
   * clients, fresh cross-account ports (roles assumed anew, never reused by a later invocation);
   * `close` releases what they built. Otherwise `reactions` as they are.
   */
  openSweep(): { reactions: ReactionDependencies; close(): void };
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
  /**
   * Image reference lookups, for runtimes that plan retirements (`ec2ImageReferences`); without them
   * `findReferences` refuses. Passed in so that only the sweep's bundle carries them and the Auto
   * Scaling client.
   */
  imageReferences?: {
    newAutoScalingClient: NonNullable<AwsClientsOptions["newAutoScalingClient"]>;
    finder: (clients: ReferenceClients) => ImageReferenceLookup;
  };
  /**
   * The cross-account sessions with their STS and Organizations clients (`crossAccountClients`), for
   * runtimes that gather evidence in consumer accounts (the sweep); without them, or without the
   * `organization` slice, no sweep does. Injected whole so that only the sweep's bundle carries them.
   */
  crossAccount?: CrossAccountSessions;
  /**
   * The Recycle Bin restore calls (`ec2RestoreService`), for runtimes that restore versions; without them
   * the runtime wires `unavailableRestore` and `restoreDependencies` refuses. Passed in so that only the
   * restore's bundle carries them.
   */
  restore?: (clients: AwsClients) => RestoreService;
  /**
   * The registry's rollback decisions per request (`dynamoRollbackDecisions`), for runtimes that roll
   * back with a request id; without them those registry calls refuse. Passed in so that only the
   * rollback's bundle carries them.
   */
  rollbackDecisions?: RollbackDecisionStore;
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
    ...(options.imageReferences
      ? { newAutoScalingClient: options.imageReferences.newAutoScalingClient }
      : {}),
    regions: config.regions,
    homeRegion: config.homeRegion,
  });
  const registry = new DynamoVersionRegistry({
    client: clients.dynamo,
    tableName: options.registryTableName,
    clock,
    ...(options.rollbackDecisions ? { rollbackDecisions: options.rollbackDecisions } : {}),
  });
  const images = new Ec2ImageService({
    clients,
    clock,
    ...(options.imageReferences ? { references: options.imageReferences.finder(clients) } : {}),
  });
  const sweepRequests = new EventBridgeSweepRequester(clients.eventBridge);
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
    sweeps: sweepRequests,
    log: options.log ?? powertoolsLog,
    pointers: new SsmImagePointers(clients),
    protection: new Ec2DeregistrationProtection(clients),
    watermarks: new Ec2Watermarks((region) => clients.ec2(region)),
    ...(options.sleep ? { sleep: options.sleep } : {}),
    ...(options.recycleBin ? { recycleBin: options.recycleBin.service(clients) } : {}),
    restore: options.restore ? options.restore(clients) : unavailableRestore,
    ...(options.serviceRoleArns ? { serviceRoleArns: options.serviceRoleArns } : {}),
  };
  return {
    config,
    reactions,
    registryTable: () => ({ tableName: options.registryTableName, client: clients.dynamo }),
    continuations: sweepRequests,
    idempotencyStore: () => ({ tableName: options.idempotencyTableName, client: clients.dynamo }),
    openSweep() {
      const organization = config.organization;
      if (!organization || !options.crossAccount) return { reactions, close: () => undefined };
      const session = options.crossAccount.open({
        organization,
        owner: clients,
        ...(options.clients ? { clients: options.clients } : {}),
        clock,
      });
      return { reactions: { ...reactions, organization: session.ports }, close: () => session.close() };
    },
    destroy() {
      clients.destroy();
    },
  };
}
