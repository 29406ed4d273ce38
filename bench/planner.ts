// Retention planner benchmark: plans every family of a large account and compares with the floor of
// merely sorting the same image records by (family, creation time). Last stdout line: one JSON object.
import {
  type FamilyConfig,
  familySchema,
  type ImageRecord,
  type ImageReference,
  indexInventory,
  LifecycleTag,
  lifecycleTags,
  planRetention,
  type RetentionStage,
  type VersionRecord,
} from "@ami-lifecycle/core";
import { seededRandom } from "@ami-lifecycle/simulated-account";

const imageCount = 100_000;
const familyCount = 2_000;
const regions = ["eu-west-1", "us-east-1", "eu-central-1", "ap-southeast-2"] as const;
const warmups = 2;
const runs = 7;
const target = 3;
const now = new Date("2025-06-01T00:00:00.000Z");
const managedAccount = "111111111111";

function shuffle<T>(items: T[], next: () => number): void {
  for (let index = items.length - 1; index > 0; index--) {
    const other = Math.floor(next() * (index + 1));
    [items[index], items[other]] = [items[other] as T, items[index] as T];
  }
}

interface Account {
  families: FamilyConfig[];
  versionsByFamily: Map<string, VersionRecord[]>;
  images: ImageRecord[];
  references: ImageReference[];
}

/** 50 images per family: versions in all four regions, old ones at every retirement stage. */
function generateAccount(): Account {
  const next = seededRandom(42);
  const perFamily = imageCount / familyCount;
  const families: FamilyConfig[] = [];
  const versionsByFamily = new Map<string, VersionRecord[]>();
  const images: ImageRecord[] = [];
  const references: ImageReference[] = [];
  let snapshotSerial = 0;
  for (let f = 0; f < familyCount; f++) {
    const name = `family-${String(f).padStart(4, "0")}`;
    families.push(
      familySchema.parse({
        name,
        team: `team-${f % 50}`,
        match: { namePattern: `${name}-*` },
        retention: {
          keepLatest: 3,
          minAgeDays: 7,
          maxDeletionsPerRun: 3,
          unusedForDays: f % 3 === 0 ? 30 : undefined,
        },
      }),
    );
    const versions: VersionRecord[] = [];
    const versionTotal = Math.ceil(perFamily / regions.length);
    let left = perFamily;
    for (let v = 1; v <= versionTotal; v++) {
      const ageDays = (versionTotal - v) * 9 + 1 + Math.floor(next() * 5);
      const createdAt = new Date(now.getTime() - ageDays * 86_400_000).toISOString();
      const stage: RetentionStage =
        v <= versionTotal - 9 ? "disabled" : v <= versionTotal - 6 ? "deprecated" : "active";
      const stageChangedAt = new Date(now.getTime() - Math.floor(next() * 30) * 86_400_000).toISOString();
      const sourceRegion = regions[(f + v) % regions.length] as string;
      const record: VersionRecord = {
        family: name,
        version: v,
        sourceRegion,
        sourceImageId: `ami-${f}-${v}-${sourceRegion}`,
        name: `${name}-${v}`,
        createdAt,
        stage,
        stageChangedAt,
        withdrawn: next() < 0.02 || undefined,
        regions: {},
      };
      const regionCount = Math.min(regions.length, left);
      for (let r = 0; r < regionCount; r++) {
        const region = regions[r] as string;
        const imageId = `ami-${f}-${v}-${region}`;
        // One image in ten shares its snapshot with the previous image: exercises the shared-snapshot rule.
        const shares = next() < 0.1 && snapshotSerial > 0;
        const snapshotId = `snap-${shares ? snapshotSerial : ++snapshotSerial}`;
        const state = stage === "disabled" ? "disabled" : "available";
        record.regions[region] = {
          region,
          imageId,
          state,
          role: region === sourceRegion ? "source" : "copy",
          snapshotIds: [snapshotId],
          copyAttempts: 1,
          updatedAt: createdAt,
        };
        const tags = lifecycleTags({
          family: name,
          version: v,
          sourceImageId: record.sourceImageId,
          sourceRegion,
          createdAt,
        });
        if (next() < 0.01) tags["ami-lifecycle:keep"] = "true";
        images.push({
          imageId,
          region,
          name: record.name,
          ownerId: managedAccount,
          state,
          creationDate: createdAt,
          tags,
          snapshots: [{ snapshotId, sizeGiB: 8 + Math.floor(next() * 100) }],
          encrypted: true,
          deprecationTime: stage === "active" ? undefined : stageChangedAt,
          deregistrationProtection: next() < 0.005,
          lastLaunchedTime:
            next() < 0.3 ? new Date(now.getTime() - next() * 60 * 86_400_000).toISOString() : undefined,
        });
        if (next() < 0.05) {
          references.push({
            imageId,
            region,
            resourceType: "ec2:LaunchTemplate",
            arn: `arn:aws:ec2:${region}:${managedAccount}:launch-template/lt-${f}-${v}`,
          });
        }
      }
      left -= regionCount;
      versions.push(record);
    }
    versionsByFamily.set(name, versions);
  }
  // DescribeImages pages come in no particular order: neither the planner nor the floor gets them sorted.
  shuffle(images, next);
  shuffle(references, next);
  // Round-trip through JSON, as the SDK and the registry deliver them: flat strings, plain objects.
  return JSON.parse(
    JSON.stringify({ families, versionsByFamily: [...versionsByFamily], images, references }),
    (key, value) => (key === "versionsByFamily" ? new Map(value) : value),
  ) as Account;
}

