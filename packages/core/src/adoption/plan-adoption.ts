import type { Config, FamilyConfig } from "../config";
import { familyMatches } from "../families";
import type { ImageRecord, VersionRecord } from "../model";
import { LifecycleTag, managedTagValue } from "../tags/lifecycle-tags";

/** Who the registry names as creator of an adopted version: its builder predates the service and is unknown. */
export const adoptionCreator = "ami-lifecycle:adopt";

/** A new version adoption creates: a source image and the copies of it found in other regions. */
export interface AdoptedVersionPlan {
  family: string;
  /** the number the registry is expected to give it (appended after the family's highest; numbers never change) */
  expectedVersion: number;
  source: ImageRecord;
  /** images in other regions whose lineage leads to `source`, one per region */
  copies: ImageRecord[];
}

/** An unmanaged copy of an image the registry already holds: it joins that version in its region. */
export interface JoiningCopy {
  family: string;
  version: number;
  image: ImageRecord;
}

/** An image an earlier, interrupted adoption registered but did not tag yet. */
export interface PendingTagging {
  family: string;
  version: number;
  image: ImageRecord;
}

/** An image several families match: never adopted, reported with every family's name. */
export interface AdoptionConflict {
  region: string;
  imageId: string;
  name: string;
  families: string[];
}

/** An image of the family left unadopted, as the event path leaves it: a second copy where its version already has one. */
export interface SkippedImage {
  region: string;
  imageId: string;
  name: string;
  reason: string;
}

/** What adoption does for one family. */
export interface FamilyAdoptionPlan {
  family: string;
  /** oldest build first, which is also the order of `expectedVersion` */
  versions: AdoptedVersionPlan[];
  joining: JoiningCopy[];
  pendingTagging: PendingTagging[];
  /** copies never adopted: their source's version already has an image in that region */
  skipped: SkippedImage[];
}

/** What adoption does in the account: per family, and the images it refuses. */
export interface AdoptionPlan {
  families: FamilyAdoptionPlan[];
  conflicts: AdoptionConflict[];
}

/** Input of `planAdoption`. */
export interface AdoptionInput {
  config: Pick<Config, "accounts" | "regions" | "families">;
  /** every image the account owns in the managed regions (`listOwnedImages`), with their tags */
  images: readonly ImageRecord[];
  /** the registry's versions of every configured family */
  versions: readonly VersionRecord[];
  /** only these families (default: all) */
  families?: readonly string[];
  /** only versions with an image in this region (lineage is still read from every region) */
  region?: string;
}

/** EC2 states an image may be adopted in: launchable or merely disabled; pending images arrive as events. */
const adoptableStates = new Set(["available", "disabled"]);

/**
 * Decides what adopting the account's existing images does, from EC2's own answers and the registry
 * only (tags are never trusted: an image the registry does not hold is unmanaged whatever it carries).
 * Pure: the same input gives the same plan.
 */
export function planAdoption(input: AdoptionInput): AdoptionPlan {
  const wanted = input.config.families.filter(
    (family) => !input.families || input.families.includes(family.name),
  );
  const registered = registeredImages(input.versions);
  const byKey = new Map(input.images.map((image) => [keyOf(image.region, image.imageId), image]));
  const conflicts: AdoptionConflict[] = [];
  const candidates = new Map<string, { image: ImageRecord; family: FamilyConfig }>();
  for (const image of input.images) {
    if (registered.has(image.imageId) || !isAdoptable(image, input.config)) continue;
    const matching = input.config.families.filter((family) => familyMatches(family, image));
    if (matching.length > 1) {
      conflicts.push({
        region: image.region,
        imageId: image.imageId,
        name: image.name,
        families: matching.map((family) => family.name),
      });
    } else if (matching[0]) {
      candidates.set(keyOf(image.region, image.imageId), { image, family: matching[0] });
    }
  }

  const families = wanted.map((family) => {
    const own = [...candidates.values()].filter((candidate) => candidate.family === family);
    return planFamily(family, own, input, registered, byKey, candidates);
  });
  return {
    families: families.filter(
      (plan) =>
        plan.versions.length + plan.joining.length + plan.pendingTagging.length + plan.skipped.length > 0,
    ),
    conflicts: conflicts.sort((a, b) => compare(keyOf(a.region, a.imageId), keyOf(b.region, b.imageId))),
  };
}

