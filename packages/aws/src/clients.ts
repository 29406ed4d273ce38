import type { AutoScalingClient, AutoScalingClientConfig } from "@aws-sdk/client-auto-scaling";
import { DynamoDBClient, type DynamoDBClientConfig } from "@aws-sdk/client-dynamodb";
import { EC2Client } from "@aws-sdk/client-ec2";
import { EventBridgeClient } from "@aws-sdk/client-eventbridge";
import type { OrganizationsClient } from "@aws-sdk/client-organizations";
import type { RbinClient, RbinClientConfig } from "@aws-sdk/client-rbin";
import { SNSClient } from "@aws-sdk/client-sns";
import { SSMClient } from "@aws-sdk/client-ssm";
import type { STSClient } from "@aws-sdk/client-sts";
import { type RequestPacer, requestPacerPlugin } from "./pacing/request-pacer";

/** Configuration every client shares (credentials, retry strategy, HTTP handler, logger…). */
export type SharedClientConfig = Omit<DynamoDBClientConfig, "region" | "endpoint" | "extensions">;

/** The services the factory builds clients for; passed to `configureClient`. */
export type AwsServiceName =
  | "EC2"
  | "SSM"
  | "SNS"
  | "DynamoDB"
  | "EventBridge"
  | "AutoScaling"
  | "rbin"
  // the sweep's cross-account clients (runtime/cross-account.ts)
  | "STS"
  | "Organizations";

/** Any client the factory builds. */
export type AwsClient =
  | EC2Client
  | SSMClient
  | SNSClient
  | DynamoDBClient
  | EventBridgeClient
  | AutoScalingClient
  | RbinClient
  | STSClient
  | OrganizationsClient;

/** Options of createClients. */
export interface AwsClientsOptions {
  /** regions the service manages; asking for a client of another region is a programming error */
  regions: readonly string[];
  /** region of the registry table and the notification topic (defaults to the first managed region) */
  homeRegion?: string;
  /** SDK attempts per call in standard retry mode, the first one included (default 5) */
  maxAttempts?: number;
  /** configuration applied to every client, e.g. credentials or the simulator's fast retry strategy */
  clientConfig?: SharedClientConfig;
  /** extra configuration of the DynamoDB client only, e.g. DynamoDB Local's endpoint */
  dynamoConfig?: Partial<DynamoDBClientConfig>;
  /** called once on each new client: tests and the sandbox plug the simulated account in here */
  configureClient?: (client: AwsClient, service: AwsServiceName) => void;
  /**
   * Builds a Recycle Bin client, for the runtimes that retire images (the sweep). Injected, not imported:
   * the newest rbin client is of an older SDK generation that brings its own credential chain (about
   * 330 KB), which no other handler should carry.
   */
  newRbinClient?: (config: RbinClientConfig) => RbinClient;
  /**
   * Builds an Auto Scaling client, for the runtimes that look up image references (the sweep): injected,
   * so that the event handlers' bundles carry neither the client nor the lookups.
   */
  newAutoScalingClient?: (config: AutoScalingClientConfig) => AutoScalingClient;
  /** keeps every EC2 client's calls within EC2's token buckets per region and API (none when absent) */
  pacer?: RequestPacer;
}

/** Per-region EC2, SSM and Auto Scaling clients plus the home region's DynamoDB and SNS clients, each built once and reused. */
export interface AwsClients {
  readonly homeRegion: string;
  readonly regions: readonly string[];
  ec2(region: string): EC2Client;
  ssm(region: string): SSMClient;
  /** Auto Scaling groups and launch configurations: launches DescribeImageReferences does not report (only where `newAutoScalingClient` was given) */
  autoScaling(region: string): AutoScalingClient;
  /** Recycle Bin rules of a managed region (only where `newRbinClient` was given) */
  rbin(region: string): RbinClient;
  readonly dynamo: DynamoDBClient;
  readonly sns: SNSClient;
  /** the home region's default event bus (the service's own sweep requests) */
  readonly eventBridge: EventBridgeClient;
  /** Closes every client built so far (sockets of the node HTTP handler). */
  destroy(): void;
}

/** Default SDK attempts: AWS's standard mode default is 3; EC2's mutating buckets refill slowly, so allow more. */
const defaultMaxAttempts = 5;

/**
 * Builds the service's AWS clients once per container (Lambda reuses them across invocations), in
 * standard retry mode. Regional clients are created on first use and cached.
 */
export function createClients(options: AwsClientsOptions): AwsClients {
  const homeRegion = options.homeRegion ?? options.regions[0];
  if (!homeRegion) throw new Error("createClients needs at least one region or a homeRegion");
  const managed = new Set(options.regions);
  const shared = {
    retryMode: "standard",
    maxAttempts: options.maxAttempts ?? defaultMaxAttempts,
    ...options.clientConfig,
  };
  const built: AwsClient[] = [];
  const caches: Map<string, AwsClient>[] = [];
  const finish = <C extends AwsClient>(client: C, service: AwsServiceName): C => {
    options.configureClient?.(client, service);
    built.push(client);
    return client;
  };
  const regional = <C extends AwsClient>(service: AwsServiceName, build: (region: string) => C) => {
    const cache = new Map<string, C>();
    caches.push(cache);
    return (region: string): C => {
      if (!managed.has(region) && region !== homeRegion) {
        throw new RangeError(`no ${service} client for ${region}: not a managed region`);
      }
      let client = cache.get(region);
      if (!client) {
        client = finish(build(region), service);
        cache.set(region, client);
      }
      return client;
    };
  };
  let dynamo: DynamoDBClient | undefined;
  let sns: SNSClient | undefined;
  let eventBridge: EventBridgeClient | undefined;
  return {
    homeRegion,
    regions: [...options.regions],
    ec2: regional("EC2", (region) => {
      const client = new EC2Client({ ...shared, region });
      if (options.pacer) client.middlewareStack.use(requestPacerPlugin(options.pacer, async () => region));
      return client;
    }),
    ssm: regional("SSM", (region) => new SSMClient({ ...shared, region })),
    autoScaling: regional("AutoScaling", (region) => {
      if (!options.newAutoScalingClient)
        throw new Error("this runtime was built without an Auto Scaling client");
      return options.newAutoScalingClient({ ...shared, region });
    }),
    rbin: regional("rbin", (region) => {
      if (!options.newRbinClient) throw new Error("this runtime was built without a Recycle Bin client");
      return options.newRbinClient({ ...rbinConfig(shared), region });
    }),
    get dynamo() {
      dynamo ??= finish(
        new DynamoDBClient({ ...shared, region: homeRegion, ...options.dynamoConfig }),
        "DynamoDB",
      );
      return dynamo;
    },
    get sns() {
      sns ??= finish(new SNSClient({ ...shared, region: homeRegion }), "SNS");
      return sns;
    },
    get eventBridge() {
      eventBridge ??= finish(new EventBridgeClient({ ...shared, region: homeRegion }), "EventBridge");
      return eventBridge;
    },
    destroy() {
      for (const client of built.splice(0)) client.destroy();
      // A later request builds fresh clients rather than handing out destroyed ones.
      for (const cache of caches) cache.clear();
      dynamo = undefined;
      sns = undefined;
    },
  };
}

/**
 * The newest rbin client is of an older SDK generation: a retry strategy built for the current one
 * fails inside its retry middleware, so it keeps its own (standard mode, the shared attempts).
 */
function rbinConfig(shared: SharedClientConfig): RbinClientConfig {
  const { retryStrategy: _currentGeneration, ...rest } = shared;
  return rest as RbinClientConfig;
}
