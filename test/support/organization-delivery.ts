import type { LocalDeployment } from "@ami-lifecycle/simulated-account";
import { CreateImageCommand, EC2Client } from "@aws-sdk/client-ec2";
import { type DeliveryMode, EventDelivery } from "./event-delivery";
import { buildVersion } from "./sharing-world";

/** How the organization scenario's events reach the deployment: in order once, or as EventBridge may. */
export interface OrganizationDelivery {
  /** builds one version in us-east-1 and lets it (and its eu-west-1 copy) become available */
  build(name: string): Promise<string>;
  /** delivers what the account emitted until it is quiet */
  settle(): Promise<void>;
  /** moves the simulated clock and delivers what it emitted */
  advance(ms: number): Promise<void>;
}

/** Every event once, in emission order, right after each step (as `buildVersion` and `pump` do). */
export function orderlyOrganizationDelivery(deployment: LocalDeployment): OrganizationDelivery {
  return {
    build: (name) => buildVersion(deployment, name),
    settle: async () => {
      await deployment.pump();
    },
    advance: async (ms) => {
      await deployment.advance(ms);
    },
  };
}

/**
 * Events duplicated and reordered: each event delivered 1..maxCopies times, every batch shuffled, some
 * duplicates spilling into a later batch. A build's events are held back until the image is available,
 * so its CloudTrail record, `pending` and `available` arrive together, in any order; the copies' events
 * (and those of the sweeps' retirement steps) are duplicated and shuffled the same way.
 */
export function disorderlyOrganizationDelivery(
  deployment: LocalDeployment,
  mode: DeliveryMode,
): OrganizationDelivery {
  const delivery = new EventDelivery(deployment, mode);
  return {
    build: async (name) => {
      const { account } = deployment;
      const base = account.seedImage("us-east-1", { name: `amzn2023-base-for-${name}` });
      const instanceId = account.runInstance("us-east-1", base);
      const pipeline = account.client(EC2Client, "us-east-1", {
        principalArn: "arn:aws:sts::111122223333:assumed-role/image-pipeline/build",
      });
      const { ImageId } = await pipeline.send(new CreateImageCommand({ InstanceId: instanceId, Name: name }));
      // Nothing delivered until the image is available: the build's events come as one shuffled batch.
      account.advance(10 * 60_000);
      account.advance(20 * 60_000);
      await delivery.settle();
      await delivery.advance(10 * 60_000);
      await delivery.advance(20 * 60_000);
      return ImageId ?? "";
    },
    settle: async () => {
      await delivery.settle();
    },
    advance: async (ms) => {
      await delivery.advance(ms);
    },
  };
}
