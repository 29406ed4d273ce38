import type { Effect } from "../effects";
import { ImageNotFoundError } from "../errors";
import type { ImagePermissionChange } from "../events/image-permission-change";
import { notifyOnce, once } from "../notifications/once";
import type { LaunchPermissions } from "../ports";
import type { GuardDependencies } from "./guard-dependencies";
import { type PublicSharingFacts, publicSharingNotification } from "./public-sharing-messages";

/** What the guard did with one permission change. */
export interface PublicSharingOutcome {
  outcome: "reverted" | "reported" | "not-public" | "ignored";
  region: string;
  imageId: string;
  family?: string;
  version?: number;
  reason?: string;
  effects: Effect[];
}

/**
 * The public-sharing guard. Reads the image's launch permissions from EC2 (the event only says a call was
 * made): when group `all` is there, a managed image is made private again (guard.publicImages "revert")
 * and its team and the security topic are told who did it; an image the service does not manage is only
 * reported to the security topic and never modified. Every effect is claimed by CloudTrail's eventID, and
 * the alerts go out before the revert, so a retry after any failure neither repeats nor loses one.
 */
export async function guardPublicSharing(
  deps: GuardDependencies,
  change: ImagePermissionChange,
): Promise<PublicSharingOutcome> {
  const base = { region: change.region, imageId: change.imageId, effects: [] as Effect[] };
  if (change.errorCode) return { ...base, outcome: "ignored", reason: `call failed (${change.errorCode})` };
  const image = await deps.images.describeImage(change.region, change.imageId);
  if (!image) return { ...base, outcome: "ignored", reason: "image not found" };
  let permissions: LaunchPermissions;
  try {
    permissions = await deps.sharing.getLaunchPermissions(change.region, change.imageId);
  } catch (error) {
    if (error instanceof ImageNotFoundError)
      return { ...base, outcome: "ignored", reason: "image not found" };
    throw error;
  }
  if (!permissions.public) return { ...base, outcome: "not-public" };

  // Managed means recorded by the registry in this region, never just tagged: anyone can write the tags.
  const recorded = deps.config.accounts.includes(image.ownerId)
    ? await deps.registry.findByImageId(change.imageId)
    : undefined;
  const location = recorded?.region === change.region ? recorded : undefined;
  const family = location
    ? deps.config.families.find((candidate) => candidate.name === location.family)
    : undefined;
  const revert = family !== undefined && deps.config.guard.publicImages === "revert";
  const facts: PublicSharingFacts = {
    region: change.region,
    imageId: change.imageId,
    imageName: image.name,
    ...(family ? { family: family.name, team: family.team } : {}),
    ...(location ? { version: location.version } : {}),
    ...(change.actor ? { actor: change.actor } : {}),
    eventName: change.eventName,
    eventTime: change.eventTime,
    cloudTrailEventId: change.cloudTrailEventId,
    action: revert ? "reverted" : "reported",
  };
  const notification = publicSharingNotification(facts);
  const key = `public-sharing:${change.cloudTrailEventId}`;
  const effects: Effect[] = [];
  if (family && (await notifyOnce(deps, `${key}:team`, notification)))
    effects.push({ kind: "notified", type: "public-sharing" });
  const security = deps.securityNotifier;
  if (await once(deps, `notify:${key}:security`, () => security.publish(notification))) {
    effects.push({ kind: "security-notified", type: "public-sharing" });
  }
  const outcome = {
    ...base,
    ...(family ? { family: family.name } : {}),
    ...(location ? { version: location.version } : {}),
  };
  if (!revert) return { ...outcome, outcome: "reported", effects };
  // The claim is the record of the event against the version: one revert per CloudTrail event.
  const recordKey = `${key}:revert:${family.name}:v${location?.version ?? "?"}:${change.region}`;
  const sharing = deps.sharing;
  if (
    await once(deps, recordKey, () =>
      sharing.modifyLaunchPermissions(change.region, change.imageId, {
        add: { accounts: [], organizationArns: [], organizationalUnitArns: [] },
        remove: { accounts: [], organizationArns: [], organizationalUnitArns: [], public: true },
      }),
    )
  ) {
    effects.push({ kind: "made-private" });
  }
  deps.log.warn("public image", { ...facts, effects });
  return { ...outcome, outcome: "reverted", effects };
}
