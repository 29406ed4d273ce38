import {
  familySchema,
  type ImageRecord,
  type ImageReference,
  type ImageState,
  LifecycleTag,
  type RegionImageState,
  type RetentionInput,
  type RetentionStage,
  type VersionRecord,
} from "@ami-lifecycle/core";
import fc from "fast-check";
import { account, foreignAccount } from "./builders";

/** The planning instant of the property tests. */
export const propertyNow = new Date("2025-06-01T00:00:00.000Z");
const regionPool = ["eu-west-1", "us-east-1", "eu-central-1"] as const;
const snapshotPool = 20;
const familyName = "web";

const ago = (days: number) => new Date(propertyNow.getTime() - days * 86_400_000).toISOString();
const rarely = (arbitrary: fc.Arbitrary<boolean> = fc.constant(true)) =>
  fc.oneof({ weight: 6, arbitrary: fc.constant(false) }, { weight: 1, arbitrary });

/** One region's image of a version, as the generator sees it before building records. */
const imageSpec = fc.record({
  present: fc.oneof(
    { weight: 8, arbitrary: fc.constant(true) },
    { weight: 1, arbitrary: fc.constant(false) },
  ),
  goneRegistryState: fc.constantFrom<RegionImageState>("deregistered", "missing", "pending", "available"),
  state: fc.constantFrom<ImageState>(
    "available",
    "available",
    "available",
    "disabled",
    "disabled",
    "pending",
    "failed",
  ),
  deprecatedDaysAgo: fc.option(fc.integer({ min: -30, max: 60 }), { nil: undefined }),
  unmanagedTags: rarely(),
  wrongVersionTag: rarely(),
  foreignOwner: rarely(),
  keepTag: fc.oneof(
    { weight: 8, arbitrary: fc.constant(undefined) },
    { weight: 1, arbitrary: fc.constantFrom("", "yes", "no") },
  ),
  deregistrationProtection: rarely(),
  lastLaunchedDaysAgo: fc.option(fc.integer({ min: 0, max: 60 }), { nil: undefined }),
  snapshots: fc.uniqueArray(fc.integer({ min: 0, max: snapshotPool - 1 }), { minLength: 1, maxLength: 2 }),
  referenced: rarely(),
});

const versionSpec = fc.record({
  ageDays: fc.integer({ min: 0, max: 200 }),
  stage: fc.constantFrom<RetentionStage>("active", "active", "deprecated", "disabled", "deregistered"),
  stageDaysAgo: fc.option(fc.integer({ min: 0, max: 60 }), { nil: undefined }),
  withdrawn: rarely(),
  regions: fc.subarray([...regionPool], { minLength: 1 }),
  images: fc.array(imageSpec, { minLength: regionPool.length, maxLength: regionPool.length }),
});

const policy = fc.record({
  keepLatest: fc.integer({ min: 1, max: 4 }),
  minAgeDays: fc.integer({ min: 0, max: 30 }),
  deprecateAfterDays: fc.integer({ min: 0, max: 10 }),
  disableAfterDays: fc.integer({ min: 0, max: 10 }),
  deregisterAfterDays: fc.integer({ min: 0, max: 10 }),
  keepTag: fc.constantFrom({ key: "ami-lifecycle:keep" }, { key: "ami-lifecycle:keep", value: "yes" }),
  unusedForDays: fc.option(fc.integer({ min: 0, max: 30 }), { nil: undefined }),
  maxDeletionsPerRun: fc.integer({ min: 0, max: 3 }),
});

/** Images outside the registry: hand-made ones, other families', some tagged for this family. */
const strayImage = fc.record({
  region: fc.constantFrom(...regionPool),
  taggedForFamily: fc.boolean(),
  snapshots: fc.uniqueArray(fc.integer({ min: 0, max: snapshotPool - 1 }), { minLength: 1, maxLength: 2 }),
});

