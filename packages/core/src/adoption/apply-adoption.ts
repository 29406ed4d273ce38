import { mapWithConcurrency } from "../concurrency";
import type { FamilyConfig } from "../config";
import type { ReactionDependencies } from "../dependencies";
import type { ImageRecord, VersionRecord } from "../model";
import type { Notification } from "../notifications/notification";
import { notifyOnce } from "../notifications/once";
import type { NewVersion, OnceClaims, VersionCatalog, VersionRecorder } from "../ports";
import { LifecycleTag } from "../tags/lifecycle-tags";
import { versionTags } from "../tags/tagging";
import { regionRecordFor, regionStateOf } from "../versions/region-records";
import { type AdoptionPlan, adoptionCreator, type FamilyAdoptionPlan } from "./plan-adoption";

/** One image adoption tagged, as a version of its family. */
export interface AdoptedImage {
  region: string;
  imageId: string;
  version: number;
  role: "source" | "copy";
}

/** What applying adoption did for one family. */
export interface FamilyAdoptionOutcome {
  family: string;
  /** versions the registry created (or, after a killed run, already held) for adopted sources */
  versions: number[];
  images: AdoptedImage[];
  notified: boolean;
}

/** Dependencies of `applyAdoption`: EC2's images, the registry's versions (read and recorded), its claims. */
export type AdoptionDependencies = Pick<ReactionDependencies, "config" | "images" | "notifier" | "clock"> & {
  registry: VersionCatalog & VersionRecorder & OnceClaims;
};

/**
 * Applies an adoption plan: per family, registers each planned version (oldest build first, so numbers
 * appended in build order), records its copies, tags every image and its snapshots, then sends one
 * `adopted` summary. Every step is idempotent and the plan is re-derived from EC2 and the registry, so
 * a killed run resumes: registered images are never registered again, untagged ones are tagged.
 * Starts no copies. `familiesAtOnce` (default 1: one family after another, so a killed operator run
 * stops at one place) lets the sweep adopt several families at once; within one, versions are
 * registered one after another (consecutive numbers).
 */
export async function applyAdoption(
  deps: AdoptionDependencies,
  plan: AdoptionPlan,
  options: { familiesAtOnce?: number; tagsInFlight?: number } = {},
): Promise<FamilyAdoptionOutcome[]> {
  // Families are independent (numbers are per family): several at once keep CreateTags' bucket busy.
  const atOnce = options.familiesAtOnce ?? 1;
  const tagsInFlight = options.tagsInFlight ?? 1;
  const outcomes = await mapWithConcurrency(plan.families, atOnce, async (familyPlan) => {
    const family = deps.config.families.find((candidate) => candidate.name === familyPlan.family);
    return family ? await adoptFamily(deps, family, familyPlan, tagsInFlight) : undefined;
  });
  return outcomes.filter((outcome): outcome is FamilyAdoptionOutcome => outcome !== undefined);
}

