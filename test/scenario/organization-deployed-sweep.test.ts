import {
  type CallPermission,
  capabilityPermissions,
  handlerCapabilities,
  statementSid,
} from "@ami-lifecycle/core";
import {
  handlerPrincipalArn,
  type LocalDeployment,
  type SimulatedOrganization,
} from "@ami-lifecycle/simulated-account";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import {
  createConsumerBus,
  scheduledSweep,
  startDeployedOrganization,
  startTemplatedOrganization,
} from "../support/organization-deployed";
import { consumerBusArn, consumerTopicArn, orgAccounts } from "../support/organization-world";
import { buildVersionsWithV2Pinned } from "../support/pinned-template";
import { withoutGrant } from "../support/removed-grant-flows";

const dayMs = 24 * 3600_000;
const FAMILY = "base-al2023";
const sweepPrincipal = handlerPrincipalArn(orgAccounts.owner, "retention-sweep");

/** AssumeRole calls the owner account's principals made so far, every region. */
function assumeRoleCalls(org: SimulatedOrganization): number {
  return Object.entries(org.account(orgAccounts.owner).callCounts())
    .filter(([key]) => key.endsWith(":AssumeRole"))
    .reduce((sum, [, count]) => sum + count, 0);
}

/**
 * v1..v3 built a day apart, shared with both OUs; consumer 2's Auto Scaling group pins the template
 * version that launches v2. Then a scheduled sweep a day for `days` days.
 */
async function runFlow(deployment: LocalDeployment, org: SimulatedOrganization, days: number) {
  const { templateId } = await buildVersionsWithV2Pinned(deployment, org);
  for (let day = 0; day < days; day++) {
    await scheduledSweep(deployment, `day-${day}`);
    await deployment.advance(dayMs);
  }
  return { templateId };
}

describe("the deployed sweep over an organization (production wiring, the sweep's rendered role)", () => {
  let org: SimulatedOrganization;
  let deployment: LocalDeployment;

  beforeAll(async () => {
    org = startTemplatedOrganization();
    deployment = await startDeployedOrganization(org, inject("dynamoEndpoint"));
    await runFlow(deployment, org, 6);
  }, 300_000);
  afterAll(() => deployment.stop());

  it("retires v1, which no consumer uses, and keeps v2, which consumer 2's group pins, with no denial", async () => {
    // Assess
    const registry = deployment.runtime.reactions.registry;
    expect((await registry.getVersion(FAMILY, 1))?.stage).toBe("deregistered");
    expect((await registry.getVersion(FAMILY, 2))?.stage).toBe("active");
    expect(deployment.account.iam.denials()).toEqual([]);
    expect(deployment.deadLetters).toEqual([]);
  });

  it("tells consumer 2, through the consumers' topic as the sweep's own role, that its template keeps v2", () => {
    const told = deployment.account.published(consumerTopicArn).map((message) => ({
      type: message.messageAttributes.eventType?.StringValue,
      consumer: message.messageAttributes.consumerAccount?.StringValue,
    }));
    expect(told.length).toBeGreaterThan(0);
    expect(told.every((notice) => notice.type === "consumer-schedule")).toBe(true);
    expect(new Set(told.map((notice) => notice.consumer))).toEqual(new Set([orgAccounts.second]));
  });

  it("puts the same schedule on the bus consumer 2 named, once per step, from the owner's account", () => {
    // Assess: one event per notice on the topic (same version and step), none twice.
    const onTopic = deployment.account.published(consumerTopicArn).map((message) => message.subject);
    const events = org.account(orgAccounts.second).busEvents(consumerBusArn);
    expect(events.length).toBe(onTopic.length);
    const steps = events.map((event) => {
      const detail = event.detail as { version: number; held: { action: string } };
      return `v${detail.version} ${detail.held.action}`;
    });
    expect(new Set(steps).size).toBe(steps.length);
    expect(steps).toContain("v2 deprecate");
    for (const event of events) {
      expect(event).toMatchObject({
        source: "ami-lifecycle",
        "detail-type": "AMI Version Scheduled For Retirement",
        account: orgAccounts.owner,
        detail: { eventType: "consumer-schedule", family: FAMILY, consumerAccount: orgAccounts.second },
      });
      expect(event.resources.every((arn) => arn.startsWith("arn:aws:ec2:"))).toBe(true);
    }
  });

  it("assumes each consumer role once per region and the reader role once, in every invocation anew", async () => {
    // Prepare
    const before = assumeRoleCalls(org);

    // Act
    await scheduledSweep(deployment, "again-1");
    const afterFirst = assumeRoleCalls(org);
    await scheduledSweep(deployment, "again-2");
    const afterSecond = assumeRoleCalls(org);

    // Assess: v2 is still a candidate in both regions; three consumers × two regions + the reader.
    expect(afterFirst - before).toBe(3 * 2 + 1);
    expect(afterSecond - afterFirst).toBe(3 * 2 + 1);
  });

  it("makes only requests the organization capability (or another the sweep runs) declares", () => {
    const declared = handlerCapabilities["retention-sweep"].flatMap((capability) =>
      (Object.values(capabilityPermissions[capability]) as CallPermission[]).flatMap((declaration) =>
        declaration.statements.flatMap((statement) => statement.actions),
      ),
    );
    const requests = deployment.account.iam.requestsOf(sweepPrincipal).map((request) => request.action);
    expect(requests).toContain("sts:AssumeRole");
    expect(requests).toContain("ec2:CreateImageUsageReport");
    expect(requests).toContain("ec2:DeleteImageUsageReport");
    expect(requests.filter((action) => !declared.includes(action))).toEqual([]);
  });
});

