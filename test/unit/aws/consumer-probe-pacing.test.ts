import { crossAccountClients, RequestPacer } from "@ami-lifecycle/aws";
import { fastRetryStrategy, SimulatedOrganization } from "@ami-lifecycle/simulated-account";
import { EC2Client, ModifyImageAttributeCommand } from "@aws-sdk/client-ec2";
import { describe, expect, it } from "vitest";
import { consumerRole, createConsumerRole, orgAccounts } from "../../support/organization-world";

const EAST = "us-east-1";
const CONSUMER = orgAccounts.second;
const OTHER = orgAccounts.third;
/** A consumer region's tiny DescribeImageReferences bucket: one call, then one more every 2 seconds. */
const tiny = { DescribeImageReferences: { capacity: 1, refillPerSecond: 0.5 } };

/** An owner sharing 25 images with two consumers whose every EC2 bucket is simulated (the tiny one above). */
async function world() {
  const org = new SimulatedOrganization({
    managementAccountId: orgAccounts.owner,
    regions: [EAST],
    rootAccounts: [{ id: CONSUMER }, { id: OTHER }],
    accountOptions: { pacing: { throttling: { buckets: tiny } } },
  });
  createConsumerRole(org, CONSUMER);
  createConsumerRole(org, OTHER);
  const owner = org.account(orgAccounts.owner);
  const ec2 = org.client(EC2Client, EAST);
  const imageIds: string[] = [];
  for (let index = 0; index < 25; index++) {
    const imageId = owner.seedImage(EAST, { name: `base-${index}` });
    await ec2.send(
      new ModifyImageAttributeCommand({
        ImageId: imageId,
        LaunchPermission: { Add: [{ UserId: CONSUMER }, { UserId: OTHER }] },
      }),
    );
    imageIds.push(imageId);
  }
  ec2.destroy();
  return { org, imageIds };
}

/** The sweep's cross-account session over the organization, its EC2 calls paced or not. */
function session(org: SimulatedOrganization, pacer: RequestPacer | undefined) {
  return crossAccountClients.open({
    organization: {
      consumerRoleName: consumerRole,
      externalId: "ami-lifecycle-sweep",
      usageReportLagDays: 3,
      versionDepth: 10_000,
    },
    owner: {} as never,
    clients: {
      // The SDK retries a throttled call twice, at once: only pacing keeps it within the bucket.
      clientConfig: {
        retryStrategy: fastRetryStrategy(3),
        credentials: { accessKeyId: "AKIDSWEEP", secretAccessKey: "sweep" },
      },
      configureClient: (client) => org.attach(client as never),
      ...(pacer ? { pacer } : {}),
    },
    clock: org.clock,
  });
}

describe("consumer probes paced like the owner's calls (per account, region and API)", () => {
  it("probes a consumer region with a tiny DescribeImageReferences bucket without throttling, so no fail-safe", async () => {
    // Prepare
    const { org, imageIds } = await world();
    const timeline = org.account(orgAccounts.owner).timeline;
    const pacer = new RequestPacer({
      time: { nowMs: () => org.clock.nowMs(), sleep: (ms) => timeline.sleep(ms) },
      buckets: tiny,
    });
    const sweep = session(org, pacer);
    const start = org.clock.nowMs();

    // Act
    const result = await sweep.ports.probes.probe(CONSUMER, EAST, imageIds);
    sweep.close();

    // Assess: three batches of ≤ 10 images, the second and third each a refill (2 s) after the one before.
    expect(result).toMatchObject({ kind: "probed", accountId: CONSUMER, references: [] });
    expect(org.clock.nowMs() - start).toBe(4_000);
  });

  it("paces each consumer account on its own buckets: two probed at once take the time of one", async () => {
    // Prepare
    const { org, imageIds } = await world();
    const timeline = org.account(orgAccounts.owner).timeline;
    const pacer = new RequestPacer({
      time: { nowMs: () => org.clock.nowMs(), sleep: (ms) => timeline.sleep(ms) },
      buckets: tiny,
    });
    const sweep = session(org, pacer);
    const start = org.clock.nowMs();

    // Act
    const results = await Promise.all([
      sweep.ports.probes.probe(CONSUMER, EAST, imageIds),
      sweep.ports.probes.probe(OTHER, EAST, imageIds),
    ]);
    sweep.close();

    // Assess
    expect(results.map((result) => result.kind)).toEqual(["probed", "probed"]);
    expect(org.clock.nowMs() - start).toBe(4_000);
  });

  it("is what keeps it out of the fail-safe: unpaced, the same probe is throttled past the SDK's retries", async () => {
    // Prepare
    const { org, imageIds } = await world();
    const sweep = session(org, undefined);

    // Act
    const result = await sweep.ports.probes.probe(CONSUMER, EAST, imageIds);
    sweep.close();

    // Assess
    expect(result).toMatchObject({ kind: "unreachable", accountId: CONSUMER, reason: "throttled" });
  });
});
