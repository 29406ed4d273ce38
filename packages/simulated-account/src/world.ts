import type { SimClock } from "./clock";
import { settleRecycleBin } from "./ec2/recycle-bin";
import { UnknownRegionError } from "./errors";
import {
  type AmiStateChangeDetail,
  type EventBridgeEvent,
  eventTime,
  toRequestParameters,
  userIdentity,
} from "./events";
import { IdSource } from "./ids";
import type { OrganizationView } from "./organization/view";
import { emptyRegion, type PublishedMessage, type RegionState, type SimImage } from "./state";

/** How long simulated work takes on the sim clock. */
export interface SimDurations {
  /** CreateImage and CreateRestoreImageTask: pending → available (default 10 min). */
  createImageMs: number;
  /** CopyImage: pending → available or failed (default 20 min). */
  copyImageMs: number;
  /** RegisterImage from an existing snapshot (default 1 min). */
  registerImageMs: number;
}

/** Who is calling, where, and under which request id. */
export interface CallContext {
  region: string;
  principalArn: string;
  requestId: string;
  /** snapshots DeregisterImage's DeleteAssociatedSnapshots may not delete (the caller lacks ec2:DeleteSnapshot) */
  undeletableSnapshots?: ReadonlySet<string>;
  /** on AssumeRole: whether the target role's trust policy lets the caller assume it (organization/sts.ts) */
  roleTrustsCaller?: boolean;
}

/** Terminated instances stay visible this long, as in EC2. */
export const TERMINATED_VISIBLE_MS = 60 * 60 * 1000;

/** The shared, mutable state of the simulated account plus the services every operation needs. */
export class SimWorld {
  readonly regions = new Map<string, RegionState>();
  readonly events: EventBridgeEvent[] = [];
  readonly published: PublishedMessage[] = [];
  readonly ids: IdSource;
  /** whether CreateTags / DeleteTags emit their CloudTrail records (SimulatedAccountOptions.recordTagCalls) */
  recordTagCalls = false;
  /** AMIs per region, registered and binned together (SimulatedAccountOptions.amiQuota) */
  amiQuota = 50_000;
  /** Set when the account belongs to a simulated organization: what it sees of the other accounts. */
  organization?: OrganizationView;
  private sequence = 0;

  constructor(
    readonly accountId: string,
    regionNames: readonly string[],
    readonly clock: SimClock,
    readonly durations: SimDurations,
    public copyQuota: number,
    seed: number,
  ) {
    for (const name of regionNames) this.regions.set(name, emptyRegion(name));
    this.ids = new IdSource(seed);
  }

  /** The state of a region, or UnknownRegionError. */
  region(name: string): RegionState {
    const state = this.regions.get(name);
    if (!state) throw new UnknownRegionError(name);
    return state;
  }

  /** A monotonically increasing number that orders resources by creation. */
  nextSequence(): number {
    this.sequence += 1;
    return this.sequence;
  }

  /** The current sim time as an ISO string with milliseconds, as EC2 reports CreationDate. */
  isoNow(): string {
    return this.clock.now().toISOString();
  }

  /** Images still registered (anything but deregistered), in creation order. */
  registeredImages(region: string): SimImage[] {
    return [...this.region(region).images.values()]
      .filter((image) => image.state !== "deregistered")
      .sort((a, b) => a.sequence - b.sequence);
  }

  /**
   * Finishes every pending image whose ready time has passed, in time order, emitting the state change
   * events AWS would. Called before each request and each inspection, so time can move freely.
   */
  settle(): void {
    const now = this.clock.nowMs();
    // Runs before every call: a plain loop, no copy of every image (a backlog has tens of thousands).
    const due: SimImage[] = [];
    for (const region of this.regions.values()) {
      for (const image of region.images.values()) {
        if (image.state === "pending" && image.readyAt !== undefined && image.readyAt <= now) due.push(image);
      }
    }
    due.sort((a, b) => (a.readyAt ?? 0) - (b.readyAt ?? 0) || a.sequence - b.sequence);
    for (const image of due) this.finishPending(image);
    settleRecycleBin(this);
  }

  private finishPending(image: SimImage): void {
    const region = this.region(image.region);
    const at = image.readyAt ?? this.clock.nowMs();
    const snapshots = image.blockDevices.map((device) => region.snapshots.get(device.snapshotId));
    if (image.plannedFailure !== undefined) {
      image.state = "failed";
      image.stateReason = { Code: image.plannedFailure.code, Message: image.plannedFailure.message };
      for (const snapshot of snapshots) if (snapshot?.state === "pending") snapshot.state = "error";
      this.emitStateChange(image, "failed", at, image.plannedFailure.message);
    } else {
      image.state = "available";
      for (const snapshot of snapshots) if (snapshot?.state === "pending") snapshot.state = "completed";
      this.emitStateChange(image, "available", at);
    }
    image.readyAt = undefined;
    image.plannedFailure = undefined;
  }

  /** Emits "EC2 AMI State Change" on the default bus of the image's region. */
  emitStateChange(
    image: SimImage,
    state: AmiStateChangeDetail["State"],
    atMs: number,
    errorMessage = "",
  ): void {
    const detail: AmiStateChangeDetail = {
      RequestId: image.requestId,
      ImageId: image.imageId,
      State: state,
      ErrorMessage: errorMessage,
    };
    this.events.push({
      version: "0",
      id: this.ids.uuid(),
      "detail-type": "EC2 AMI State Change",
      source: "aws.ec2",
      account: this.accountId,
      time: eventTime(atMs),
      region: image.region,
      resources: [`arn:aws:ec2:${image.region}::image/${image.imageId}`],
      detail: { ...detail },
    });
  }

  /** Emits the "AWS API Call via CloudTrail" record of a successful image-creating call. */
  emitCloudTrail(call: CallContext, eventName: string, input: object, imageId: string): void {
    this.emitCloudTrailCall(call, eventName, toRequestParameters(input as Record<string, unknown>), {
      requestId: call.requestId,
      imageId,
    });
  }

  /**
   * Emits the CloudTrail record of any successful EC2 call with the given requestParameters and
   * responseElements (ModifyImageAttribute records `{ requestId, _return: true }`).
   */
  emitCloudTrailCall(
    call: CallContext,
    eventName: string,
    requestParameters: Record<string, unknown>,
    responseElements: Record<string, unknown>,
  ): void {
    const time = eventTime(this.clock.nowMs());
    this.events.push({
      version: "0",
      id: this.ids.uuid(),
      "detail-type": "AWS API Call via CloudTrail",
      source: "aws.ec2",
      account: this.accountId,
      time,
      region: call.region,
      resources: [],
      detail: {
        eventVersion: "1.09",
        userIdentity: userIdentity(call.principalArn, this.accountId),
        eventTime: time,
        eventSource: "ec2.amazonaws.com",
        eventName,
        awsRegion: call.region,
        sourceIPAddress: "198.51.100.10",
        userAgent: "simulated-account",
        requestParameters,
        responseElements,
        requestID: call.requestId,
        eventID: this.ids.uuid(),
        readOnly: false,
        eventType: "AwsApiCall",
        managementEvent: true,
        recipientAccountId: this.accountId,
        eventCategory: "Management",
      },
    });
  }
}
