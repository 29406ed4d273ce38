import { SimulatedAccount } from "@ami-lifecycle/simulated-account";
import { AutoScalingClient } from "@aws-sdk/client-auto-scaling";
import {
  CreateLaunchTemplateCommand,
  CreateLaunchTemplateVersionCommand,
  CreateTagsCommand,
  DescribeImagesCommand,
  EC2Client,
  ModifyLaunchTemplateCommand,
  RegisterImageCommand,
  RunInstancesCommand,
} from "@aws-sdk/client-ec2";
import { EventBridgeClient } from "@aws-sdk/client-eventbridge";
import { SNSClient } from "@aws-sdk/client-sns";
import { SQSClient } from "@aws-sdk/client-sqs";
import { PutParameterCommand, SSMClient } from "@aws-sdk/client-ssm";
import { inject } from "vitest";

/** The two regions every conformance test uses. */
export const home = "eu-west-1";
/** The second region (copies land here). */
export const away = "us-east-1";

/** Dummy static credentials: neither target checks them, and nothing leaves the loopback interface. */
const credentials = { accessKeyId: "AKIACONFORMANCETEST1", secretAccessKey: "conformance-secret" };

/** An SDK v3 client class the targets can build. */
type ClientClass<C> = new (config: {
  region: string;
  credentials: typeof credentials;
  maxAttempts: number;
  endpoint?: string;
}) => C;

/** An image a target registered for a test: its id and the ids of its snapshots. */
export interface SeededImage {
  imageId: string;
  snapshotIds: string[];
}

/** One place the same SDK calls can be sent: moto or the simulated account. */
export interface Target {
  readonly kind: "moto" | "simulated";
  readonly accountId: string;
  ec2(region: string): EC2Client;
  ssm(region: string): SSMClient;
  sns(region: string): SNSClient;
  eventBridge(region: string): EventBridgeClient;
  sqs(region: string): SQSClient;
  autoScaling(region: string): AutoScalingClient;
  /** An available image with tags and at least one snapshot, made the way the target allows. */
  seedImage(region: string, name: string, tags?: Record<string, string>): Promise<SeededImage>;
  /** A running instance of the image; returns its id. */
  runInstance(region: string, imageId: string): Promise<string>;
  /** A launch template whose version 1 (default) uses the image; returns its id. */
  createLaunchTemplate(region: string, name: string, imageId: string): Promise<string>;
  /** Adds a version that uses the image, optionally as the new default; returns its number. */
  addLaunchTemplateVersion(
    region: string,
    templateId: string,
    imageId: string,
    makeDefault: boolean,
  ): Promise<number>;
  /** Closes every client built so far. */
  destroy(): void;
}

/** True when the conformance global setup started moto (false: it is not installed and the suite skips). */
export const motoAvailable = inject("motoEndpoint") !== "";

/** A fresh 12-digit account id, so each test gets an empty moto account (moto keys its data by account). */
function freshAccountId(): string {
  return `4${String(Math.floor(Math.random() * 1e11)).padStart(11, "0")}`;
}

/** Builds and caches one client per class and region. */
function clientCache(build: <C>(Class: ClientClass<C>, region: string) => C) {
  const cache = new Map<unknown, Map<string, unknown>>();
  const built: { destroy(): void }[] = [];
  return {
    get<C extends { destroy(): void }>(Class: ClientClass<C>, region: string): C {
      let perRegion = cache.get(Class);
      if (!perRegion) {
        perRegion = new Map();
        cache.set(Class, perRegion);
      }
      let client = perRegion.get(region) as C | undefined;
      if (!client) {
        client = build(Class, region);
        perRegion.set(region, client);
        built.push(client);
      }
      return client;
    },
    destroy() {
      for (const client of built.splice(0)) client.destroy();
      cache.clear();
    },
  };
}

