import type { ImageRecord } from "../../model";
import { hasManagedTag, LifecycleTag } from "../../tags/lifecycle-tags";
import type { KeepRule, PlanContext } from "../context";

/**
 * not-managed: the service only ever touches an image that it owns and that says it belongs to this
 * version (managed tag, family tag and version tag all match the registry), owned by one of the
 * configured accounts. Any other image is kept, and so is the rest of its version: retirement is staged
 * consistently across regions, and a region we may not touch could never complete a stage.
 */
export const notManaged: KeepRule = (version, context) => {
  const causes: string[] = [];
  for (const image of version.images) {
    const why = unmanagedCause(image, context, version.version);
    if (why) causes.push(`${image.imageId} in ${image.region} ${why}`);
  }
  if (causes.length === 0) return undefined;
  return { rule: "not-managed", message: causes.join("; ") };
};

/** Why the image is not the service's to retire as this version, or undefined when it is. */
export function unmanagedCause(
  image: ImageRecord,
  context: PlanContext,
  version: number,
): string | undefined {
  if (context.accounts && !context.accounts.has(image.ownerId)) {
    return `is owned by ${image.ownerId}, not a managed account`;
  }
  if (!hasManagedTag(image.tags)) return `lacks the ${LifecycleTag.managed} tag`;
  if (image.tags[LifecycleTag.family] !== context.familyName) {
    return `is tagged for family ${image.tags[LifecycleTag.family] ?? "(none)"}`;
  }
  if (image.tags[LifecycleTag.version] !== String(version)) {
    return `is tagged as version ${image.tags[LifecycleTag.version] ?? "(none)"}`;
  }
  return undefined;
}

/** The reason on an image tagged for the family that the registry does not know. */
export function unregisteredReason(): { rule: "not-managed"; message: string } {
  return { rule: "not-managed", message: "tagged for this family but not in the registry: never touched" };
}
