import type { BatchState, FleetStateCode, Image, Snapshot } from "@aws-sdk/client-ec2";
import type { MetadataBearer, Pluggable } from "@smithy/types";
import { SimClock } from "./clock";
import { putAlarm } from "./cloudwatch";
import { DEFAULT_CONCURRENT_COPY_QUOTA } from "./ec2/copy";
import { renderSnapshot } from "./ec2/describe";
import * as fleets from "./ec2/fleets";
import { renderImage } from "./ec2/images";
import { binnedImages } from "./ec2/recycle-bin";
import { createEventBus, findEventBus } from "./eventbridge";
import type { EventBridgeEvent } from "./events";
import { FaultInjector, type FaultOptions } from "./faults";
import { IamAuthorizer } from "./iam/authorizer";
import { createKey, resolveKey } from "./kms";
import { type CredentialRoute, type SimBackend, simulatedAccountPlugin } from "./middleware";
import { Pacing, type PacingOptions } from "./pace/pacing";
import type { SimTimeline } from "./pace/timeline";
import { type SeedRuleOptions, seedRule } from "./rbin";
import * as seed from "./seed";
import { createTopic } from "./sns";
import { createQueue } from "./sqs";
import { putParameter } from "./ssm";
import type { PublishedMessage } from "./state";
import { type SimDurations, SimWorld } from "./world";

const MINUTE_MS = 60_000;

/** Options of a simulated account. */
export interface SimulatedAccountOptions {
  accountId?: string;
  regions?: string[];
  clock?: SimClock;
  faults?: FaultOptions;
  /** Pending durations on the sim clock (defaults: create 10 min, copy 20 min, register 1 min). */
  durations?: Partial<SimDurations>;
  /** Concurrent CopyImage limit per destination region (default 100). */
  copyQuota?: number;
  /** Seed of resource and request ids (default 1). */
  seed?: number;
  /**
   * Emit the CloudTrail records of CreateTags and DeleteTags (default false). CloudTrail records every
   * tagging call; they are opt-in here so scenarios that don't watch tags keep their event streams.
   */
  recordTagCalls?: boolean;
  /** AMIs per region, images in the Recycle Bin included (default 50,000, AWS's quota). */
  amiQuota?: number;
  /**
   * EC2 token buckets and call latency on the simulated clock (both off by default: calls are instant
   * and unlimited). With latency on, calls sleep on `timeline`, so the clock moves while they run.
   */
  pacing?: PacingOptions;
}

/** Options when connecting a client. */
export interface ConnectOptions {
  /** The caller's identity, as CloudTrail records it. */
  principalArn?: string;
  /** Session credentials that land in another account (set by SimulatedOrganization). */
  route?: CredentialRoute;
}

/** An SDK v3 client the simulated account can plug into. */
export interface SimulatableClient {
  config: { serviceId?: string; region: unknown };
  /** `never`: clients of another SDK generation (the pinned rbin client) type their plugins with their own smithy types. */
  middlewareStack: { use(plugin: never): void };
}

/** Fake static credentials: the request is signed but never leaves the process. */
const SIMULATED_CREDENTIALS = { accessKeyId: "ASIASIMULATED", secretAccessKey: "simulated-secret" };

/**
 * A multi-region, in-memory AWS account (EC2 images and snapshots, KMS, SNS, SSM, EventBridge
 * PutEvents) plugged beneath real SDK v3 clients, so adapters, paginators, waiters and retries run unchanged.
 */
export class SimulatedAccount {
  readonly accountId: string;
  readonly clock: SimClock;
  /** IAM: the principals whose calls are evaluated, and the denials so far. */
  readonly iam: IamAuthorizer;
  private readonly world: SimWorld;
  private readonly faults: FaultInjector;
  private readonly pacing: Pacing;
  private counts = new Map<string, number>();
  private imageCounts = new Map<string, number>();
  /** "region:Operation" of every applied call in order, once a test asked for it (benches make millions). */
  private appliedLog: string[] | undefined;