/** A moto target in an account of its own (header `x-moto-account-id`), one attempt per call so errors show as moto sends them. */
export function motoTarget(): Target {
  const endpoint = inject("motoEndpoint");
  const accountId = freshAccountId();
  const clients = clientCache((Class, region) => {
    const client = new Class({ region, credentials, maxAttempts: 1, endpoint });
    (client as unknown as EC2Client).middlewareStack.add(
      (next) => async (args) => {
        const request = args.request as { headers: Record<string, string> };
        request.headers["x-moto-account-id"] = accountId;
        return next(args);
      },
      { step: "build", name: "motoAccountHeader" },
    );
    return client;
  });
  const ec2 = (region: string) => clients.get(EC2Client, region);
  return {
    kind: "moto",
    accountId,
    ec2,
    ssm: (region) => clients.get(SSMClient, region),
    sns: (region) => clients.get(SNSClient, region),
    eventBridge: (region) => clients.get(EventBridgeClient, region),
    sqs: (region) => clients.get(SQSClient, region),
    autoScaling: (region) => clients.get(AutoScalingClient, region),
    async seedImage(region, name, tags = {}) {
      // moto's RegisterImage ignores TagSpecifications and block device mappings (it makes one snapshot itself).
      const { ImageId } = await ec2(region).send(
        new RegisterImageCommand({ Name: name, RootDeviceName: "/dev/xvda", Architecture: "x86_64" }),
      );
      const imageId = ImageId ?? "";
      const tagList = Object.entries(tags).map(([Key, Value]) => ({ Key, Value }));
      if (tagList.length > 0) {
        await ec2(region).send(new CreateTagsCommand({ Resources: [imageId], Tags: tagList }));
      }
      const { Images } = await ec2(region).send(new DescribeImagesCommand({ ImageIds: [imageId] }));
      const snapshotIds = (Images?.[0]?.BlockDeviceMappings ?? []).flatMap((device) =>
        device.Ebs?.SnapshotId ? [device.Ebs.SnapshotId] : [],
      );
      return { imageId, snapshotIds };
    },
    async runInstance(region, imageId) {
      const { Instances } = await ec2(region).send(
        new RunInstancesCommand({ ImageId: imageId, MinCount: 1, MaxCount: 1 }),
      );
      return Instances?.[0]?.InstanceId ?? "";
    },
    async createLaunchTemplate(region, name, imageId) {
      const { LaunchTemplate } = await ec2(region).send(
        new CreateLaunchTemplateCommand({
          LaunchTemplateName: name,
          LaunchTemplateData: { ImageId: imageId },
        }),
      );
      return LaunchTemplate?.LaunchTemplateId ?? "";
    },
    async addLaunchTemplateVersion(region, templateId, imageId, makeDefault) {
      const { LaunchTemplateVersion } = await ec2(region).send(
        new CreateLaunchTemplateVersionCommand({
          LaunchTemplateId: templateId,
          LaunchTemplateData: { ImageId: imageId },
        }),
      );
      const version = LaunchTemplateVersion?.VersionNumber ?? 0;
      if (makeDefault) {
        await ec2(region).send(
          new ModifyLaunchTemplateCommand({ LaunchTemplateId: templateId, DefaultVersion: String(version) }),
        );
      }
      return version;
    },
    destroy: () => clients.destroy(),
  };
}

/** A simulated-account target: the same SDK clients with the simulation plugged beneath them. */
export function simulatedTarget(): Target & { account: SimulatedAccount } {
  const account = new SimulatedAccount({ accountId: freshAccountId(), regions: [home, away] });
  const clients = clientCache(
    (Class, region) =>
      account.attach(new Class({ region, credentials, maxAttempts: 1 }) as unknown as EC2Client) as never,
  );
  return {
    kind: "simulated",
    accountId: account.accountId,
    account,
    ec2: (region) => clients.get(EC2Client, region),
    ssm: (region) => clients.get(SSMClient, region),
    sns: (region) => clients.get(SNSClient, region),
    eventBridge: (region) => clients.get(EventBridgeClient, region),
    sqs: (region) => clients.get(SQSClient, region),
    autoScaling: (region) => clients.get(AutoScalingClient, region),
    async seedImage(region, name, tags = {}) {
      const imageId = account.seedImage(region, { name, tags });
      const image = account.image(region, imageId);
      const snapshotIds = (image?.BlockDeviceMappings ?? []).flatMap((device) =>
        device.Ebs?.SnapshotId ? [device.Ebs.SnapshotId] : [],
      );
      return { imageId, snapshotIds };
    },
    async runInstance(region, imageId) {
      return account.runInstance(region, imageId);
    },
    async createLaunchTemplate(region, name, imageId) {
      return account.createLaunchTemplate(region, name, imageId);
    },
    async addLaunchTemplateVersion(region, templateId, imageId, makeDefault) {
      return account.addLaunchTemplateVersion(region, templateId, imageId, { makeDefault });
    },
    destroy: () => clients.destroy(),
  };
}

/** Both targets by name, for describe.each; moto's is skipped when moto is not installed. */
export const targets = [
  { name: "moto", make: motoTarget, skip: !motoAvailable },
  { name: "simulated account", make: simulatedTarget, skip: false },
] as const;

/** SSM parameters made the same way on both targets. */
export async function putImageParameter(target: Target, region: string, name: string, imageId: string) {
  await target.ssm(region).send(
    new PutParameterCommand({
      Name: name,
      Value: imageId,
      Type: "String",
      DataType: "aws:ec2:image",
      Overwrite: true,
    }),
  );
}
