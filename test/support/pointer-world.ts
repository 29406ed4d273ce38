import {
  type Config,
  latestPointerName,
  type PointerDependencies,
  parseConfig,
  type ReactionDependencies,
} from "@ami-lifecycle/core";
import { type EventBridgeEvent, LocalDeployment, SimulatedAccount } from "@ami-lifecycle/simulated-account";
import { CreateImageCommand, EC2Client } from "@aws-sdk/client-ec2";
import { scenarioRegions } from "./scenario-config";

const MINUTE = 60_000;

/** The family the pointer scenarios build: copied to two regions, one pinned channel, retired fast. */
export const pointerFamily = "web";

/** A config whose one family keeps only the newest version and retires the rest without grace. */
export function pointerConfig(
  mode: "dry-run" | "enforce" = "enforce",
  /** off here: these scenarios retire a version the moment a pointer leaves it (pointers-protection tests the cooldown) */
  protectionCooldown = false,
): Config {
  return parseConfig({
    accounts: ["111122223333"],
    pointers: { protectionCooldown },
    homeRegion: "us-east-1",
    regions: scenarioRegions,
    mode,
    families: [
      {
        name: pointerFamily,
        team: "web",
        match: { namePattern: "web-*" },
        copyTo: [
          { region: "eu-west-1", kmsKeyId: "alias/ami-lifecycle" },
          { region: "ap-southeast-2", kmsKeyId: "alias/ami-lifecycle" },
        ],
        channels: ["stable"],
        retention: {
          keepLatest: 1,
          minAgeDays: 0,
          deprecateAfterDays: 0,
          disableAfterDays: 0,
          deregisterAfterDays: 0,
        },
      },
    ],
  });
}

/** A simulated account with copy keys and a builder instance, and the service deployed over it. */
export class PointerWorld {
  private builds = 0;

  private constructor(
    readonly account: SimulatedAccount,
    readonly deployment: LocalDeployment,
    private readonly pipeline: EC2Client,
    private readonly instanceId: string,
  ) {}

  static async start(
    dynamoEndpoint: string,
    config = pointerConfig(),
    /** sees every client the runtime builds (fault scenarios add middleware to DynamoDB's) */
    observeClient?: Parameters<typeof LocalDeployment.start>[0]["observeClient"],
  ): Promise<PointerWorld> {
    const account = new SimulatedAccount({ regions: scenarioRegions, seed: 7 });
    for (const region of ["eu-west-1", "ap-southeast-2"])
      account.createKey(region, { alias: "alias/ami-lifecycle" });
    const base = account.seedImage("us-east-1", { name: "amzn2023-base" });
    const instanceId = account.runInstance("us-east-1", base);
    account.drainEvents();
    const deployment = await LocalDeployment.start({
      config,
      account,
      dynamoEndpoint,
      ...(observeClient ? { observeClient } : {}),
    });
    const pipeline = account.client(EC2Client, "us-east-1");
    return new PointerWorld(account, deployment, pipeline, instanceId);
  }

  /** The runtime's reaction ports. */
  get reactions(): ReactionDependencies {
    return this.deployment.runtime.reactions;
  }

  /** The ports rollback and promote need (the runtime always wires pointers). */
  get pointerDeps(): PointerDependencies {
    const { pointers } = this.reactions;
    if (!pointers) throw new Error("the runtime has no pointers");
    return { ...this.reactions, pointers };
  }

  /** Starts one build in us-east-1 (events are not delivered yet); returns its image id. */
  async startBuild(): Promise<string> {
    this.builds += 1;
    const { ImageId } = await this.pipeline.send(
      new CreateImageCommand({ InstanceId: this.instanceId, Name: `web-2026.11.${20 + this.builds}` }),
    );
    return ImageId ?? "";
  }

  /** Builds `count` versions one after another, each settled (copied everywhere) before the next. */
  async buildVersions(count: number): Promise<void> {
    for (let built = 0; built < count; built++) {
      await this.startBuild();
      await this.settle();
    }
  }

  /** Lets builds and copies finish (copies take 20 minutes), delivering as EventBridge may. */
  async settle(policy: { shuffle?: boolean; maxCopies?: number; seed?: number } = {}): Promise<void> {
    await this.deployment.pump(policy);
    for (let step = 0; step < 8; step++) await this.deployment.advance(5 * MINUTE, policy);
  }

  /** The image id of a version in a region, from the registry. */
  async imageOf(version: number, region: string): Promise<string | undefined> {
    return (await this.reactions.registry.getVersion(pointerFamily, version))?.regions[region]?.imageId;
  }

  /** What `latest` holds in each scenario region. */
  async latestEverywhere(): Promise<Record<string, string | undefined>> {
    const name = latestPointerName(this.reactions.config.pointers.namePattern, pointerFamily);
    const held: Record<string, string | undefined> = {};
    for (const region of scenarioRegions)
      held[region] = await this.pointerDeps.pointers.getPointer(region, name);
    return held;
  }

  /** The image ids of a version per scenario region. */
  async imagesOf(version: number): Promise<Record<string, string | undefined>> {
    const images: Record<string, string | undefined> = {};
    for (const region of scenarioRegions) images[region] = await this.imageOf(version, region);
    return images;
  }

  /** The "available" state-change events delivered so far for an image. */
  availableEventsOf(imageId: string): EventBridgeEvent[] {
    return this.deployment.deliveries
      .map((delivery) => delivery.event)
      .filter(
        (event) =>
          event["detail-type"] === "EC2 AMI State Change" &&
          (event.detail as { ImageId?: string; State?: string }).ImageId === imageId &&
          (event.detail as { State?: string }).State === "available",
      );
  }

  stop(): Promise<void> {
    this.pipeline.destroy();
    return this.deployment.stop();
  }
}
