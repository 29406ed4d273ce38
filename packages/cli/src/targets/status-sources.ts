import { AwsOperationsReader, DynamoSweepRunLog, type OperationsNames } from "@ami-lifecycle/aws";
import type { StatusDependencies, SweepOutcome, SweepRun } from "@ami-lifecycle/core";
import { operatorPrincipalArn } from "@ami-lifecycle/simulated-account";
import { CloudWatchClient } from "@aws-sdk/client-cloudwatch";
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { SQSClient } from "@aws-sdk/client-sqs";
import type { SandboxSession, ScheduledSweepRecord } from "../sandbox/session";

/** Status of the sandbox: read with the operator's policy, like every CLI read of the sandbox. */
export function sandboxStatusSources(session: SandboxSession): {
  deps: StatusDependencies;
  close: () => void;
} {
  const { account, deployment, config } = session;
  const home = config.homeRegion;
  const principalArn = operatorPrincipalArn(account.accountId);
  const sqs = account.client(SQSClient, home, { principalArn });
  const cloudWatch = account.client(CloudWatchClient, home, { principalArn });
  const { reactions } = deployment.operatorRuntime;
  return {
    deps: {
      config,
      clock: account.clock,
      registry: reactions.registry,
      pointers: reactions.pointers,
      operations: new AwsOperationsReader(sqs, cloudWatch, deployment.operations),
      lastSweep: async () => sweepRunOf(session.sweeps.at(-1)),
    },
    close: () => {
      sqs.destroy();
      cloudWatch.destroy();
    },
  };
}

/** The operations reader of a deployed stage, over the operator's credentials in the home region. */
export function accountOperations(
  homeRegion: string,
  names: OperationsNames,
  profile: string | undefined,
): { reader: AwsOperationsReader; close: () => void } {
  const config = { region: homeRegion, ...(profile ? { profile } : {}) };
  const sqs = new SQSClient(config);
  const cloudWatch = new CloudWatchClient(config);
  return {
    reader: new AwsOperationsReader(sqs, cloudWatch, names),
    close: () => {
      sqs.destroy();
      cloudWatch.destroy();
    },
  };
}

/** The last scheduled sweep of a deployed stage: one registry item, read with the operator's credentials. */
export function accountSweepRuns(
  homeRegion: string,
  registryTable: string,
  profile: string | undefined,
): { log: DynamoSweepRunLog; close: () => void } {
  const client = new DynamoDBClient({ region: homeRegion, ...(profile ? { profile } : {}) });
  return { log: new DynamoSweepRunLog({ client, tableName: registryTable }), close: () => client.destroy() };
}

/** A sandbox sweep as status reports it: what the function returned, or how it failed. */
function sweepRunOf(record: ScheduledSweepRecord | undefined): SweepRun | undefined {
  if (!record) return undefined;
  const outcome = record.invocation.result as SweepOutcome | undefined;
  const error = record.invocation.error;
  return {
    at: record.time,
    mode: outcome?.mode ?? "enforce",
    result: error === undefined ? "swept" : "failed",
    failures: outcome?.failures ?? 0,
    ...(error !== undefined ? { error: error instanceof Error ? error.message : String(error) } : {}),
    blocked: (outcome?.families ?? []).flatMap((family) =>
      family.blocked ? [{ family: family.family, versions: family.blocked }] : [],
    ),
  };
}
