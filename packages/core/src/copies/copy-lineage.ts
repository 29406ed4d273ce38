import { parseKeyRef } from "../key-refs";
import type { ImageRecord } from "../model";
import type { ImageLocation, VersionCatalog } from "../ports";
import { LifecycleTag } from "../tags/lifecycle-tags";

/** Why an image that looks like a copy of a managed version is not treated as one. */
export type NotACopy = { refused: string };

/**
 * The managed version an image is a cross-region copy of, read from EC2's lineage
 * (`SourceImageId`/`SourceImageRegion`) and the registry: the source must be an image the registry
 * recorded for a version in that very region. Lifecycle tags never make an image a copy (anyone can write
 * `source-image`): an image whose tags claim a copy that EC2's lineage does not show is refused, not
 * registered. Undefined: not a copy (a build; same-region lineage is CreateImage's instance image).
 */
export async function copiedFrom(
  registry: Pick<VersionCatalog, "findByImageId">,
  image: ImageRecord,
): Promise<ImageLocation | NotACopy | undefined> {
  const crossRegion =
    image.sourceImageId !== undefined &&
    image.sourceImageRegion !== undefined &&
    image.sourceImageRegion !== image.region;
  if (!crossRegion) {
    const claimed = image.tags[LifecycleTag.sourceImage];
    if (claimed === undefined || claimed === image.imageId) return undefined;
    return { refused: `tagged as a copy of ${claimed}, but EC2 records no copy lineage: left alone` };
  }
  const source = await registry.findByImageId(image.sourceImageId as string);
  if (source && source.region === image.sourceImageRegion) return source;
  // A cross-region copy of something unknown is not a build either: the source may be registered later.
  return { refused: "copy of an image the service does not manage" };
}

/**
 * Why a copy is not encrypted with the destination's configured key, or undefined when EC2 shows every
 * EBS volume encrypted with it. An alias (the stack's own included) names no key id EC2 reports, so a
 * copy under an alias-configured key is never proven and never adopted: the service copies itself.
 */
export function keyMismatch(image: ImageRecord, configuredKey: string): string | undefined {
  const keys = image.kmsKeyIds ?? [];
  if (!image.encrypted || keys.length === 0) return "not encrypted";
  const ref = parseKeyRef(configuredKey);
  const proven =
    ref.kind === "keyArn"
      ? keys.every((key) => key === ref.arn)
      : ref.kind === "keyId"
        ? keys.every((key) => keyRegion(key) === image.region && key.endsWith(`:key/${ref.keyId}`))
        : false;
  if (proven) return undefined;
  return `encrypted with ${keys.join(", ")}, not provably the configured key ${configuredKey}`;
}

function keyRegion(keyArn: string): string | undefined {
  return /^arn:aws[a-z-]*:kms:([a-z0-9-]+):/.exec(keyArn)?.[1];
}
