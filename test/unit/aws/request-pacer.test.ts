import { RequestPacer, requestPacerPlugin } from "@ami-lifecycle/aws";
import { fastRetryStrategy, SimulatedAccount } from "@ami-lifecycle/simulated-account";
import { EC2Client, EnableImageDeprecationCommand } from "@aws-sdk/client-ec2";
import { describe, expect, it } from "vitest";

const region = "us-east-1";

/** A paced account (published buckets, 150 ms per EnableImageDeprecation) with `images` seeded images. */
function pacedAccount(images: number) {
  const account = new SimulatedAccount({
    regions: [region],
    pacing: { throttling: true, latency: { perOperationMs: { EnableImageDeprecation: 150 } } },
  });
  const imageIds = Array.from({ length: images }, (_, index) =>
    account.seedImage(region, { name: `app-${index}` }),
  );
  const client = account.client(EC2Client, region, { config: { retryStrategy: fastRetryStrategy(1) } });
  return { account, imageIds, client };
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
    const at = new Date(account.clock.nowMs() + 3_600_000);
    // Act
    const results = await Promise.allSettled(imageIds.map((imageId) => deprecate(client, imageId, at)));
    // Assess
    const rejected = results.filter((result) => result.status === "rejected");
    expect(rejected).toHaveLength(10);
    expect(String((rejected[0] as PromiseRejectedResult).reason.name)).toBe("RequestLimitExceeded");
  });
});