/** A random account inventory of one family: registry versions, EC2 images, references and a policy. */
export const inventoryArbitrary = fc
  .record({
    versions: fc.array(versionSpec, { maxLength: 10 }),
    strays: fc.array(strayImage, { maxLength: 3 }),
    policy,
  })
  .map(({ versions: specs, strays, policy: retention }): RetentionInput => {
    const versions: VersionRecord[] = [];
    const images: ImageRecord[] = [];
    const references: ImageReference[] = [];
    specs.forEach((spec, index) => {
      const version = index + 1;
      const record: VersionRecord = {
        family: familyName,
        version,
        sourceRegion: spec.regions[0] ?? "eu-west-1",
        sourceImageId: `ami-v${version}-${spec.regions[0]}`,
        name: `${familyName}-${version}`,
        createdAt: ago(spec.ageDays),
        stage: spec.stage,
        stageChangedAt: spec.stageDaysAgo === undefined ? undefined : ago(spec.stageDaysAgo),
        withdrawn: spec.withdrawn || undefined,
        regions: {},
      };
      spec.regions.forEach((region, regionIndex) => {
        const image = spec.images[regionIndex];
        if (!image) return;
        const imageId = `ami-v${version}-${region}`;
        const snapshots = image.snapshots.map((slot) => ({
          snapshotId: `snap-${region}-${slot}`,
          sizeGiB: slot + 1,
        }));
        record.regions[region] = {
          region,
          imageId,
          state: image.present ? registryStateOf(image.state) : image.goneRegistryState,
          role: regionIndex === 0 ? "source" : "copy",
          snapshotIds: snapshots.map((snapshot) => snapshot.snapshotId),
          copyAttempts: 1,
          updatedAt: record.createdAt,
        };
        if (image.referenced) {
          references.push({ imageId, region, resourceType: "ec2:LaunchTemplate", arn: `arn:lt/${imageId}` });
        }
        if (!image.present) return;
        const tags: Record<string, string> = image.unmanagedTags
          ? {}
          : {
              [LifecycleTag.managed]: "true",
              [LifecycleTag.family]: familyName,
              [LifecycleTag.version]: String(image.wrongVersionTag ? version + 100 : version),
            };
        if (image.keepTag !== undefined) tags["ami-lifecycle:keep"] = image.keepTag;
        images.push({
          imageId,
          region,
          name: record.name,
          ownerId: image.foreignOwner ? foreignAccount : account,
          state: image.state,
          creationDate: record.createdAt,
          tags,
          snapshots,
          encrypted: true,
          deprecationTime: image.deprecatedDaysAgo === undefined ? undefined : ago(image.deprecatedDaysAgo),
          deregistrationProtection: image.deregistrationProtection,
          lastLaunchedTime:
            image.lastLaunchedDaysAgo === undefined ? undefined : ago(image.lastLaunchedDaysAgo),
        });
      });
      versions.push(record);
    });
    strays.forEach((stray, index) => {
      images.push({
        imageId: `ami-stray-${index}`,
        region: stray.region,
        name: `stray-${index}`,
        ownerId: account,
        state: "available",
        creationDate: ago(5),
        tags: stray.taggedForFamily
          ? { [LifecycleTag.family]: familyName, [LifecycleTag.managed]: "true" }
          : {},
        snapshots: stray.snapshots.map((slot) => ({
          snapshotId: `snap-${stray.region}-${slot}`,
          sizeGiB: slot + 1,
        })),
        encrypted: false,
        deregistrationProtection: false,
      });
    });
    const family = familySchema.parse({
      name: familyName,
      team: "platform",
      match: { namePattern: "web-*" },
      retention,
    });
    return { family, versions, images, references, now: propertyNow, accounts: [account] };
  });

function registryStateOf(state: ImageState): RegionImageState {
  return state === "disabled"
    ? "disabled"
    : state === "pending"
      ? "pending"
      : state === "failed"
        ? "failed"
        : "available";
}

/** Deterministic Fisher–Yates from a seed, to feed the planner the same inventory in another order. */
export function shuffled<T>(items: readonly T[], seed: number): T[] {
  const copy = [...items];
  let state = seed >>> 0 || 1;
  for (let index = copy.length - 1; index > 0; index--) {
    state = (Math.imul(state, 1_664_525) + 1_013_904_223) >>> 0;
    const other = state % (index + 1);
    [copy[index], copy[other]] = [copy[other] as T, copy[index] as T];
  }
  return copy;
}

/** The same inventory with every list, every version's region map and every image's snapshots reordered. */
export function reordered(input: RetentionInput, seed: number): RetentionInput {
  return {
    ...input,
    versions: shuffled(input.versions, seed).map((version) => ({
      ...version,
      regions: Object.fromEntries(shuffled(Object.entries(version.regions), seed + 1)),
    })),
    images: shuffled(input.images, seed + 2).map((image) => ({
      ...image,
      snapshots: shuffled(image.snapshots, seed + 3),
    })),
    references: shuffled(input.references, seed + 4),
  };
}
