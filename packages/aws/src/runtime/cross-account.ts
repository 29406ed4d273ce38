import type { Clock, CrossAccountPorts, OrganizationConfig } from "@ami-lifecycle/core";
import { AutoScalingClient } from "@aws-sdk/client-auto-scaling";
import { EC2Client } from "@aws-sdk/client-ec2";
import { EventBridgeClient } from "@aws-sdk/client-eventbridge";
import type { OrganizationsClient, OrganizationsClientConfig } from "@aws-sdk/client-organizations";
import { SSMClient } from "@aws-sdk/client-ssm";
import type { STSClient, STSClientConfig } from "@aws-sdk/client-sts";
import type { AwsClient, AwsClients, AwsClientsOptions, AwsServiceName } from "../clients";
import { AssumedRoleSessions, type AwsCredentialIdentity } from "../organization/assumed-roles";
import { EventBridgeConsumerEvents } from "../organization/consumer-events";
import { ConsumerReferenceProbe } from "../organization/consumer-probes";
import { OrganizationsDirectory } from "../organization/organization-directory";
import { Ec2UsageReports } from "../organization/usage-reports";
import { requestPacerPlugin } from "../pacing/request-pacer";
import { SnsNotifier } from "../sns/notifier";

/**
 * How a runtime builds the STS and Organizations clients. Injected, like the Recycle Bin client: only
 * the sweep's bundle carries them (`crossAccountClients`, organization/cross-account-clients.ts).
 */
export interface CrossAccountClientFactories {
  newStsClient(config: STSClientConfig): STSClient;
  newOrganizationsClient(config: OrganizationsClientConfig): OrganizationsClient;
}

/** One sweep invocation's cross-account ports, and the clients to close when the sweep ends. */
export interface CrossAccountSession {
  ports: CrossAccountPorts;
  /** Closes every client the session built (consumer accounts' clients hold sockets). */
  close(): void;
}

/** What opening a session takes besides the client factories. */
export type CrossAccountSessionInput = Omit<Parameters<typeof openCrossAccountSession>[0], "factories">;

/**
 * How a runtime opens one sweep's cross-account session. Injected whole (`crossAccountClients`), not
 * just the client factories: the session's probes construct Auto Scaling clients and the Organizations
 * directory, which only the sweep's bundle may carry (runtime.ts imports this module's types only).
 */
export interface CrossAccountSessions {
  open(input: CrossAccountSessionInput): CrossAccountSession;
}

/** The session name every assumed role's CloudTrail records carry. */
export const sweepSessionName = "ami-lifecycle-sweep";

/**
 * Opens the cross-account ports of one sweep invocation: a new AssumedRoleSessions, so credentials of
 * the consumer and reader roles are never reused by a later invocation (a role removed or a trust
 * changed since is seen at once, and no credential outlives the sweep that asked for it). The owner's
 * usage reports go through the owner's clients; the STS clients sign as the sweep's own role.
 */
export function openCrossAccountSession(input: {
  organization: OrganizationConfig;
  owner: AwsClients;
  factories: CrossAccountClientFactories;
  clients?: Omit<AwsClientsOptions, "regions" | "homeRegion">;
  clock: Clock;
}): CrossAccountSession {
  const { organization, owner, factories } = input;
  // The same retry mode and attempts as every other client (createClients).
  const shared = {
    retryMode: "standard",
    maxAttempts: input.clients?.maxAttempts ?? 5,
    ...input.clients?.clientConfig,
  };
  const built: AwsClient[] = [];
  const cache = new Map<string, AwsClient>();
  const pacer = input.clients?.pacer;
  const once = <C extends AwsClient>(key: string, service: AwsServiceName, build: () => C): C => {
    let client = cache.get(key) as C | undefined;
    if (!client) {
      client = build();
      input.clients?.configureClient?.(client, service);
      built.push(client);
      cache.set(key, client);
    }
    return client;
  };
  const sts = (region: string) =>
    once(`sts|${region}`, "STS", () => factories.newStsClient({ ...shared, region } as STSClientConfig));
  const sessions = new AssumedRoleSessions(sts, {
    sessionName: sweepSessionName,
    ...(organization.externalId ? { externalId: organization.externalId } : {}),
  });
  // One client per consumer session (its access key), region and service.
  const asConsumer = <C extends AwsClient>(
    service: AwsServiceName,
    region: string,
    credentials: AwsCredentialIdentity,
    build: (config: typeof shared & { region: string; credentials: AwsCredentialIdentity }) => C,
  ) =>
    once(`${service}|${region}|${credentials.accessKeyId}`, service, () =>
      build({ ...shared, region, credentials }),
    );
  const probes = new ConsumerReferenceProbe(
    sessions,
    {
      ec2: (region, credentials, accountId) =>
        asConsumer("EC2", region, credentials, (config) => {
          const client = new EC2Client(config);
          // Paced like the owner's EC2 calls, on the consumer account's own buckets: a sweep probing
          // many accounts fills each one's DescribeImageReferences bucket instead of being throttled
          // into the fail-safe.
          if (pacer)
            client.middlewareStack.use(requestPacerPlugin(pacer.forAccount(accountId), async () => region));
          return client;
        }),
      ssm: (region, credentials) => asConsumer("SSM", region, credentials, (config) => new SSMClient(config)),
      autoScaling: (region, credentials) =>
        asConsumer("AutoScaling", region, credentials, (config) => new AutoScalingClient(config)),
    },
    { consumerRoleName: organization.consumerRoleName, versionDepth: organization.versionDepth },
  );
  const readerArn = organization.managementRoleArn;
  const ports: CrossAccountPorts = {
    usageReports: new Ec2UsageReports((region) => owner.ec2(region), {
      versionDepth: organization.versionDepth,
      now: () => input.clock.now(),
    }),
    probes,
    // The consumers' topic, published to as the sweep's own role (like the team's topic).
    ...(organization.consumerTopicArn
      ? { consumerNotifier: new SnsNotifier({ client: owner.sns, topicArn: organization.consumerTopicArn }) }
      : {}),
    // The buses consumers named, put to as the sweep's own role from a client in each bus's region.
    ...(organization.consumerEventBuses
      ? {
          consumerEvents: new EventBridgeConsumerEvents((region) =>
            once(`EventBridge|${region}`, "EventBridge", () => new EventBridgeClient({ ...shared, region })),
          ),
        }
      : {}),
    // Organizations is a global service: its endpoint and signing region follow the partition, whatever
    // region the client is given, so the home region's STS and client serve.
    ...(readerArn
      ? {
          directory: new OrganizationsDirectory(async () => {
            const credentials = await sessions.credentials(readerArn, owner.homeRegion);
            return once(`Organizations|${credentials.accessKeyId}`, "Organizations", () =>
              factories.newOrganizationsClient({
                ...shared,
                region: owner.homeRegion,
                credentials,
              } as OrganizationsClientConfig),
            );
          }),
        }
      : {}),
  };
  return {
    ports,
    close() {
      for (const client of built.splice(0)) client.destroy();
      cache.clear();
    },
  };
}
