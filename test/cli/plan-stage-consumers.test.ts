import type { Config } from "@ami-lifecycle/core";
import {
  dynamoDbLocalClientConfig,
  fastRetryStrategy,
  iamDynamoDbPlugin,
  type LocalDeployment,
  operatorPrincipalArn,
  type SimulatedOrganization,
} from "@ami-lifecycle/simulated-account";
import type { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { SSMClient } from "@aws-sdk/client-ssm";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { consumerPlanTarget, planTarget } from "../../packages/cli/src/commands/plan";
import type { PlanDocument } from "../../packages/cli/src/planning/plan-document";
import { renderPlanTable } from "../../packages/cli/src/planning/plan-table";
import { connectAccount } from "../../packages/cli/src/targets/connect-account";
import type { ServiceTarget } from "../../packages/cli/src/targets/service-target";
import { resolveStage } from "../../packages/cli/src/targets/stage";
import {
  createTemplateConsumerRole,
  createTemplateReaderRole,
  scheduledSweep,
  startDeployedOrganization,
} from "../support/organization-deployed";
import {
  consumerBusArn,
  orgAccounts,
  organizationConfig,
  startOrganizationWithoutRoles,
} from "../support/organization-world";
import { buildVersionsWithV2Pinned } from "../support/pinned-template";

const dayMs = 24 * 3600_000;
const EAST = "us-east-1";
const operator = operatorPrincipalArn(orgAccounts.owner);
/** The operator's role (its session is `operator`): the config names it in organization.operatorRoleArns. */
const operatorRoleArn = `arn:aws:iam::${orgAccounts.owner}:role/${operator.split("/")[1]}`;

/** The organization config with the operator's role trusted by the consumer and reader roles. */
function plannedConfig(org: SimulatedOrganization): Config {
  const base = organizationConfig(org);
  if (!base.organization) throw new Error("organizationConfig has no organization slice");
  return { ...base, organization: { ...base.organization, operatorRoleArns: [operatorRoleArn] } };
}

/** Calls of the owner account's principals whose operation is one of `operations`, every region. */
function ownerCalls(org: SimulatedOrganization, operations: readonly string[]): number {
  return Object.entries(org.account(orgAccounts.owner).callCounts())
    .filter(([key]) => operations.some((operation) => key.endsWith(`:${operation}`)))
    .reduce((sum, [, count]) => sum + count, 0);
}

/** The plan's rows of one version, any region. */
function rowsOf(document: PlanDocument, version: number) {
  return document.families.flatMap((family) =>
    family.regions.flatMap((region) =>
      region.decisions
        .filter((decision) => decision.version === version)
        .map((decision) => ({ region: region.region, ...decision })),
    ),
  );
}

const writes = [
  "CreateImageUsageReport",
  "DeleteImageUsageReport",
  "Publish",
  "PutEvents",
  "EnableImageDeprecation",
  "DisableImage",
  "DeregisterImage",
];

describe("ami-lifecycle plan --stage over an organization (the CLI's stage target, the operator's policy)", () => {
  let org: SimulatedOrganization;
  let deployment: LocalDeployment;
  let templateId = "";

  /** The CLI's stage target as `plan --stage local` opens it, over the simulated organization. */
  async function openStage(): Promise<ServiceTarget> {
    const ssm = deployment.account.client(SSMClient, EAST, { principalArn: operator });
    const descriptor = await resolveStage({ stage: "local", region: EAST, ssm });
    ssm.destroy();
    const endpoint = inject("dynamoEndpoint");
    return connectAccount({
      config: deployment.runtime.config,
      registryTable: descriptor.registryTable,
      clients: {
        clientConfig: {
          credentials: dynamoDbLocalClientConfig(endpoint).credentials,
          retryStrategy: fastRetryStrategy(2),
        },
        dynamoConfig: { endpoint },
        configureClient: (client, service) => {
          if (service === "DynamoDB")
            (client as DynamoDBClient).middlewareStack.use(
              iamDynamoDbPlugin(deployment.account.iam, { principalArn: operator, region: EAST }),
            );
          else org.attach(client, { accountId: orgAccounts.owner, principalArn: operator });
        },
      },
    });
  }

  beforeAll(async () => {
    // Prepare: v1..v3 built a day apart (keep 1); consumer 2's group pins the template version that
    // launches v2; consumer 3 has no consumer role.
    org = startOrganizationWithoutRoles();
    const config = plannedConfig(org);
    // Consumers 1 and 2 get the consumer role as the StackSet template declares it (trusting the
    // sweep's and the operators' roles), the owner the reader; consumer 3 has no role.
    createTemplateConsumerRole(org, orgAccounts.first, config);
    createTemplateConsumerRole(org, orgAccounts.second, config);
    createTemplateReaderRole(org, config);
    deployment = await startDeployedOrganization(org, inject("dynamoEndpoint"), undefined, { config });
    ({ templateId } = await buildVersionsWithV2Pinned(deployment, org));
    deployment.account.iam.takeDenials();
  }, 300_000);
  afterAll(() => deployment?.stop());

  it("keeps v2 for consumer 2's pinned template and v1 for consumer 3, which cannot be checked; writes nothing", async () => {
    // Prepare
    const service = await openStage();
    const writesBefore = ownerCalls(org, writes);
    const busEventsBefore = org.account(orgAccounts.second).busEvents(consumerBusArn).length;

    // Act
    const document = await planTarget(service);
    const consumer = await consumerPlanTarget(service, orgAccounts.second);
    await service.close();

    // Assess: v2 kept, the reason naming consumer 2 and its template; never a retirement step.
    const table = renderPlanTable(document, { color: false });
    const v2 = rowsOf(document, 2);
    expect(v2.map((row) => row.action)).toEqual(["keep", "keep"]);
    const v2East = v2.find((row) => row.region === EAST);
    expect(v2East?.reasons.map((reason) => reason.rule)).toEqual(["consumer-evidence"]);
    expect(v2East?.reasons[0]?.message).toContain(
      `consumer account ${orgAccounts.second} uses it: arn:aws:ec2:${EAST}:${orgAccounts.second}:launch-template/${templateId}`,
    );
    expect(table).toMatch(
      new RegExp(
        `v2\\s+${EAST}\\s+ami-\\w+\\s+keep\\s.*consumer-evidence: kept for consumers: .*${templateId}`,
      ),
    );
    // v1, which no reachable consumer uses: held because consumer 3 could not be checked.
    const v1 = rowsOf(document, 1);
    expect(v1.map((row) => row.action)).toEqual(["keep", "keep"]);
    for (const row of v1)
      expect(row.reasons.map((reason) => reason.message).join(" ")).toContain(
        `consumer account ${orgAccounts.third} could not be checked (role-unavailable)`,
      );
    expect(document.totals.counts).toMatchObject({ deprecate: 0, disable: 0, deregister: 0 });
    // The sweep the builds requested made v1's reports only: v2 has none, which the plan says and
    // does not create.
    expect(v2East?.reasons[0]?.message).toContain(
      "has no usage report in us-east-1 yet; the next sweep creates it (plan creates none)",
    );
    // `plan --consumer` against the stage works too: consumer 2 sees v2 held by its template.
    expect(consumer.scheduled.map((entry) => [entry.family, entry.version, entry.held.action])).toEqual([
      ["base-al2023", 2, "deprecate"],
    ]);
    // Read only: no usage report created or deleted, nobody told, nothing retired; the operator's
    // policy allowed every call it made.
    expect(ownerCalls(org, writes)).toBe(writesBefore);
    expect(deployment.account.iam.takeDenials()).toEqual([]);
    expect(org.account(orgAccounts.second).busEvents(consumerBusArn)).toHaveLength(busEventsBefore);
    expect(service.organization?.consumerNotifier).toBeUndefined();
    expect(service.organization?.consumerEvents).toBeUndefined();
  });

  it("reuses and reads the reports a later sweep made, once past the lag; creates and deletes none", async () => {
    // Prepare: a scheduled sweep creates v2's reports; four days pass (lag 3).
    await scheduledSweep(deployment, "day-0");
    await deployment.advance(4 * dayMs);
    deployment.account.iam.takeDenials();
    const service = await openStage();
    const writesBefore = ownerCalls(org, writes);
    const entriesBefore = ownerCalls(org, ["DescribeImageUsageReportEntries"]);

    // Act
    const document = await planTarget(service);
    await service.close();

    // Assess: v2 still kept for consumer 2's template; its report is read (no use it counts, so it is
    // not named), not missing any more.
    const v2East = rowsOf(document, 2).find((row) => row.region === EAST);
    expect(v2East?.action).toBe("keep");
    expect(v2East?.reasons[0]?.message).toContain(
      `consumer account ${orgAccounts.second} uses it: arn:aws:ec2:${EAST}:${orgAccounts.second}:launch-template/${templateId}`,
    );
    expect(v2East?.reasons[0]?.message).not.toContain("usage report");
    expect(ownerCalls(org, ["DescribeImageUsageReportEntries"]) - entriesBefore).toBe(4);
    const v1 = rowsOf(document, 1);
    expect(v1.map((row) => row.action)).toEqual(["keep", "keep"]);
    expect(v1[0]?.reasons[0]?.message).toContain(
      `consumer account ${orgAccounts.third} could not be checked`,
    );
    expect(ownerCalls(org, writes)).toBe(writesBefore);
    expect(deployment.account.iam.takeDenials()).toEqual([]);
  });
});
