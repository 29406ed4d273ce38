import type { VersionRecord } from "@ami-lifecycle/core";
import type { LocalDeployment } from "@ami-lifecycle/simulated-account";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import {
  buildVersions,
  dayMs,
  retentionRegions,
  scheduledSweep,
  startRetentionDeployment,
} from "../support/retention-world";

/** EC2 API names of the calls that change something. */
const mutatingApis = [
  "CreateTags",
  "CopyImage",
  "EnableImageDeprecation",
  "DisableImage",
  "DeregisterImage",
  "DeleteSnapshot",
];

describe("retention in dry-run mode", () => {
  let deployment: LocalDeployment;
  let versions: VersionRecord[];

  beforeAll(async () => {
    deployment = await startRetentionDeployment("dry-run", inject("dynamoEndpoint"), {
      routeSweepRequests: true,
    });
    versions = await buildVersions(deployment, 8);
  }, 120_000);
  afterAll(() => deployment.stop());

  it("changes nothing in EC2 and publishes the plan to the family's team", async () => {
    // Prepare
    await deployment.advance(10 * dayMs);
    const before = retentionRegions.map((region) => deployment.account.images(region));
    deployment.account.resetCallCounts();
    const published = deployment.account.published(deployment.topicArn).length;

    // Act
    const outcome = await scheduledSweep(deployment, "dry-run-day-10");
    await deployment.pump();

    // Assess
    const calls = Object.keys(deployment.account.callCounts()).map((key) => key.split(":")[1]);
    expect(calls.filter((api) => mutatingApis.includes(api ?? ""))).toEqual([]);
    expect(retentionRegions.map((region) => deployment.account.images(region))).toEqual(before);
    const summaries = deployment.account
      .published(deployment.topicArn)
      .slice(published)
      .filter((message) => message.messageAttributes.eventType?.StringValue === "retention-summary");
    expect(summaries).toHaveLength(1);
    expect(summaries[0]?.messageAttributes.team?.StringValue).toBe("web-team");
    // 8 versions, 3 kept: the 5 others are due for deprecation in all 3 regions.
    expect(summaries[0]?.subject).toBe("web retention (dry-run): 15 deprecate, 0 disable, 0 deregister");
    expect(summaries[0]?.message).toContain(
      `v1 us-east-1 ${versions[0]?.regions["us-east-1"]?.imageId}: deprecate`,
    );
    expect(outcome).toMatchObject({ outcome: "swept", mode: "dry-run", failures: 0 });
  }, 120_000);
});
