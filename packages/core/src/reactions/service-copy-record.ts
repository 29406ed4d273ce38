import type { ReactionDependencies } from "./dependencies";
import type { ImageApiCallInput } from "./inputs";
import { versionTags } from "./tagging";
import { versionFromTags } from "./version-from-tags";

/**
 * Why the CloudTrail record of a CopyImage call needs no reaction, or undefined when it may need one.
 *
 * Each copy the service starts produces such a record in its destination region. By then the copy is
 * already recorded (written right after CopyImage returned) and tagged (TagSpecifications), and its
 * state changes follow as their own events, so reacting would only re-read what is known. Decided from
 * EC2 and the registry, never from the record (anyone can imitate a client token): the image must be
 * the one the registry holds for that region, started by the service, still pending, with every lifecycle
 * tag in place. Only reads: an event answered here has no effect, so it needs no idempotency record.
 */
export async function serviceCopyAlreadyRecorded(
  deps: Pick<ReactionDependencies, "config" | "registry" | "images">,
  call: ImageApiCallInput,
): Promise<string | undefined> {
  if (call.eventName !== "CopyImage") return undefined;
  if (!deps.config.accounts.includes(call.accountId) || !deps.config.regions.includes(call.region)) {
    return undefined;
  }
  const image = await deps.images.describeImage(call.region, call.imageId);
  if (image?.state !== "pending") return undefined;
  const known = await versionFromTags(deps, image);
  const recorded = known?.version.regions[call.region];
  if (!known || recorded?.role !== "copy" || recorded.state !== "pending" || recorded.copyAttempts < 1) {
    return undefined;
  }
  const wanted = versionTags(known.version, known.version.createdBy);
  if (Object.entries(wanted).some(([key, value]) => image.tags[key] !== value)) return undefined;
  return `copy started by the service, already recorded as v${known.version.version} of ${known.version.family}`;
}
