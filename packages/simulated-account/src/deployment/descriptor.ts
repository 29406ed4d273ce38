import {
  type Config,
  type DeploymentDescriptor,
  type HandlerName,
  handlerActions,
} from "@ami-lifecycle/core";
import { localStage } from "./deployed-roles";
import type { LocalOperations } from "./operations";

/**
 * The descriptor the local deployment publishes, shaped as stacks/deployment.ts renders a stage's, so
 * `--stage local` code paths read the simulated account exactly as they read a deployed one.
 */
export function localDescriptor(input: {
  config: Config;
  registryTable: string;
  topicArn: string;
  securityTopicArn: string;
  operations: LocalOperations;
}): DeploymentDescriptor {
  const { config } = input;
  const handlers = Object.keys(handlerActions) as HandlerName[];
  return {
    descriptorVersion: 1,
    stage: localStage,
    homeRegion: config.homeRegion,
    managedRegions: [...config.regions],
    registryTable: input.registryTable,
    topics: { notifications: input.topicArn, security: input.securityTopicArn },
    functions: Object.fromEntries(handlers.map((handler) => [handler, `ami-lifecycle-local-${handler}`])),
    deadLetterQueues: Object.fromEntries(
      input.operations.deadLetterQueues.map(({ label, url }) => [label, url]),
    ),
    alarmNames: [...input.operations.alarmNames],
    schedule: { expression: config.sweep.schedule, timezone: config.sweep.timezone },
    configVersion: "local",
  };
}
