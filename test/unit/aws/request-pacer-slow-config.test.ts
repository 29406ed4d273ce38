import { RequestPacer, requestPacerPlugin } from "@ami-lifecycle/aws";
import { fastRetryStrategy, SimulatedAccount } from "@ami-lifecycle/simulated-account";
import { EC2Client, EnableImageDeprecationCommand } from "@aws-sdk/client-ec2";
import { afterEach, describe, expect, it } from "vitest";
import { slowFile, useSharedConfigFile } from "../../support/slow-file";

const region = "us-east-1";
const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const cleanup of cleanups.splice(0)) cleanup();
});

describe("RequestPacer on the simulated timeline, while the SDK reads its shared config file", () => {
  it("keeps a burst within EC2's bucket when that read is slow (as on a loaded machine)", async () => {
    // Prepare: the client's first calls wait on AWS_CONFIG_FILE, which answers only later
    const file = slowFile("[default]\n");
    cleanups.push(file.remove, useSharedConfigFile(file.path));
    const account = new SimulatedAccount({
      regions: [region],
      pacing: { throttling: true, latency: { perOperationMs: { EnableImageDeprecation: 150 } } },
    });
    const imageIds = Array.from({ length: 150 }, (_, index) =>
      account.seedImage(region, { name: `app-${index}` }),
    );
    const client = account.client(EC2Client, region, { config: { retryStrategy: fastRetryStrategy(1) } });
    cleanups.push(() => client.destroy());
    const pacer = new RequestPacer({
      time: { nowMs: () => account.clock.nowMs(), sleep: (ms) => account.timeline.sleep(ms) },
    });
    client.middlewareStack.use(requestPacerPlugin(pacer, async () => region));
    const start = account.clock.nowMs();
    const at = new Date(start + 3_600_000);
    setTimeout(() => void file.answer(), 30);
    // Act
    const results = await Promise.allSettled(
      imageIds.map((imageId) =>
        client.send(new EnableImageDeprecationCommand({ ImageId: imageId, DeprecateAt: at })),
      ),
    );
    // Assess: as without the slow read: 50 from the full bucket, then 100 at 5 per second
    expect(results.filter((result) => result.status === "rejected")).toHaveLength(0);
    expect(account.clock.nowMs() - start).toBe(20_000 + 150);
  });
});