  constructor(options: SimulatedAccountOptions = {}) {
    this.accountId = options.accountId ?? "111122223333";
    this.clock = options.clock ?? new SimClock();
    this.faults = new FaultInjector(options.faults);
    this.pacing = new Pacing(this.clock, options.pacing);
    this.iam = new IamAuthorizer(this.accountId);
    this.world = new SimWorld(
      this.accountId,
      options.regions ?? ["us-east-1", "eu-west-1", "ap-southeast-2"],
      this.clock,
      {
        createImageMs: options.durations?.createImageMs ?? 10 * MINUTE_MS,
        copyImageMs: options.durations?.copyImageMs ?? 20 * MINUTE_MS,
        registerImageMs: options.durations?.registerImageMs ?? MINUTE_MS,
      },
      options.copyQuota ?? DEFAULT_CONCURRENT_COPY_QUOTA,
      options.seed ?? 1,
    );
    this.world.recordTagCalls = options.recordTagCalls ?? false;
    this.world.amiQuota = options.amiQuota ?? this.world.amiQuota;
  }

  /** The timeline paced calls sleep on; `timeline.hold` stops the clock while real I/O runs. */
  get timeline(): SimTimeline {
    return this.pacing.timeline;
  }

  /** Tokens left in a region's EC2 bucket for an API, or undefined when throttling is off. */
  tokens(region: string, operation: string): number | undefined {
    return this.pacing.tokens(region, operation);
  }

  /** The regions of the account. */
  get regions(): string[] {
    return [...this.world.regions.keys()];
  }

  /** The default principal: an assumed role of the account. */
  get defaultPrincipalArn(): string {
    return `arn:aws:sts::${this.accountId}:assumed-role/ami-operator/simulated-session`;
  }

  /** Builds a client of the given class in a region, with fake credentials and the simulation attached. */
  client<C extends SimulatableClient, Config extends object>(
    ClientClass: new (config: Config) => C,
    region: string,
    options: ConnectOptions & { config?: Partial<Config> } = {},
  ): C {
    this.world.region(region);
    const client = new ClientClass({
      region,
      credentials: SIMULATED_CREDENTIALS,
      ...options.config,
    } as unknown as Config);
    return this.attach(client, options);
  }

  /** Plugs the simulation beneath an existing client (its region decides where calls land). */
  attach<C extends SimulatableClient>(client: C, options: ConnectOptions = {}): C {
    const service = client.config.serviceId;
    if (!service)
      throw new Error("The client has no serviceId; the simulated account needs an AWS SDK v3 client");
    const regionConfig = client.config.region;
    const region = async () =>
      typeof regionConfig === "function"
        ? String(await (regionConfig as () => Promise<string>)())
        : String(regionConfig);
    const backend = this.backend();
    const plugin: Pluggable<object, MetadataBearer> = simulatedAccountPlugin(backend, {
      service,
      region,
      principalArn: options.principalArn ?? this.defaultPrincipalArn,
      ...(options.route ? { route: options.route } : {}),
    });
    client.middlewareStack.use(plugin as never);
    return client;
  }

  /** What the middleware needs of this account (SimulatedOrganization routes session calls to it). */
  backend(): SimBackend {
    return {
      world: this.world,
      faults: this.faults,
      iam: this.iam,
      pacing: this.pacing,
      countCall: (callRegion, operation) => {
        const key = `${callRegion}:${operation}`;
        this.counts.set(key, (this.counts.get(key) ?? 0) + 1);
      },
      countApplied: (callRegion, operation, input) => {
        this.appliedLog?.push(`${callRegion}:${operation}`);
        const imageId = (input as { ImageId?: unknown }).ImageId;
        if (typeof imageId !== "string") return;
        const key = `${callRegion}:${operation}:${imageId}`;
        this.imageCounts.set(key, (this.imageCounts.get(key) ?? 0) + 1);
      },
    };
  }

  /** The account's state, for the simulated organization it belongs to (not for tests: they use the SDK). */
  simWorld(): SimWorld {
    return this.world;
  }

  /** Moves the sim clock forward and finishes the images that became ready meanwhile. */
  advance(ms: number): void {
    this.clock.advance(ms);
    this.world.settle();
  }

