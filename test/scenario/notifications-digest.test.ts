import { type Config, weekdays } from "@ami-lifecycle/core";
import { LocalDeployment, SimulatedAccount } from "@ami-lifecycle/simulated-account";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import {
  buildVersions,
  dayMs,
  retentionConfig,
  retentionRegions,
  scheduledSweep,
} from "../support/retention-world";

describe("the weekly digest (notifications.digest)", () => {
  let deployment: LocalDeployment;
  const digests = () =>
    deployment.account
      .published(deployment.topicArn)
      .filter((message) => message.messageAttributes.eventType?.StringValue === "digest");

  beforeAll(async () => {
    // Prepare: the digest on the weekday of the simulated clock's start, in UTC (the sweep's zone).
    const account = new SimulatedAccount({ regions: [...retentionRegions] });
    for (const region of ["eu-west-1", "ap-southeast-2"])
      account.createKey(region, { alias: "alias/ami-lifecycle" });
    const base = retentionConfig("enforce");
    const day = weekdays[(account.clock.now().getUTCDay() + 6) % 7] as (typeof weekdays)[number];
    const config: Config = {
      ...base,
      // Without the cooldown: with it, every version `latest` named stays protected (and kept whole) for 24 h
      // after the pointer moves on, and this test is about the digest's schedule, not the cooldown.
      pointers: { ...base.pointers, protectionCooldown: false },
      notifications: { ...base.notifications, digest: { enabled: true, day } },
    };
    deployment = await LocalDeployment.start({ config, account, dynamoEndpoint: inject("dynamoEndpoint") });
    await buildVersions(deployment, 5);
  }, 120_000);
  afterAll(() => deployment.stop());

  it("sends one digest to the family's team on the configured day, even when that day sweeps twice", async () => {
    // Act
    await scheduledSweep(deployment, "digest-day-sweep");
    await scheduledSweep(deployment, "digest-day-retry");

    // Assess
    const sent = digests();
    expect(sent).toHaveLength(1);
    expect(sent[0]?.messageAttributes.team?.StringValue).toBe("web-team");
    expect(sent[0]?.subject).toMatch(/^web weekly digest \d{4}-W\d\d: 5 version\(s\), \d+ step\(s\) coming$/);
    expect(sent[0]?.message).toContain("v1 web-2026.01.01 active: ap-southeast-2, eu-west-1, us-east-1");
    // Two of the five are past keepLatest 3: each has its deprecation coming, with a date.
    expect(sent[0]?.message).toMatch(
      /v1 deprecate on \d{4}-\d\d-\d\d \(ap-southeast-2, eu-west-1, us-east-1\)/,
    );
  });

  it("sends nothing on the other days of the week, and the next one a week later", async () => {
    for (let day = 1; day < 7; day++) {
      await deployment.advance(dayMs);
      await scheduledSweep(deployment, `digest-week-day-${day}`);
    }
    expect(digests()).toHaveLength(1);

    await deployment.advance(dayMs);
    await scheduledSweep(deployment, "digest-next-week");
    expect(digests()).toHaveLength(2);
  });
});
