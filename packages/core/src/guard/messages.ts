import type { NamedTag } from "../events/image-tag-change";
import { type Notification, subjectLine } from "../notifications/notification";

/** An image the registry records among the resources a foreign tagging call touched. */
export interface RecordedResource {
  imageId: string;
  family: string;
  version: number;
}

/** What the tamper guard knows about a foreign CreateTags / DeleteTags on lifecycle tags. */
export interface TagTamperingFacts {
  region: string;
  eventName: "CreateTags" | "DeleteTags";
  eventTime: string;
  cloudTrailEventId: string;
  /** who made the call, from CloudTrail */
  actor?: string;
  resourceIds: string[];
  /** the lifecycle tags the call named; empty when `allTagsDeleted` */
  tags: NamedTag[];
  allTagsDeleted: boolean;
  /** the named images the registry records (the service manages them; the sweep puts their tags back) */
  recorded: RecordedResource[];
}

/** The tag-tampering alert for the security topic. */
export function tagTamperingNotification(facts: TagTamperingFacts): Notification {
  const who = facts.actor ?? "an unknown principal";
  const verb = facts.eventName === "CreateTags" ? "wrote" : "deleted";
  const what = facts.allTagsDeleted
    ? "every tag"
    : facts.tags.map((tag) => (tag.value === undefined ? tag.key : `${tag.key}=${tag.value}`)).join(", ");
  const family = facts.recorded[0]?.family;
  const consequence =
    facts.recorded.length > 0
      ? "The service ignores these tags for every decision and the next sweep puts its own back from the registry."
      : "The registry records none of the named images (the sweep checks recorded snapshots): the tags make nothing managed, but someone tried.";
  return {
    eventType: "tag-tampering",
    family: family ?? "(unmanaged)",
    team: "security",
    severity: "error",
    region: facts.region,
    subject: subjectLine(`Lifecycle tags ${verb} by someone else in ${facts.region}`),
    body: `${who} ${verb} ${what} on ${facts.resourceIds.join(", ")} with ${facts.eventName} at ${facts.eventTime}. ${consequence}`,
    detail: { eventType: "tag-tampering", ...facts, managed: facts.recorded.length > 0 },
  };
}