  /** Events AWS would have delivered (all regions, in emission order) since the last drain; then cleared. */
  drainEvents(): EventBridgeEvent[] {
    this.world.settle();
    return this.world.events.splice(0, this.world.events.length);
  }

  /** Replaces the fault settings (and reseeds their random source). */
  setFaults(options: FaultOptions): void {
    this.faults.configure(options);
  }

  /** Attempts per "region:Operation" (e.g. "us-east-1:DescribeImages"), retries and faulted attempts included. */
  callCounts(): Record<string, number> {
    return Object.fromEntries(this.counts);
  }

  /**
   * Calls EC2 applied per image, "region:Operation:ImageId" (only calls naming one `ImageId`; throttled,
   * denied and faulted attempts are not counted): shows whether a step was asked of an image twice.
   */
  appliedImageCalls(): Record<string, number> {
    return Object.fromEntries(this.imageCounts);
  }

  /** Starts (or restarts, empty) the log that appliedCallOrder() returns. */
  recordCallOrder(): void {
    this.appliedLog = [];
  }

  /**
   * Every call the account applied since recordCallOrder(), as "region:Operation" in the order applied
   * (throttled, denied and faulted attempts left out): shows the order of a use case's steps.
   */
  appliedCallOrder(): string[] {
    if (!this.appliedLog) throw new Error("call recordCallOrder() before reading appliedCallOrder()");
    return [...this.appliedLog];
  }

  /** Clears callCounts() and appliedImageCalls(). */
  resetCallCounts(): void {
    this.counts = new Map();
    this.imageCounts = new Map();
  }

  /** Creates a symmetric KMS key in the region (optionally aliased) and returns its ARN. */
  createKey(region: string, options: { alias?: string; description?: string } = {}): string {
    return createKey(this.world, region, options).arn;
  }

  /** Sets the key policy of a key (id, ARN or alias) in the region, as PutKeyPolicy does; false when none. */
  putKeyPolicy(region: string, reference: string, policy: object): boolean {
    const key = resolveKey(this.world, region, reference);
    if (!key) return false;
    key.policy = policy;
    return true;
  }

  /** The ARN of the key a reference (id, ARN, alias name or alias ARN) names in the region, if it exists. */
  keyArn(region: string, reference: string): string | undefined {
    return resolveKey(this.world, region, reference)?.arn;
  }

  /** Creates an SNS topic (optionally encrypted with a key ARN, with an access policy) and returns its ARN. */
  createTopic(region: string, name: string, options: { kmsKeyArn?: string; policy?: object } = {}): string {
    return createTopic(this.world, region, name, options);
  }

  /** Creates (or returns) a custom EventBridge bus; `policy` is its resource policy (other accounts' PutEvents). */
  createEventBus(region: string, name: string, options: { policy?: object } = {}): string {
    return createEventBus(this.world, region, name, options);
  }

  /** The events put on a custom bus of this account, oldest first (copies). */
  busEvents(busArn: string): EventBridgeEvent[] {
    return structuredClone(findEventBus(this.world, busArn)?.received ?? []);
  }

  /** Creates (or returns) an SQS queue; returns its URL. */
  createQueue(region: string, name: string): string {
    return createQueue(this.world, region, name);
  }

  /** Creates (or keeps) a CloudWatch metric alarm; returns its ARN. */
  createAlarm(region: string, name: string): string {
    return putAlarm(this.world, region, name).arn;
  }

  /** Seeds an available image with one snapshot, without events (as if it existed before the test). */
  seedImage(region: string, options: seed.SeedImageOptions): string {
    return seed.seedImage(this.world, region, options);
  }

  /** Seeds an active Recycle Bin rule (as if created long before the test, so no activation delay); returns its id. */
  seedRecycleBinRule(region: string, options: SeedRuleOptions): string {
    return seedRule(this.world, region, options);
  }

  /** Ids of the images in the region's Recycle Bin now. */
  imagesInRecycleBin(region: string): string[] {
    this.world.settle();
    return binnedImages(this.world.region(region)).map((image) => image.imageId);
  }

