import { createHash } from "node:crypto";
import {
  type Config,
  type DeploymentDescriptor,
  deploymentParameterName,
  type HandlerName,
  parameterTierFor,
} from "@ami-lifecycle/core";
import type { Alarms } from "./alarms";
import type { Functions } from "./functions";
import type { Notifications } from "./notifications";
import type { Storage } from "./storage";

/**
 * Publishes what the CLI needs to reach this stage (`--stage NAME`) as one JSON SSM parameter in the
 * home region: physical names, regions, schedule and the config's hash. The operator's policy may
 * read this parameter and nothing else in SSM beyond the pointers.
 */
export function createDeploymentParameter(input: {
  config: Config;
  stage: string;
  storage: Storage;
  notifications: Notifications;
  functions: Functions;
  alarms: Alarms;
  deadLetterQueues: Record<string, aws.sqs.Queue>;
}) {
  const { config, stage, storage, notifications, functions, alarms } = input;
  const handlerNames = Object.keys(functions.handlers) as HandlerName[];
  const alarmList = [...alarms.functionErrors, ...alarms.deadLetters, ...alarms.serviceFailures];
  const value = $resolve({
    registryTable: storage.registry.name,
    notifications: notifications.topic.arn,
    security: notifications.securityTopic.arn,
    functionNames: $resolve(
      Object.fromEntries(handlerNames.map((handler) => [handler, functions.handlers[handler].fn.name])),
    ),
    queueUrls: $resolve(
      Object.fromEntries(Object.entries(input.deadLetterQueues).map(([label, queue]) => [label, queue.url])),
    ),
    alarmNames: alarmList.map((alarm) => alarm.name),
  }).apply((resolved) => {
    const descriptor: DeploymentDescriptor = {
      descriptorVersion: 1,
      stage,
      homeRegion: config.homeRegion,
      managedRegions: [...config.regions],
      registryTable: resolved.registryTable,
      topics: { notifications: resolved.notifications, security: resolved.security },
      functions: resolved.functionNames as Record<string, string>,
      deadLetterQueues: resolved.queueUrls as Record<string, string>,
      alarmNames: resolved.alarmNames,
      schedule: { expression: config.sweep.schedule, timezone: config.sweep.timezone },
      configVersion: createHash("sha256").update(JSON.stringify(config)).digest("hex").slice(0, 16),
    };
    return JSON.stringify(descriptor);
  });
  const parameter = new aws.ssm.Parameter("DeploymentParameter", {
    name: deploymentParameterName(stage),
    description: `ami-lifecycle: what the CLI needs to reach stage ${stage}`,
    type: "String",
    value,
    // Standard (free, 4 KB) fits a usual deployment; a config with many handlers' names grows past it.
    tier: value.apply(parameterTierFor),
  });
  return { parameter, value };
}