async function adoptFamily(
  deps: AdoptionDependencies,
  family: FamilyConfig,
  plan: FamilyAdoptionPlan,
  tagsInFlight: number,
): Promise<FamilyAdoptionOutcome> {
  const adoptedAt = deps.clock.now().toISOString();
  const images: AdoptedImage[] = [];
  const versions: number[] = [];
  const registered = await registerSources(
    deps,
    plan.versions.map(({ source }) => ({
      family: family.name,
      region: source.region,
      imageId: source.imageId,
      name: source.name,
      createdBy: adoptionCreator,
      // Build time, not adoption time: retention ranks versions by it.
      createdAt: source.creationDate,
      state: regionStateOf(source.state),
      snapshotIds: snapshotIdsOf(source),
    })),
  );
  // Recorded first, tagged after: an image is tagged only once the registry holds it (a killed run
  // resumes from `pendingTagging`), and the tags then go out many at once.
  const toTag: { version: VersionRecord; image: ImageRecord }[] = [];
  for (const [index, planned] of plan.versions.entries()) {
    const { source } = planned;
    const version = registered[index] as VersionRecord;
    versions.push(version.version);
    for (const copy of planned.copies) await recordCopy(deps, version, copy);
    for (const image of [source, ...planned.copies]) toTag.push({ version, image });
  }
  for (const joining of plan.joining) {
    const version = await deps.registry.getVersion(family.name, joining.version);
    if (!version) continue;
    await recordCopy(deps, version, joining.image);
    toTag.push({ version, image: joining.image });
  }
  for (const pending of plan.pendingTagging) {
    const version = await deps.registry.getVersion(family.name, pending.version);
    if (!version) continue;
    toTag.push({ version, image: pending.image });
  }
  // One CreateTags per image (each image has its own version tags); sent `tagsInFlight` at a time,
  // since one after another at ~150 ms each cannot use CreateTags' 10 per second. A failure fails the
  // family's adoption as before, once the calls in flight answered (none is left running) and without
  // starting more: what was tagged is found tagged by the next run.
  let failure: { error: unknown } | undefined;
  await mapWithConcurrency(toTag, tagsInFlight, async ({ version, image }) => {
    if (failure) return;
    try {
      await tag(deps, version, image, adoptedAt);
    } catch (error) {
      failure ??= { error };
    }
  });
  if (failure) throw failure.error;
  for (const { version, image } of toTag) images.push(adopted(image, version));
  const touched = [...new Set(images.map((image) => image.version))].sort((a, b) => a - b);
  const notified =
    touched.length > 0 &&
    (await notifyOnce(
      deps,
      `adopted:${family.name}:${touched.join(",")}`,
      summary(deps.config.homeRegion, family, images, touched),
    ));
  return { family: family.name, versions, images, notified };
}

/**
 * Registers the planned sources in order (oldest build first), in the registry's batches
 * (`registerVersions`). An image registered before (a killed run)
 * keeps its version. A run killed after registering and before tagging resumes from the plan's
 * `pendingTagging`.
 */
async function registerSources(deps: AdoptionDependencies, inputs: NewVersion[]): Promise<VersionRecord[]> {
  if (inputs.length === 0) return [];
  return (await deps.registry.registerVersions(inputs)).map(({ version }) => version);
}

/** Records a copy in its region of the version; a region that already holds another image is left as it is. */
async function recordCopy(
  deps: AdoptionDependencies,
  version: VersionRecord,
  copy: ImageRecord,
): Promise<void> {
  const record = regionRecordFor(copy, version.regions[copy.region], "copy", deps.clock.now());
  await deps.registry.putRegionImage(
    version.family,
    version.version,
    { ...record, copyAttempts: 0 },
    {
      expectImageId: copy.imageId,
    },
  );
}

async function tag(
  deps: AdoptionDependencies,
  version: VersionRecord,
  image: ImageRecord,
  adoptedAt: string,
): Promise<void> {
  const tags = { ...versionTags(version, version.createdBy), [LifecycleTag.adoptedAt]: adoptedAt };
  await deps.images.tagImage(image.region, image.imageId, snapshotIdsOf(image), tags);
}

function adopted(image: ImageRecord, version: VersionRecord): AdoptedImage {
  return {
    region: image.region,
    imageId: image.imageId,
    version: version.version,
    role: image.imageId === version.sourceImageId ? "source" : "copy",
  };
}

function snapshotIdsOf(image: ImageRecord): string[] {
  return image.snapshots.map((snapshot) => snapshot.snapshotId).sort();
}

/** The one `adopted` notification of a family's run. */
function summary(
  homeRegion: string,
  family: FamilyConfig,
  images: readonly AdoptedImage[],
  versions: readonly number[],
): Notification {
  const regions = [...new Set(images.map((image) => image.region))].sort();
  const list = versions.map((version) => `v${version}`).join(", ");
  return {
    eventType: "adopted",
    family: family.name,
    team: family.team,
    severity: "info",
    region: homeRegion,
    subject: `${family.name}: ${images.length} existing image(s) adopted as ${list}`.slice(0, 100),
    body: `ami-lifecycle now manages ${images.length} image(s) built before it, in ${regions.join(", ")}, as ${list}. Retention applies to them from now on (dry-run unless enforced).`,
    detail: { family: family.name, versions, images },
  };
}