describe("a consumer bus whose policy does not let the sweep put events", () => {
  let org: SimulatedOrganization;
  let deployment: LocalDeployment;

  beforeAll(async () => {
    org = startTemplatedOrganization();
    deployment = await startDeployedOrganization(org, inject("dynamoEndpoint"), undefined, {
      consumerBusPolicy: false,
    });
    await runFlow(deployment, org, 6);
  }, 300_000);
  afterAll(() => deployment.stop());

  it("decides as with the policy: v1 retired, v2 kept for consumer 2, who is still told on the topic", async () => {
    // Assess
    const registry = deployment.runtime.reactions.registry;
    expect((await registry.getVersion(FAMILY, 1))?.stage).toBe("deregistered");
    expect((await registry.getVersion(FAMILY, 2))?.stage).toBe("active");
    expect(deployment.account.published(consumerTopicArn).length).toBeGreaterThan(0);
    expect(org.account(orgAccounts.second).busEvents(consumerBusArn)).toEqual([]);
    const denied = deployment.account.iam.takeDenials();
    expect(new Set(denied.map((denial) => `${denial.action} ${denial.resource}`))).toEqual(
      new Set([`events:PutEvents ${consumerBusArn}`]),
    );
  });

  it("reports the refused event in each sweep, and puts it once the consumer allows the sweep", async () => {
    // Act
    const refused = (await scheduledSweep(deployment, "refused")) as { failures: number };
    deployment.account.iam.takeDenials();
    createConsumerBus(org, true);
    const allowed = (await scheduledSweep(deployment, "allowed")) as { failures: number };
    const again = (await scheduledSweep(deployment, "again")) as { failures: number };

    // Assess
    expect(refused.failures).toBeGreaterThan(0);
    expect(allowed.failures).toBe(0);
    expect(again.failures).toBe(0);
    const events = org.account(orgAccounts.second).busEvents(consumerBusArn);
    expect(events.length).toBeGreaterThan(0);
    expect(events.map((event) => (event.detail as { version: number }).version)).toContain(2);
    expect(deployment.account.iam.denials()).toEqual([]);
  });
});

/** The organization grants of the sweep's role, each with the actions its statement allows. */
const organizationGrants = [
  ...Object.entries(capabilityPermissions.organizationReads),
  ...Object.entries(capabilityPermissions.organization),
].flatMap(([action, declaration]) =>
  (declaration as CallPermission).statements.map((statement, index) => ({
    sid: statementSid(action as keyof typeof capabilityPermissions.organization, index),
    actions: statement.actions,
  })),
);

describe("the sweep's role without one organization grant", () => {
  it.each(organizationGrants)(
    "without $sid the flow is denied one of its actions",
    async (grant) => {
      // Prepare
      const org = startTemplatedOrganization();
      const deployment = await startDeployedOrganization(
        org,
        inject("dynamoEndpoint"),
        withoutGrant("retention-sweep", grant.sid) as never,
      );

      // Act
      try {
        await runFlow(deployment, org, 6);
      } finally {
        await deployment.stop();
      }

      // Assess
      const denied = deployment.account.iam
        .takeDenials()
        .filter((denial) => denial.principalArn === sweepPrincipal)
        .map((denial) => denial.action);
      expect(denied.filter((action) => grant.actions.includes(action)).length).toBeGreaterThan(0);
    },
    300_000,
  );
});
