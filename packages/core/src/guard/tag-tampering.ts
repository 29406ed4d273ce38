import type { Config } from "../config";
import type { Effect } from "../effects";
import { ConfigError } from "../errors";
import type { ImageTagChange, NamedTag } from "../events/image-tag-change";
import { once } from "../notifications/once";
import type { GuardDependencies } from "./guard-dependencies";
import { type RecordedResource, tagTamperingNotification } from "./messages";

/** What the tamper guard did with one tagging call. */
export interface TagTamperingOutcome {
  outcome: "reported" | "ignored";
  region: string;
  cloudTrailEventId: string;
  reason?: string;
  /** the lifecycle tags the call named (keep tags left out) */
  tags: NamedTag[];
  recorded: RecordedResource[];
  effects: Effect[];
}

/**
 * The tamper guard. A CreateTags or DeleteTags by anyone but the service's own roles that names an
 * `ami-lifecycle:*` tag (or deletes every tag of an image the registry records) is reported to the
 * security topic, once per CloudTrail event. Nothing in EC2 is changed here: the sweep re-asserts the
 * service's tags from the registry, and no decision of the service reads them as proof. Keep tags are not
 * tampering: anyone may ask the service to keep an image.
 */
export async function reportTagTampering(
  deps: GuardDependencies,
  change: ImageTagChange,
): Promise<TagTamperingOutcome> {
  const tags = change.lifecycleTags.filter((tag) => !isKeepTag(deps.config, tag.key));
  const base = {
    region: change.region,
    cloudTrailEventId: change.cloudTrailEventId,
    tags,
    recorded: [] as RecordedResource[],
    effects: [] as Effect[],
  };
  if (change.errorCode) return { ...base, outcome: "ignored", reason: `call failed (${change.errorCode})` };
  if (!deps.serviceRoleArns) {
    // Without its own roles the guard would report the service's every tag write (or, ignoring, none).
    throw new ConfigError(
      [{ path: "SERVICE_ROLE_ARNS", message: "must list the service's role ARNs (the stacks set it)" }],
      "tamper guard",
    );
  }
  if (isServiceTaggingCall(deps, change)) {
    return { ...base, outcome: "ignored", reason: "the service's own call" };
  }
  if (tags.length === 0 && !change.allTagsDeleted) {
    return { ...base, outcome: "ignored", reason: "no lifecycle tag named" };
  }
  const recorded = await recordedImages(deps, change.resourceIds);
  if (tags.length === 0 && recorded.length === 0) {
    // Deleting every tag of something the service never recorded removes no lifecycle tag it relies on.
    return { ...base, outcome: "ignored", reason: "every tag deleted, on nothing the registry records" };
  }
  const notification = tagTamperingNotification({
    region: change.region,
    eventName: change.eventName,
    eventTime: change.eventTime,
    cloudTrailEventId: change.cloudTrailEventId,
    ...(change.actor ? { actor: change.actor } : {}),
    resourceIds: change.resourceIds,
    tags,
    allTagsDeleted: change.allTagsDeleted,
    recorded,
  });
  const security = deps.securityNotifier;
  const effects: Effect[] = [];
  const key = `notify:tag-tampering:${change.cloudTrailEventId}:security`;
  if (await once(deps, key, () => security.publish(notification)))
    effects.push({ kind: "security-notified", type: "tag-tampering" });
  deps.log.warn("lifecycle tags changed by someone else", {
    actor: change.actor,
    resourceIds: change.resourceIds,
    tags,
    effects,
  });
  return { ...base, recorded, outcome: "reported", effects };
}

/** True when one of the service's own roles made the call (by the session's role, as CloudTrail records it). */
export function isServiceTaggingCall(
  deps: Pick<GuardDependencies, "serviceRoleArns">,
  change: Pick<ImageTagChange, "callerRoleArn">,
): boolean {
  return change.callerRoleArn !== undefined && (deps.serviceRoleArns ?? []).includes(change.callerRoleArn);
}

/** The configured keep tags are for people to set: keeping is always safe. */
function isKeepTag(config: Config, key: string): boolean {
  return config.families.some((family) => family.retention.keepTag.key === key);
}

/** The named images the registry records (snapshots are found through their image by the sweep). */
async function recordedImages(
  deps: Pick<GuardDependencies, "registry">,
  resourceIds: readonly string[],
): Promise<RecordedResource[]> {
  const recorded: RecordedResource[] = [];
  for (const imageId of resourceIds.filter((id) => id.startsWith("ami-"))) {
    const location = await deps.registry.findByImageId(imageId);
    if (location) recorded.push({ imageId, family: location.family, version: location.version });
  }
  return recorded;
}
