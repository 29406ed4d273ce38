import { RequestPacer, requestPacerPlugin } from "@ami-lifecycle/aws";
import { fastRetryStrategy, SimClock, SimulatedAccount } from "@ami-lifecycle/simulated-account";
import { DescribeImagesCommand, EC2Client, EnableImageDeprecationCommand } from "@aws-sdk/client-ec2";
import { describe, expect, it } from "vitest";

const region = "us-east-1";

/** A paced account (published buckets, 150 ms per EnableImageDeprecation) with `images` seeded images. */
function pacedAccount(images: number, clock?: SimClock) {
  const account = new SimulatedAccount({
    regions: [region],
    ...(clock ? { clock } : {}),
    pacing: { throttling: true, latency: { perOperationMs: { EnableImageDeprecation: 150 } } },
  });
  const imageIds = Array.from({ length: images }, (_, index) =>
    account.seedImage(region, { name: `app-${index}` }),
  );
  const client = account.client(EC2Client, region, { config: { retryStrategy: fastRetryStrategy(1) } });
  return { account, imageIds, client };
}

/**
 * One call before the burst: a client's first calls wait on the SDK's read of the shared config files,
 * real disk I/O the simulated timeline cannot see, so on a loaded machine the clock could move on while
 * the first calls of a burst were still on their way (the read is cached for the process afterwards).
 * DescribeImages has a bucket of its own and no latency here: the burst's bucket and clock are untouched.
 */
async function warmUp(client: EC2Client) {
  await client.send(new DescribeImagesCommand({ Owners: ["self"] }));
}

const deprecate = (client: EC2Client, imageId: string, at: Date) =>
  client.send(new EnableImageDeprecationCommand({ ImageId: imageId, DeprecateAt: at }));

describe("RequestPacer", () => {
  it("keeps a burst within EC2's bucket: no throttle, at the bucket's refill rate", async () => {
    // Prepare
    const { account, imageIds, client } = pacedAccount(150);
    const pacer = new RequestPacer({
      time: { nowMs: () => account.clock.nowMs(), sleep: (ms) => account.timeline.sleep(ms) },
    });
    client.middlewareStack.use(requestPacerPlugin(pacer, async () => region));
    await warmUp(client);
    const start = account.clock.nowMs();
    const at = new Date(start + 3_600_000);
    // Act
    const results = await Promise.allSettled(imageIds.map((imageId) => deprecate(client, imageId, at)));
    // Assess: 50 from the full bucket, then 100 more at 5 per second, each call 150 ms
    expect(results.filter((result) => result.status === "rejected")).toHaveLength(0);
    expect(account.clock.nowMs() - start).toBe(20_000 + 150);
  });

  it("is what makes the difference: the same burst unpaced is throttled past the bucket's capacity", async () => {
    // Prepare
    const { account, imageIds, client } = pacedAccount(60);
    await warmUp(client);
    const at = new Date(account.clock.nowMs() + 3_600_000);
    // Act
    const results = await Promise.allSettled(imageIds.map((imageId) => deprecate(client, imageId, at)));
    // Assess
    const rejected = results.filter((result) => result.status === "rejected");
    expect(rejected).toHaveLength(10);
    expect(String((rejected[0] as PromiseRejectedResult).reason.name)).toBe("RequestLimitExceeded");
  });

  it("sets a deprecation asked for now when its token is granted, so a call waiting in the queue is never refused as past", async () => {
    // Prepare: 10 s before a minute ends, 150 deprecations asked "at once" (the minute just ahead);
    // 50 leave at once, the other 100 wait up to 20 s for the refill, past that minute
    const { account, imageIds, client } = pacedAccount(150, new SimClock("2026-11-20T10:00:50Z"));
    const pacer = new RequestPacer({
      time: { nowMs: () => account.clock.nowMs(), sleep: (ms) => account.timeline.sleep(ms) },
    });
    client.middlewareStack.use(requestPacerPlugin(pacer, async () => region));
    await warmUp(client);
    const asked = new Date("2026-11-20T10:01:00Z");
    // Act
    const results = await Promise.allSettled(imageIds.map((imageId) => deprecate(client, imageId, asked)));
    // Assess: none refused; the first ones keep the minute asked, the last ones the minute after their token
    expect(results.filter((result) => result.status === "rejected")).toHaveLength(0);
    const times = imageIds.map((imageId) => account.image(region, imageId)?.DeprecationTime);
    expect(times[0]).toBe("2026-11-20T10:01:00.000Z");
    expect(times[149]).toBe("2026-11-20T10:02:00.000Z");
  });

  it("never sets a deprecation earlier than asked", async () => {
    // Prepare
    const { account, imageIds, client } = pacedAccount(1);
    const pacer = new RequestPacer({
      time: { nowMs: () => account.clock.nowMs(), sleep: (ms) => account.timeline.sleep(ms) },
    });
    client.middlewareStack.use(requestPacerPlugin(pacer, async () => region));
    // Act
    await deprecate(client, imageIds[0] as string, new Date("2026-11-27T10:00:00Z"));
    // Assess
    expect(account.image(region, imageIds[0] as string)?.DeprecationTime).toBe("2026-11-27T10:00:00.000Z");
  });
});