/** What a sweep does: index the views once, then plan every family. Returns a checksum of the plans. */
function planAll(account: Account): number {
  const accounts = [managedAccount];
  const inventory = indexInventory(account.images, account.references);
  let decisions = 0;
  for (const family of account.families) {
    const versions = account.versionsByFamily.get(family.name) ?? [];
    decisions += planRetention({ family, versions, inventory, now, accounts }).decisions.length;
  }
  return decisions;
}

/** The floor: sort the same records by (family, creation time). */
function sortAll(images: readonly ImageRecord[]): number {
  const sorted = [...images].sort((a, b) => {
    const familyA = a.tags[LifecycleTag.family] ?? "";
    const familyB = b.tags[LifecycleTag.family] ?? "";
    if (familyA !== familyB) return familyA < familyB ? -1 : 1;
    return a.creationDate < b.creationDate ? -1 : a.creationDate > b.creationDate ? 1 : 0;
  });
  return sorted.length;
}

function time(run: () => number): number {
  const start = process.hrtime.bigint();
  run();
  return Number(process.hrtime.bigint() - start) / 1e6;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] as number;
}

const generated = generateAccount();
console.log(
  `generated ${generated.images.length} images, ${generated.families.length} families, ${regions.length} regions, ${generated.references.length} references`,
);
const decisionCount = planAll(generated);
if (decisionCount < generated.images.length)
  throw new Error(`only ${decisionCount} decisions for ${generated.images.length} images`);
for (let index = 0; index < warmups; index++) {
  time(() => planAll(generated));
  time(() => sortAll(generated.images));
}
const planTimes: number[] = [];
const floorTimes: number[] = [];
for (let index = 0; index < runs; index++) {
  planTimes.push(time(() => planAll(generated)));
  floorTimes.push(time(() => sortAll(generated.images)));
  console.log(
    `run ${index + 1}/${runs}: plan ${planTimes.at(-1)?.toFixed(1)} ms, floor ${floorTimes.at(-1)?.toFixed(1)} ms`,
  );
}
const planMs = median(planTimes);
const floorMs = median(floorTimes);
console.log(
  JSON.stringify({
    bench: "planner",
    images: generated.images.length,
    families: generated.families.length,
    regions: regions.length,
    plan_ms: Number(planMs.toFixed(1)),
    floor_ms: Number(floorMs.toFixed(1)),
    ratio: Number((planMs / floorMs).toFixed(2)),
    target,
  }),
);
