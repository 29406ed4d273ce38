import { restoreServiceOf } from "@ami-lifecycle/core";
import type { LocalDeployment, SimulatedOrganization } from "@ami-lifecycle/simulated-account";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { consumerPlanTarget } from "../../packages/cli/src/commands/plan";
import { renderConsumerPlanTable } from "../../packages/cli/src/planning/consumer-plan";
import type { ServiceTarget } from "../../packages/cli/src/targets/service-target";
import {
  orgAccounts,
  organizationPorts,
  startOrganization,
  startOrganizationDeployment,
} from "../support/organization-world";
import { buildVersionsWithV2Pinned } from "../support/pinned-template";
import { runCli } from "./support/run-cli";

describe("ami-lifecycle plan --consumer", () => {
  it("refuses an account id that is not 12 digits, naming the flag, before opening anything", async () => {
    // Act
    const run = await runCli(["plan", "--sandbox", "--consumer", "2222-0000-0002"]);

    // Assess
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('--consumer must be a 12-digit AWS account id, got "2222-0000-0002"');
    // No sandbox ran: its progress lines would be on stderr.
    expect(run.stderr).not.toContain("reading images");
    expect(run.stdout).toBe("");
  });

  describe("against an organization (owner and three consumers)", () => {
    let org: SimulatedOrganization;
    let deployment: LocalDeployment;
    let target: ServiceTarget;
    let templateId = "";

    beforeAll(async () => {
      // Prepare: v1..v3 built; consumer 2's group pins template version 1, which launches v2.
      org = startOrganization();
      deployment = await startOrganizationDeployment(org, inject("dynamoEndpoint"));
      ({ templateId } = await buildVersionsWithV2Pinned(deployment, org));
      const { reactions } = deployment.operatorRuntime;
      target = {
        kind: "sandbox",
        label: "the organization",
        config: reactions.config,
        registry: reactions.registry,
        images: reactions.images,
        pointers: reactions.pointers,
        protection: reactions.protection,
        restore: restoreServiceOf(reactions),
        sharing: reactions.sharing,
        organization: organizationPorts(org),
        clock: org.clock,
        close: async () => {},
      };
    });
    afterAll(() => deployment.stop());

    it("shows consumer 2 that its pinned template holds v2, due to deprecate, and the steps' dates", async () => {
      // Act
      const document = await consumerPlanTarget(target, orgAccounts.second);

      // Assess
      expect(document.consumerAccount).toBe(orgAccounts.second);
      expect(document.unreachable).toEqual([]);
      expect(document.scheduled.map((entry) => [entry.family, entry.version, entry.held.action])).toEqual([
        ["base-al2023", 2, "deprecate"],
      ]);
      expect(document.scheduled[0]?.uses.map((use) => use.arn)).toEqual([
        expect.stringContaining(`launch-template/${templateId}`),
      ]);
      expect(document.scheduled[0]?.schedule.map((step) => step.action)).toEqual([
        "deprecate",
        "disable",
        "deregister",
      ]);
      const table = renderConsumerPlanTable(document);
      expect(table).toMatch(
        /base-al2023 v2\s+us-east-1\s+ami-\w+\s+deprecate due \S+\s+arn:aws:ec2:us-east-1:\d+:launch-template\//,
      );
      expect(table).toContain("base-al2023 v2 once nothing of yours uses it: deprecate not before");
      // Planning changed nothing: no image deprecated.
      const v2 = await target.registry.getVersion("base-al2023", 2);
      expect(v2?.stage).toBe("active");
    });

    it("shows consumer 1 that nothing of it holds a version, and consumer 3 that it could not be checked", async () => {
      // Act
      const first = await consumerPlanTarget(target, orgAccounts.first);
      const third = await consumerPlanTarget(target, orgAccounts.third);

      // Assess
      expect(first.scheduled).toEqual([]);
      expect(renderConsumerPlanTable(first)).toContain(
        "Nothing of this account holds back a version due to retire.",
      );
      expect(third.scheduled).toEqual([]);
      expect(third.unreachable.map((entry) => entry.reason)).toEqual([
        "role-unavailable",
        "role-unavailable",
      ]);
      expect(renderConsumerPlanTable(third)).toContain(`Could not check ${orgAccounts.third} in`);
    });
  });
});
