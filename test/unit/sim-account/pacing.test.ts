import { SimulatedAccount } from "@ami-lifecycle/simulated-account";
import {
  CreateTagsCommand,
  DescribeImagesCommand,
  DescribeSnapshotsCommand,
  type EC2Client,
} from "@aws-sdk/client-ec2";
import { describe, expect, it } from "vitest";
import { EAST, failure, setup } from "./helpers";

const describeOwn = () => new DescribeImagesCommand({ Owners: ["self"] });

describe("simulated EC2 token buckets (aws-facts §2, Throttling)", () => {
  it("is off by default: many calls at once all succeed and the clock stays where it was", async () => {
    // Prepare
    const { account, east } = setup();
    const start = account.clock.nowMs();
    // Act
    const results = await Promise.allSettled(Array.from({ length: 150 }, () => east.send(describeOwn())));
    // Assess
    expect(results.filter((result) => result.status === "rejected")).toHaveLength(0);
    expect(account.clock.nowMs()).toBe(start);
    expect(account.tokens(EAST, "DescribeImages")).toBeUndefined();
  });

  it("starts each API's bucket full at the published size", () => {
    // Prepare
    const account = new SimulatedAccount({ pacing: { throttling: true } });
    // Assess
    expect(account.tokens(EAST, "DescribeImages")).toBe(100);
    expect(account.tokens(EAST, "DeregisterImage")).toBe(100);
    expect(account.tokens(EAST, "EnableImageDeprecation")).toBe(50);
    expect(account.tokens(EAST, "CreateRestoreImageTask")).toBe(50);
  });

  it("answers RequestLimitExceeded (503) once a bucket is empty, per region and API, and refills on the clock", async () => {
    // Prepare
    const { account, east, west } = setup({
      pacing: { throttling: { buckets: { DescribeImages: { capacity: 3, refillPerSecond: 2 } } } },
    });
    for (let call = 0; call < 3; call += 1) await east.send(describeOwn());
    // Act
    const throttled = await failure(east.send(describeOwn()));
    const otherRegion = await west.send(describeOwn());
    const otherApi = await east.send(new DescribeSnapshotsCommand({ OwnerIds: ["self"] }));
    account.advance(500);
    const refilled = await east.send(describeOwn());
    const emptyAgain = await failure(east.send(describeOwn()));
    // Assess
    expect(throttled.name).toBe("RequestLimitExceeded");
    expect(throttled.$metadata?.httpStatusCode).toBe(503);
    expect(otherRegion.$metadata.httpStatusCode).toBe(200);
    expect(otherApi.$metadata.httpStatusCode).toBe(200);
    expect(refilled.$metadata.httpStatusCode).toBe(200);
    expect(emptyAgain.name).toBe("RequestLimitExceeded");
  });

  it("applies nothing for a throttled call", async () => {
    // Prepare
    const { account, east } = setup({
      pacing: { throttling: { buckets: { CreateTags: { capacity: 1, refillPerSecond: 1 } } } },
    });
    const imageId = account.seedImage(EAST, { name: "app-1" });
    await east.send(new CreateTagsCommand({ Resources: [imageId], Tags: [{ Key: "first", Value: "1" }] }));
    // Act
    const throttled = await failure(
      east.send(new CreateTagsCommand({ Resources: [imageId], Tags: [{ Key: "second", Value: "2" }] })),
    );
    // Assess
    expect(throttled.name).toBe("RequestLimitExceeded");
    const keys = (account.image(EAST, imageId)?.Tags ?? []).map((tag) => tag.Key);
    expect(keys).toContain("first");
    expect(keys).not.toContain("second");
  });
});

describe("simulated call latency on the timeline", () => {
  it("charges calls in flight at once the longest latency, not the sum", async () => {
    // Prepare
    const { account, east } = setup({ pacing: { latency: { perOperationMs: { DescribeImages: 400 } } } });
    const start = account.clock.nowMs();
    // Act
    await Promise.all(Array.from({ length: 10 }, () => east.send(describeOwn())));
    // Assess
    expect(account.clock.nowMs() - start).toBe(400);
  });

  it("charges calls made one after another the sum, each region and service alike", async () => {
    // Prepare
    const { account, east, west } = setup({
      pacing: { latency: { perOperationMs: { DescribeImages: 400, DescribeSnapshots: 100 } } },
    });
    const start = account.clock.nowMs();
    // Act
    await east.send(describeOwn());
    await west.send(describeOwn());
    await east.send(new DescribeSnapshotsCommand({ OwnerIds: ["self"] }));
    // Assess
    expect(account.clock.nowMs() - start).toBe(900);
  });

  it("overlaps two serial chains run in parallel (per region a timeline of its own calls)", async () => {
    // Prepare
    const { account, east, west } = setup({
      pacing: { latency: { perOperationMs: { DescribeImages: 200 } } },
    });
    const start = account.clock.nowMs();
    const chain = async (client: EC2Client, calls: number) => {
      for (let call = 0; call < calls; call += 1) await client.send(describeOwn());
    };
    // Act
    await Promise.all([chain(east, 5), chain(west, 3)]);
    // Assess
    expect(account.clock.nowMs() - start).toBe(1000);
  });

  it("refills the bucket while calls travel, so a paced caller is never throttled", async () => {
    // Prepare
    const { account, east } = setup({
      pacing: {
        throttling: { buckets: { DescribeImages: { capacity: 1, refillPerSecond: 5 } } },
        latency: { perOperationMs: { DescribeImages: 200 } },
      },
    });
    const start = account.clock.nowMs();
    // Act
    for (let call = 0; call < 4; call += 1) await east.send(describeOwn());
    // Assess
    expect(account.clock.nowMs() - start).toBe(800);
  });

  it("stands still while held real I/O runs", async () => {
    // Prepare
    const { account, east } = setup({ pacing: { latency: { perOperationMs: { DescribeImages: 300 } } } });
    const start = account.clock.nowMs();
    let seenDuringHold = -1;
    // Act
    await Promise.all([
      account.timeline.hold(async () => {
        await new Promise((resolve) => setTimeout(resolve, 20));
        seenDuringHold = account.clock.nowMs();
      }),
      east.send(describeOwn()),
    ]);
    // Assess
    expect(seenDuringHold).toBe(start);
    expect(account.clock.nowMs() - start).toBe(300);
  });
});
