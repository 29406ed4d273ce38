/**
 * The lifecycle tags the service writes on images and snapshots. One documented set: the README's
 * "Tags" table is generated from these descriptions.
 */
export const LifecycleTag = {
  /** the family the image belongs to */
  family: "ami-lifecycle:family",
  /** the version number within the family (decimal) */
  version: "ami-lifecycle:version",
  /** "true" on every image and snapshot the service manages; the IAM conditions of destructive actions use it */
  managed: "ami-lifecycle:managed",
  /** id of the image the version was built as (its own id on the source image) */
  sourceImage: "ami-lifecycle:source-image",
  /** region of that source image */
  sourceRegion: "ami-lifecycle:source-region",
  /** who built the image (CloudTrail principal), when known */
  createdBy: "ami-lifecycle:created-by",
  /** when the image was created (ISO-8601) */
  createdAt: "ami-lifecycle:created-at",
  /** when the service adopted an image built before it (ISO-8601); only on adopted images */
  adoptedAt: "ami-lifecycle:adopted-at",
} as const;

/** Value of the managed tag. */
export const managedTagValue = "true";

/** Everything needed to write the lifecycle tags of one version's image. */
export interface LifecycleTagInput {
  family: string;
  version: number;
  sourceImageId: string;
  sourceRegion: string;
  createdBy?: string;
  createdAt: string;
}

/** The lifecycle tags for one version's image (source or copy); the same set goes on its snapshots. */
export function lifecycleTags(input: LifecycleTagInput): Record<string, string> {
  const tags: Record<string, string> = {
    [LifecycleTag.family]: input.family,
    [LifecycleTag.version]: String(input.version),
    [LifecycleTag.managed]: managedTagValue,
    [LifecycleTag.sourceImage]: input.sourceImageId,
    [LifecycleTag.sourceRegion]: input.sourceRegion,
    [LifecycleTag.createdAt]: input.createdAt,
  };
  // Tag values allow 256 characters; principal ARNs fit, but cut defensively.
  if (input.createdBy) tags[LifecycleTag.createdBy] = input.createdBy.slice(0, 256);
  return tags;
}

/** True when the image carries the managed tag (necessary, not sufficient: the registry decides). */
export function hasManagedTag(tags: Record<string, string>): boolean {
  return tags[LifecycleTag.managed] === managedTagValue;
}
