import { AwsOperationsReader, sweepStoresOf } from "@ami-lifecycle/aws";
import { operatorRoleActions, policyDocument, readStatus, renderStatements } from "@ami-lifecycle/core";
import type { LocalDeployment } from "@ami-lifecycle/simulated-account";
import { localPermissionContext, operatorPrincipalArn } from "@ami-lifecycle/simulated-account";
import { CloudWatchClient } from "@aws-sdk/client-cloudwatch";
import { SQSClient } from "@aws-sdk/client-sqs";
import { SSMClient } from "@aws-sdk/client-ssm";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { CommandFailedError } from "../../packages/cli/src/cli/errors";
import { resolveStage } from "../../packages/cli/src/targets/stage";
import { buildVersions, scheduledSweep, startRetentionDeployment } from "../support/retention-world";

/**
 * A role with the operator's policy minus every SSM read: the operator's reference fallback
 * (`findReferencesFallback`) and pointer grants also allow GetParameter, so only a role without them
 * shows the denial the grant on the descriptor prevents.
 */
const ungrantedOperatorArn = "arn:aws:sts::111122223333:assumed-role/ami-lifecycle-old-operator/cli";

describe("--stage resolution on the local deployment (operator credentials, IAM evaluated)", () => {
  let deployment: LocalDeployment;
  const home = "us-east-1";
  const ssmAs = (principalArn: string) => deployment.account.client(SSMClient, home, { principalArn });

  beforeAll(async () => {
    // Prepare: a deployment with one version and one scheduled sweep behind it.
    deployment = await startRetentionDeployment("enforce", inject("dynamoEndpoint"));
    await buildVersions(deployment, 1);
    await scheduledSweep(deployment, "run-1");
    const { account } = deployment;
    const context = localPermissionContext(deployment.runtime.config, account, {
      topicArn: deployment.topicArn,
      securityTopicArn: deployment.securityTopicArn,
      registryTable: deployment.tables.registry,
      idempotencyTable: deployment.tables.idempotency,
    });
    const statements = renderStatements(
      operatorRoleActions(context).filter(
        (action) => !["readDeployment", "findReferencesFallback", "movePointers"].includes(action),
      ),
      context,
    );
    account.iam.govern(ungrantedOperatorArn, {
      name: "operator without readDeployment",
      policies: () => [{ name: "operator", statements, document: policyDocument(statements) }],
    });
  }, 120_000);

  afterAll(async () => {
    await deployment?.stop();
  });

  it("finds the stage's registry table, topics, functions, queues, alarms and schedule", async () => {
    // Act
    const ssm = ssmAs(operatorPrincipalArn(deployment.account.accountId));
    const descriptor = await resolveStage({ stage: "local", region: home, ssm });
    ssm.destroy();

    // Assess
    expect(descriptor).toMatchObject({
      stage: "local",
      homeRegion: home,
      registryTable: deployment.tables.registry,
      topics: { notifications: deployment.topicArn, security: deployment.securityTopicArn },
      functions: expect.objectContaining({
        "retention-sweep": "ami-lifecycle-local-retention-sweep",
        rollback: "ami-lifecycle-local-rollback",
      }),
      deadLetterQueues: Object.fromEntries(
        deployment.operations.deadLetterQueues.map(({ label, url }) => [label, url]),
      ),
      alarmNames: deployment.operations.alarmNames,
      schedule: { expression: "cron(0 3 * * ? *)", timezone: "UTC" },
    });
    expect(deployment.account.iam.takeDenials()).toEqual([]);
  });

  it("says there is no deployment of a stage that was never deployed, naming the region", async () => {
    const ssm = ssmAs(operatorPrincipalArn(deployment.account.accountId));
    const failure = await resolveStage({ stage: "staging", region: home, ssm }).catch((error) => error);
    ssm.destroy();

    expect(failure).toBeInstanceOf(CommandFailedError);
    expect(failure.message).toBe(
      "no deployment of stage staging in us-east-1 (/ami-lifecycle-deployment/staging not found)",
    );
    expect(failure.hint).toContain("deploy it (`sst deploy --stage staging`)");
  });

  it("names the denied action and the parameter's ARN when the operator lacks the grant", async () => {
    const ssm = ssmAs(ungrantedOperatorArn);
    const failure = await resolveStage({ stage: "local", region: home, ssm }).catch((error) => error);
    ssm.destroy();

    expect(failure).toBeInstanceOf(CommandFailedError);
    expect(failure.message).toBe(
      "access denied: ssm:GetParameter on arn:aws:ssm:us-east-1:111122223333:parameter/ami-lifecycle-deployment/local",
    );
    expect(deployment.account.iam.takeDenials().map((denial) => denial.action)).toEqual(["ssm:GetParameter"]);
  });

  it("reads the stage's status with only the descriptor and the operator: last sweep, next sweep, queues, alarms", async () => {
    // Prepare
    const principalArn = operatorPrincipalArn(deployment.account.accountId);
    const ssm = ssmAs(principalArn);
    const descriptor = await resolveStage({ stage: "local", region: home, ssm });
    ssm.destroy();
    const sqs = deployment.account.client(SQSClient, home, { principalArn });
    const cloudWatch = deployment.account.client(CloudWatchClient, home, { principalArn });
    const { reactions } = deployment.operatorRuntime;
    const { sweepRuns } = sweepStoresOf(deployment.operatorRuntime);

    // Act
    const status = await readStatus({
      config: deployment.runtime.config,
      clock: deployment.account.clock,
      registry: reactions.registry,
      pointers: reactions.pointers,
      operations: new AwsOperationsReader(sqs, cloudWatch, {
        deadLetterQueues: Object.entries(descriptor.deadLetterQueues).map(([label, url]) => ({ label, url })),
        alarmNames: descriptor.alarmNames,
      }),
      lastSweep: () => sweepRuns.last(),
    });
    sqs.destroy();
    cloudWatch.destroy();

    // Assess
    expect(status.lastSweep).toEqual({
      at: expect.stringMatching(/^2026-/),
      mode: "enforce",
      result: "swept",
      failures: 0,
      blocked: [],
    });
    expect(status.nextSweep.schedule).toBe("cron(0 3 * * ? *)");
    expect(status.deadLetters.map((queue) => [queue.label, queue.messages])).toEqual([
      ["handler", 0],
      ["schedule", 0],
    ]);
    expect(status.alarms).toEqual([]);
    expect(status.healthy).toBe(true);
    expect(deployment.account.iam.takeDenials()).toEqual([]);
  });
});