function planFamily(
  family: FamilyConfig,
  own: readonly { image: ImageRecord }[],
  input: AdoptionInput,
  registered: ReadonlyMap<string, { family: string; version: number }>,
  byKey: ReadonlyMap<string, ImageRecord>,
  candidates: ReadonlyMap<string, { image: ImageRecord; family: FamilyConfig }>,
): FamilyAdoptionPlan {
  const versionsOfFamily = input.versions.filter((version) => version.family === family.name);
  const sources = new Map<string, ImageRecord[]>();
  const joining: JoiningCopy[] = [];
  const skipped: SkippedImage[] = [];
  for (const { image } of own) {
    const { root, registeredAncestor } = lineageOf(image, byKey, registered);
    const rootRegistration = registeredAncestor ? registered.get(registeredAncestor) : undefined;
    if (registeredAncestor && rootRegistration) {
      // A copy of a managed image is never a version of its own (the event path ignores it the same way).
      const joined = versionsOfFamily.find((v) => v.version === rootRegistration.version);
      if (rootRegistration.family === family.name && joined && !joined.regions[image.region]?.imageId)
        joining.push({ family: family.name, version: joined.version, image });
      else
        skipped.push(
          skip(
            image,
            `copy of ${registeredAncestor} (${rootRegistration.family} v${rootRegistration.version}), whose version already has an image in ${image.region}`,
          ),
        );
      continue;
    }
    const rootIsCandidate = candidates.get(keyOf(root.region, root.imageId))?.family === family;
    const sourceKey = rootIsCandidate ? keyOf(root.region, root.imageId) : keyOf(image.region, image.imageId);
    sources.set(sourceKey, [...(sources.get(sourceKey) ?? []), image]);
  }

  const highest = versionsOfFamily.reduce((max, version) => Math.max(max, version.version), 0);
  const groups = [...sources.entries()].map(([sourceKey, images]) => splitGroup(sourceKey, images, byKey));
  // A second copy of one source in a region is left alone, as the event path leaves it.
  for (const group of groups)
    for (const image of group.extra)
      skipped.push(
        skip(image, `another copy of ${group.version.source.imageId} in ${image.region} joins that version`),
      );
  const planned = groups.map((group) => group.version);
  planned.sort((a, b) => compare(a.source.creationDate, b.source.creationDate) || compare(a.key, b.key));
  const versions = planned
    .filter(
      (group) => !input.region || [group.source, ...group.copies].some((i) => i.region === input.region),
    )
    .map((group, index) => ({
      family: family.name,
      expectedVersion: highest + index + 1,
      source: group.source,
      copies: group.copies,
    }));
  return {
    family: family.name,
    versions,
    joining: joining.filter((copy) => !input.region || copy.image.region === input.region),
    pendingTagging: pendingTagging(versionsOfFamily, byKey, input.region),
    skipped: skipped.filter((image) => !input.region || image.region === input.region),
  };
}

function skip(image: ImageRecord, reason: string): SkippedImage {
  return { region: image.region, imageId: image.imageId, name: image.name, reason };
}

interface Group {
  key: string;
  source: ImageRecord;
  copies: ImageRecord[];
}

function splitGroup(
  sourceKey: string,
  images: ImageRecord[],
  byKey: ReadonlyMap<string, ImageRecord>,
): { version: Group; extra: ImageRecord[] } {
  const source = byKey.get(sourceKey) as ImageRecord;
  const copies: ImageRecord[] = [];
  const extra: ImageRecord[] = [];
  const taken = new Set([source.region]);
  for (const image of [...images].sort((a, b) => compare(a.creationDate, b.creationDate))) {
    if (image === source) continue;
    if (taken.has(image.region)) extra.push(image);
    else {
      taken.add(image.region);
      copies.push(image);
    }
  }
  copies.sort((a, b) => compare(a.region, b.region));
  return { version: { key: sourceKey, source, copies }, extra };
}

/** Images of versions adoption registered whose lifecycle tags are missing: the rest of a killed run. */
function pendingTagging(
  versions: readonly VersionRecord[],
  byKey: ReadonlyMap<string, ImageRecord>,
  region: string | undefined,
): PendingTagging[] {
  const pending: PendingTagging[] = [];
  for (const version of versions) {
    if (version.createdBy !== adoptionCreator) continue;
    for (const record of Object.values(version.regions)) {
      if (!record.imageId || (region && record.region !== region)) continue;
      const image = byKey.get(keyOf(record.region, record.imageId));
      if (image && !carriesVersionTags(image, version))
        pending.push({ family: version.family, version: version.version, image });
    }
  }
  return pending;
}

/** True when the image carries the version's tags (adoption writes them, adopted-at included, in one call). */
function carriesVersionTags(image: ImageRecord, version: VersionRecord): boolean {
  return (
    image.tags[LifecycleTag.version] === String(version.version) &&
    image.tags[LifecycleTag.family] === version.family &&
    image.tags[LifecycleTag.managed] === managedTagValue
  );
}

/**
 * Follows EC2's lineage (SourceImageId/SourceImageRegion) as far as the account still lists the images,
 * stopping at the first ancestor the registry holds (listed or not: a retired source still owns its copies).
 */
function lineageOf(
  image: ImageRecord,
  byKey: ReadonlyMap<string, ImageRecord>,
  registered: ReadonlyMap<string, unknown>,
): { root: ImageRecord; registeredAncestor?: string } {
  let current = image;
  const seen = new Set<ImageRecord>([image]);
  while (current.sourceImageId && current.sourceImageRegion) {
    if (registered.has(current.sourceImageId))
      return { root: current, registeredAncestor: current.sourceImageId };
    const parent = byKey.get(keyOf(current.sourceImageRegion, current.sourceImageId));
    if (!parent || seen.has(parent)) break;
    seen.add(parent);
    current = parent;
  }
  return { root: current };
}

function isAdoptable(image: ImageRecord, config: AdoptionInput["config"]): boolean {
  return (
    adoptableStates.has(image.state) &&
    config.accounts.includes(image.ownerId) &&
    config.regions.includes(image.region)
  );
}

function registeredImages(
  versions: readonly VersionRecord[],
): Map<string, { family: string; version: number }> {
  const registered = new Map<string, { family: string; version: number }>();
  for (const version of versions) {
    for (const record of Object.values(version.regions)) {
      if (record.imageId)
        registered.set(record.imageId, { family: version.family, version: version.version });
    }
  }
  return registered;
}

function keyOf(region: string, imageId: string): string {
  return `${region}/${imageId}`;
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
