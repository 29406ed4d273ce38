import {
  type AwsClients,
  type AwsClientsOptions,
  crossAccountClients,
  Ec2UsageReports,
} from "@ami-lifecycle/aws";
import type { Clock, CrossAccountPorts, OrganizationConfig } from "@ami-lifecycle/core";
import { PlanUsageReports } from "./plan-usage-reports";

/** The read-only cross-account ports of one CLI run, and the clients to close when it ends. */
export interface PlanCrossAccount {
  ports: CrossAccountPorts;
  /** Closes the STS, Organizations and consumer accounts' clients the run built. */
  close(): void;
}

/**
 * The cross-account ports of a deployed stage's target, for `plan`: the sweep's own probes (the consumer
 * role assumed in each consumer account and region) and organization directory (the reader role), over
 * the operator's credentials, with the owner's usage reports read only (PlanUsageReports). Built without
 * the consumers' topic and buses, so planning can tell no consumer anything.
 */
export function openPlanCrossAccount(input: {
  organization: OrganizationConfig;
  owner: AwsClients;
  clients?: Omit<AwsClientsOptions, "regions" | "homeRegion">;
  clock: Clock;
}): PlanCrossAccount {
  const { consumerTopicArn: _topic, consumerEventBuses: _buses, ...reads } = input.organization;
  // The sweep's own session (fresh credentials per run, paced and retried alike), without the notices.
  const session = crossAccountClients.open({
    organization: reads,
    owner: input.owner,
    ...(input.clients ? { clients: input.clients } : {}),
    clock: input.clock,
  });
  const reports = new Ec2UsageReports((region) => input.owner.ec2(region), {
    versionDepth: input.organization.versionDepth,
    now: () => input.clock.now(),
  });
  const { probes, directory } = session.ports;
  const ports: CrossAccountPorts = {
    usageReports: new PlanUsageReports(reports),
    probes,
    ...(directory ? { directory } : {}),
  };
  return { ports, close: () => session.close() };
}
