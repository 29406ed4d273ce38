import { type Notification, subjectLine } from "../notifications/notification";

/** What the guard knows about an image made public. */
export interface PublicSharingFacts {
  region: string;
  imageId: string;
  imageName: string;
  /** the family and team of a managed image; absent for an image the service does not manage */
  family?: string;
  team?: string;
  version?: number;
  /** who made the call, from CloudTrail */
  actor?: string;
  eventName: string;
  eventTime: string;
  cloudTrailEventId: string;
  /** reverted: made private again; reported: left as it is (alert mode, or not managed) */
  action: "reverted" | "reported";
}

/** The public-sharing alert, for the family's team and for the security topic alike. */
export function publicSharingNotification(facts: PublicSharingFacts): Notification {
  const who = facts.actor ?? "an unknown principal";
  const what = facts.family
    ? `${facts.family}${facts.version !== undefined ? ` v${facts.version}` : ""} (${facts.imageId})`
    : `unmanaged image ${facts.imageId}`;
  const outcome =
    facts.action === "reverted"
      ? "ami-lifecycle removed the public launch permission."
      : "It was left public: make it private or confirm it is meant to be.";
  return {
    eventType: "public-sharing",
    family: facts.family ?? "(unmanaged)",
    team: facts.team ?? "security",
    severity: "error",
    region: facts.region,
    subject: subjectLine(`${what} made public in ${facts.region}`),
    body: `${who} made ${facts.imageId} (${facts.imageName}) public with ${facts.eventName} at ${facts.eventTime}. ${outcome}`,
    detail: { eventType: "public-sharing", ...facts, managed: facts.family !== undefined },
  };
}

/** The alert that image block public access is off in some regions. */
export function publicAccessUnblockedNotification(regions: readonly string[], now: Date): Notification {
  return {
    eventType: "public-access-unblocked",
    family: "(account)",
    team: "security",
    severity: "warning",
    region: regions[0] ?? "",
    subject: subjectLine(`Image block public access is off in ${regions.join(", ")}`),
    body:
      `Anyone allowed to call ModifyImageAttribute can make AMIs public in ${regions.join(", ")}. ` +
      "Turn it on with EnableImageBlockPublicAccess (block-new-sharing).",
    detail: { eventType: "public-access-unblocked", regions: [...regions], checkedAt: now.toISOString() },
  };
}
