import { crossAccountClients, RequestPacer } from "@ami-lifecycle/aws";
import { fastRetryStrategy, SimulatedOrganization } from "@ami-lifecycle/simulated-account";
import { EC2Client, ModifyImageAttributeCommand } from "@aws-sdk/client-ec2";
import { consumerRole, createConsumerRole, orgAccounts } from "./organization-world";

/** The one region of the probe-pacing tests. */
export const EAST = "us-east-1";
/** The consumer whose probes are measured. */
export const CONSUMER = orgAccounts.second;
/** A second consumer, probed at the same time. */
export const OTHER = orgAccounts.third;
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

/**
 * Prepares the probe-pacing world: the organization and its 25 shared images, and the sweep's
 * cross-account session over it, its EC2 calls paced on the tiny bucket (`paced`) or not.
 */
export async function pacedProbeWorld(paced: boolean) {
  const { org, imageIds } = await world();
  const timeline = org.account(orgAccounts.owner).timeline;
  const pacer = paced
    ? new RequestPacer({
        time: { nowMs: () => org.clock.nowMs(), sleep: (ms) => timeline.sleep(ms) },
        buckets: tiny,
      })
    : undefined;
  return { org, imageIds, sweep: session(org, pacer) };
}