  /** Launches an instance from an available image (updates the image's LastLaunchedTime) and returns its id. */
  runInstance(region: string, imageId: string): string {
    this.world.settle();
    return seed.runInstance(this.world, region, imageId);
  }

  /** Terminates an instance; EC2 keeps showing it for about an hour. */
  terminateInstance(region: string, instanceId: string): void {
    seed.setInstanceState(this.world, region, instanceId, "terminated");
  }

  /** Stops an instance (it still references its image). */
  stopInstance(region: string, instanceId: string): void {
    seed.setInstanceState(this.world, region, instanceId, "stopped");
  }

  /** Creates a launch template whose version 1 uses the image; returns its id. */
  createLaunchTemplate(region: string, name: string, imageId?: string): string {
    return seed.createLaunchTemplate(this.world, region, name, imageId);
  }

  /** Adds a version to a launch template (optionally making it the default); returns the version number. */
  addLaunchTemplateVersion(
    region: string,
    launchTemplateId: string,
    imageId?: string,
    options: { makeDefault?: boolean } = {},
  ): number {
    return seed.addLaunchTemplateVersion(
      this.world,
      region,
      launchTemplateId,
      imageId,
      options.makeDefault ?? false,
    );
  }

  /** Puts an SSM parameter as PutParameter would (Overwrite true); returns the version. */
  putParameter(
    region: string,
    name: string,
    value: string,
    dataType: "text" | "aws:ec2:image" = "text",
  ): number {
    this.world.settle();
    return putParameter(this.world, region, {
      Name: name,
      Value: value,
      DataType: dataType,
      Type: "String",
      Overwrite: true,
    });
  }

  /** Creates an EC2 Fleet as CreateFleet would (its templates and override images must exist); returns its id. */
  createFleet(region: string, fleet: fleets.FleetSeed): string {
    return fleets.createFleet(this.world, region, fleet);
  }

  /** Moves an EC2 Fleet to a state, as DeleteFleets and the fleet's own progress do. */
  setFleetState(region: string, fleetId: string, state: FleetStateCode): void {
    fleets.setFleetState(this.world, region, fleetId, state);
  }

  /** Requests a Spot Fleet as RequestSpotFleet would (launch specifications or launch template configs); returns its id. */
  requestSpotFleet(region: string, request: fleets.SpotFleetSeed): string {
    return fleets.requestSpotFleet(this.world, region, request);
  }

  /** Moves a Spot Fleet request to a state, as CancelSpotFleetRequests and the request's own progress do. */
  setSpotFleetRequestState(region: string, spotFleetRequestId: string, state: BatchState): void {
    fleets.setSpotFleetRequestState(this.world, region, spotFleetRequestId, state);
  }

  /** Records an Image Builder recipe that uses the image; returns its ARN. */
  addImageRecipe(
    region: string,
    name: string,
    imageId: string,
    kind: "image" | "container" = "image",
  ): string {
    return seed.addRecipe(this.world, region, name, imageId, kind);
  }

  /** One image as DescribeImages would show it (any state, deregistered included), or undefined. */
  image(region: string, imageId: string): Image | undefined {
    this.world.settle();
    const image = this.world.region(region).images.get(imageId);
    return image ? renderImage(this.world, image) : undefined;
  }

  /** Every image of the region that is not deregistered, disabled ones included. */
  images(region: string): Image[] {
    this.world.settle();
    return this.world.registeredImages(region).map((image) => renderImage(this.world, image));
  }

  /** Every snapshot of the region. */
  snapshots(region: string): Snapshot[] {
    this.world.settle();
    return [...this.world.region(region).snapshots.values()]
      .sort((a, b) => a.sequence - b.sequence)
      .map((snapshot) => renderSnapshot(this.world, snapshot));
  }

  /** SNS messages published so far (optionally for one topic), oldest first. */
  published(topicArn?: string): PublishedMessage[] {
    return this.world.published
      .filter((message) => topicArn === undefined || message.topicArn === topicArn)
      .map((message) => structuredClone(message));
  }
}
