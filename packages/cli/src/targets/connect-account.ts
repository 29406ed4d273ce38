import {
  type AwsClientsOptions,
  createClients,
  DynamoVersionRegistry,
  dynamoRollbackDecisions,
  Ec2DeregistrationProtection,
  Ec2ImageService,
  Ec2RestoreService,
  EventBridgeSweepRequester,
  ec2ImageReferences,
  SnsNotifier,
  SsmImagePointers,
} from "@ami-lifecycle/aws";
import type { Config } from "@ami-lifecycle/core";
import { openPlanCrossAccount } from "./plan-cross-account";
import type { ServiceTarget } from "./service-target";

/** How to reach a deployed service: the AWS profile (else the standard credential chain) and the registry table. */
export interface AccountTarget {
  config: Config;
  registryTable: string;
  profile?: string;
  /** the notifications topic (the notificationsTopic output of `sst deploy`), for commands that notify */
  topicArn?: string;
  /** how the clients are built (tests plug the simulated account in here); absent: the SDK's defaults */
  clients?: Omit<AwsClientsOptions, "regions" | "homeRegion" | "newAutoScalingClient">;
}

/**
 * The target of a real account (read-only except for pointer moves and notifications): the same adapters the Lambdas use, over the standard credential
 * chain (environment, SSO, shared config and credentials files, instance or container roles).
 */
export function connectAccount(target: AccountTarget): ServiceTarget {
  const clock = { now: () => new Date() };
  const clientOptions = {
    ...target.clients,
    ...(target.profile ? { clientConfig: { ...target.clients?.clientConfig, profile: target.profile } } : {}),
  };
  const clients = createClients({
    regions: target.config.regions,
    homeRegion: target.config.homeRegion,
    ...clientOptions,
    newAutoScalingClient: ec2ImageReferences.newAutoScalingClient,
  });
  // Plans look references up, as the sweep does.
  const images = new Ec2ImageService({ clients, clock, references: ec2ImageReferences.finder(clients) });
  // With the `organization` slice, plans gather the consumers' evidence as the sweep does, read only.
  const organization = target.config.organization
    ? openPlanCrossAccount({
        organization: target.config.organization,
        owner: clients,
        clients: clientOptions,
        clock,
      })
    : undefined;
  return {
    kind: "account",
    label: `account ${target.config.accounts.join(", ")}${target.profile ? ` (profile ${target.profile})` : ""}, registry ${target.registryTable} in ${target.config.homeRegion}`,
    config: target.config,
    registry: new DynamoVersionRegistry({
      client: clients.dynamo,
      tableName: target.registryTable,
      clock,
      rollbackDecisions: dynamoRollbackDecisions,
    }),
    images,
    sharing: images,
    restore: new Ec2RestoreService(clients),
    pointers: new SsmImagePointers(clients),
    protection: new Ec2DeregistrationProtection(clients),
    sweeps: new EventBridgeSweepRequester(clients.eventBridge),
    ...(target.topicArn
      ? { notifier: new SnsNotifier({ client: clients.sns, topicArn: target.topicArn }) }
      : {}),
    ...(organization ? { organization: organization.ports } : {}),
    clock,
    close: async () => {
      organization?.close();
      clients.destroy();
    },
  };
}
