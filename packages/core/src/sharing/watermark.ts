import type { FamilyConfig } from "../config";
import type { ReactionDependencies } from "../dependencies";
import type { Effect } from "../effects";
import type { ImageRecord, VersionRecord } from "../model";
import { type AccountView, failureOf, regionalKey, type SweepFailure } from "../sweep-results";

/**
 * The watermark name of a family's images (AttachImageWatermark, 3–128 characters): consumers, who cannot
 * see the owner's tags, and every copy they make, can tell the family (and, from the key, the owner).
 */
export function watermarkName(family: string): string {
  return `ami-lifecycle-${family}`;
}

/** The key EC2 gives the watermark: `accountId:name` (aws-facts §5). */
export function watermarkKey(ownerAccountId: string, family: string): string {
  return `${ownerAccountId}:${watermarkName(family)}`;
}

const indexes = new WeakMap<object, Map<string, ImageRecord>>();

/** The view's images by `region/imageId`, indexed once per view (every family of a sweep reads it). */
function imagesByKey(view: Pick<AccountView, "images">): Map<string, ImageRecord> {
  let index = indexes.get(view.images);
  if (!index) {
    index = new Map(view.images.map((image) => [regionalKey(image.region, image.imageId), image]));
    indexes.set(view.images, index);
  }
  return index;
}

/** True when the image already carries its family's watermark, as EC2 listed it. */
function carriesWatermark(image: ImageRecord, family: string): boolean {
  return (image.watermarkKeys ?? []).includes(watermarkKey(image.ownerId, family));
}

/**
 * Watermarks a version's image that became available (source or copy), unless EC2 shows it already (a
 * copy inherits its source's). Besides naming the family to consumers, a watermark makes EC2 refuse to
 * make the image public: a second line behind the public-sharing guard. Only with the `organization`
 * slice (issue #16: consumers are who watermarks are for; without it the guard alone answers a public
 * image, as before).
 */
export async function watermarkImage(
  deps: Pick<ReactionDependencies, "watermarks" | "config">,
  family: FamilyConfig,
  image: ImageRecord,
): Promise<Effect[]> {
  // On or off in the config (the port is required): the `organization` slice turns watermarks on.
  if (!deps.config.organization) return [];
  if (image.state !== "available" || carriesWatermark(image, family.name)) return [];
  await deps.watermarks.attach(image.region, image.imageId, watermarkName(family.name));
  return [{ kind: "watermarked", region: image.region }];
}

/**
 * The sweep re-asserts the watermark on every available image of the family's versions that EC2 lists
 * without it (an event missed, an image registered before watermarks, a watermark detached by hand).
 * Only images the registry recorded for a version are watermarked; a failure is the family's.
 */
export async function reassertWatermarks(
  deps: Pick<ReactionDependencies, "watermarks" | "config">,
  family: FamilyConfig,
  versions: readonly VersionRecord[],
  view: Pick<AccountView, "images">,
): Promise<{ watermarked: { region: string; imageId: string }[]; failures: SweepFailure[] }> {
  const watermarked: { region: string; imageId: string }[] = [];
  const failures: SweepFailure[] = [];
  if (!deps.config.organization) return { watermarked, failures };
  for (const version of versions) {
    if (version.stage === "deregistered") continue;
    for (const [region, record] of Object.entries(version.regions)) {
      const image = record.imageId ? imagesByKey(view).get(regionalKey(region, record.imageId)) : undefined;
      if (!image) continue;
      try {
        if ((await watermarkImage(deps, family, image)).length > 0)
          watermarked.push({ region, imageId: image.imageId });
      } catch (error) {
        failures.push(
          failureOf("watermark", error, {
            family: family.name,
            version: version.version,
            region,
            resourceId: image.imageId,
          }),
        );
      }
    }
  }
  return { watermarked, failures };
}
