import type { VersionRecord } from "@ami-lifecycle/core";
import type { LocalDeployment } from "@ami-lifecycle/simulated-account";
import { afterAll, beforeAll, inject } from "vitest";
import { DeletionRecorder } from "./retention-kill-switch";
import { type RetentionFixture, useAndProtect } from "./retention-references";
import { buildVersions, startRetentionDeployment } from "./retention-world";

/** The enforce-mode world the retention scenarios share: 30 versions, their references and protections. */
export interface RetentionScenario {
  deployment: LocalDeployment;
  versions: VersionRecord[];
  fixture: RetentionFixture;
  /** records every deletion the sweep makes (to prove nothing is deleted twice) */
  recorder: DeletionRecorder;
}

/** Builds 30 versions through the real flow in enforce mode, references some, protects others, records deletions. */
export async function startRetentionScenario(dynamoEndpoint: string): Promise<RetentionScenario> {
  const deployment = await startRetentionDeployment("enforce", dynamoEndpoint);
  const versions = await buildVersions(deployment, 30);
  const fixture = await useAndProtect(deployment, versions);
  const recorder = new DeletionRecorder();
  deployment.runtime.reactions.images = recorder.wrap(deployment.runtime.reactions.images);
  return { deployment, versions, fixture, recorder };
}

/**
 * Registers, in the calling `describe`, the scenario started before its tests (on the suite's DynamoDB
 * Local) and stopped after; its fields are set once the tests run.
 */
export function useRetentionScenario(): RetentionScenario {
  const scenario = {} as RetentionScenario;
  beforeAll(async () => {
    Object.assign(scenario, await startRetentionScenario(inject("dynamoEndpoint")));
  }, 120_000);
  afterAll(() => scenario.deployment.stop());
  return scenario;
}
