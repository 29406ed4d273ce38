import { amiIdSchema, type Config } from "@ami-lifecycle/core";
import type { SimulatedAccount } from "@ami-lifecycle/simulated-account";
import { eventTimeMs, type LoadedEvent } from "./load-events";

/** An image the events talk about, as the simulated account should hold it before they are replayed. */
export interface ImageToSeed {
  region: string;
  imageId: string;
  name: string;
  tags: Record<string, string>;
  source?: { imageId: string; region: string };
  state: "available" | "failed" | "disabled" | "deregistered";
  stateReason?: string;
  creationDate?: string;
}

/**
 * Derives the images the events need: names, tags and lineage from the CloudTrail records, the state
 * from the latest state change. An image only a state change names gets a placeholder name (it then
 * matches no family, as an image the service never saw would).
 */
export function imagesFromEvents(events: readonly LoadedEvent[]): ImageToSeed[] {
  const images = new Map<string, ImageToSeed>();
  const latestState = new Map<string, number>();
  const ordered = [...events].sort((a, b) => (eventTimeMs(a.event) ?? 0) - (eventTimeMs(b.event) ?? 0));
  for (const { event } of ordered) {
    const detail = (event.detail ?? {}) as Record<string, unknown>;
    const region = typeof event.region === "string" ? event.region : undefined;
    if (!region) continue;
    const entry = (imageId: string) => {
      let image = images.get(imageId);
      if (!image) {
        image = { region, imageId, name: `replayed-${imageId}`, tags: {}, state: "available" };
        images.set(imageId, image);
      }
      return image;
    };
    if (event["detail-type"] === "AWS API Call via CloudTrail" && detail.errorCode === undefined) {
      const response = (detail.responseElements ?? {}) as Record<string, unknown>;
      const request = (detail.requestParameters ?? {}) as Record<string, unknown>;
      if (!isAmiId(response.imageId)) continue;
      const image = entry(response.imageId);
      image.region = region;
      if (typeof request.name === "string") image.name = request.name;
      Object.assign(image.tags, requestedImageTags(request));
      if (typeof detail.eventTime === "string") image.creationDate = detail.eventTime;
      if (
        detail.eventName === "CopyImage" &&
        typeof request.sourceImageId === "string" &&
        typeof request.sourceRegion === "string"
      ) {
        image.source = { imageId: request.sourceImageId, region: request.sourceRegion };
      }
    }
    if (event["detail-type"] === "EC2 AMI State Change" && isAmiId(detail.ImageId)) {
      const image = entry(detail.ImageId);
      const state = detail.State;
      const time = eventTimeMs(event) ?? 0;
      if (
        (state === "available" || state === "failed" || state === "disabled" || state === "deregistered") &&
        time >= (latestState.get(detail.ImageId) ?? Number.NEGATIVE_INFINITY)
      ) {
        latestState.set(detail.ImageId, time);
        image.state = state;
        if (state === "failed" && typeof detail.ErrorMessage === "string")
          image.stateReason = detail.ErrorMessage;
      }
    }
  }
  // Sources before copies, so a copy's lineage points at an image that exists.
  return [...images.values()].sort((a, b) => Number(a.source !== undefined) - Number(b.source !== undefined));
}

/** Creates the config's KMS keys in their regions, so the service's own copies can succeed. */
export function seedKeys(account: SimulatedAccount, config: Config): void {
  const keys = new Set<string>();
  for (const family of config.families) {
    for (const destination of family.copyTo) {
      const alias = /alias\/[A-Za-z0-9/_-]+$/.exec(destination.kmsKeyId)?.[0];
      const key = `${destination.region} ${alias}`;
      if (alias && !keys.has(key) && account.regions.includes(destination.region)) {
        keys.add(key);
        account.createKey(destination.region, { alias });
      }
    }
  }
}

/**
 * Seeds one image unless the account has it already. EC2 names are unique per region: when the
 * service's own copy already took the name, the seeded image gets a suffix.
 */
export function seedImage(account: SimulatedAccount, image: ImageToSeed): boolean {
  if (!account.regions.includes(image.region) || account.image(image.region, image.imageId)) return false;
  const taken = new Set(account.images(image.region).map((existing) => existing.Name));
  let name = image.name;
  for (let suffix = 2; taken.has(name); suffix++) name = `${image.name}-${suffix}`;
  account.seedImage(image.region, {
    imageId: image.imageId,
    name,
    tags: image.tags,
    state: image.state,
    ...(image.stateReason ? { stateReason: image.stateReason } : {}),
    ...(image.source ? { source: image.source } : {}),
    ...(image.creationDate ? { creationDate: image.creationDate } : {}),
  });
  return true;
}

/** The image ids one event names (a state change's image, a CloudTrail call's new image and its source). */
export function imageIdsOf(event: Record<string, unknown>): string[] {
  const detail = (event.detail ?? {}) as Record<string, unknown>;
  const response = (detail.responseElements ?? {}) as Record<string, unknown>;
  const request = (detail.requestParameters ?? {}) as Record<string, unknown>;
  return [request.sourceImageId, detail.ImageId, response.imageId].filter(
    (id): id is string => typeof id === "string",
  );
}

/**
 * Only ids the handlers accept are seeded: an event with any other id is rejected by its handler before it
 * reads EC2, and seeding it first (its placeholder name may be one EC2 refuses) would hide that rejection.
 */
function isAmiId(value: unknown): value is string {
  return amiIdSchema.safeParse(value).success;
}

function requestedImageTags(request: Record<string, unknown>): Record<string, string> {
  const tags: Record<string, string> = {};
  const items = ((request.tagSpecificationSet ?? {}) as { items?: unknown }).items;
  if (!Array.isArray(items)) return tags;
  for (const item of items as { resourceType?: string; tags?: { key?: string; value?: string }[] }[]) {
    if (item.resourceType !== "image") continue;
    for (const tag of item.tags ?? []) if (tag.key) tags[tag.key] = tag.value ?? "";
  }
  return tags;
}
