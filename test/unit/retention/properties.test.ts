import {
  type FamilyPlan,
  type ImageRecord,
  indexInventory,
  LifecycleTag,
  planRetention,
  type RetentionInput,
  type VersionRecord,
} from "@ami-lifecycle/core";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { inventoryArbitrary, propertyNow, reordered } from "./arbitraries";
import { account } from "./builders";

// 1,000 random inventories per property (8,000 in all) keep the suite well under 20 s on a busy machine.
const numRuns = 1_000;
const timeout = 30_000;
const dayMs = 86_400_000;
const destructive = new Set(["deprecate", "disable", "deregister"]);
const nowMs = propertyNow.getTime();

/** The version's images that EC2 still has. */
function imagesOf(input: RetentionInput, version: VersionRecord): ImageRecord[] {
  return Object.values(version.regions).flatMap((region) =>
    input.images.filter((image) => image.imageId === region.imageId && image.region === region.region),
  );
}

function versionOf(input: RetentionInput, number: number | null): VersionRecord {
  const version = input.versions.find((candidate) => candidate.version === number);
  if (!version) throw new Error(`decision for unknown version ${number}`);
  return version;
}

/** Oracle, independent of the planner: the versions keep-latest and newest-available must keep (newest build first). */
function mustKeepVersions(input: RetentionInput): Set<number> {
  const available = input.versions
    .filter((version) => imagesOf(input, version).some((image) => image.state === "available"))
    .sort((a, b) => Date.parse(b.createdAt) - Date.parse(a.createdAt) || b.version - a.version);
  const current = available.filter((version) => !version.withdrawn);
  const keep = new Set(current.slice(0, input.family.retention.keepLatest).map((version) => version.version));
  const newest = current[0] ?? available[0];
  if (newest) keep.add(newest.version);
  return keep;
}

/** Oracle: why the whole version must be kept whatever its rank, or undefined. */
function mustKeepCause(input: RetentionInput, version: VersionRecord): string | undefined {
  const { retention } = input.family;
  const ids = new Set(Object.values(version.regions).map((region) => region.imageId));
  if (input.references.some((reference) => ids.has(reference.imageId))) return "in use";
  if (!version.withdrawn && Date.parse(version.createdAt) + retention.minAgeDays * dayMs > nowMs)
    return "young";
  for (const image of imagesOf(input, version)) {
    if (image.ownerId !== account) return "foreign";
    if (image.tags[LifecycleTag.managed] !== "true") return "unmanaged";
    if (image.tags[LifecycleTag.version] !== String(version.version)) return "wrong version tag";
    const keepValue = image.tags[retention.keepTag.key];
    if (
      keepValue !== undefined &&
      (retention.keepTag.value === undefined || keepValue === retention.keepTag.value)
    ) {
      return "keep tag";
    }
    if (image.deregistrationProtection) return "deregistration protection";
    const launched = image.lastLaunchedTime ? Date.parse(image.lastLaunchedTime) : undefined;
    if (
      retention.unusedForDays !== undefined &&
      launched !== undefined &&
      launched > nowMs - retention.unusedForDays * dayMs
    ) {
      return "recently launched";
    }
  }
  return undefined;
}

const isDeprecated = (image: ImageRecord) =>
  image.deprecationTime !== undefined && Date.parse(image.deprecationTime) <= nowMs;
const isDisabledOrDead = (image: ImageRecord) =>
  ["disabled", "failed", "invalid", "error"].includes(image.state);

/** Applies the chosen decisions to the EC2 view (and, if asked, the stage advances to the registry). */
function applyPlan(
  input: RetentionInput,
  plan: FamilyPlan,
  chosen: (index: number) => boolean,
  advanceStages: boolean,
): RetentionInput {
  const images = new Map(input.images.map((image) => [`${image.region}/${image.imageId}`, { ...image }]));
  const versions = input.versions.map((version) => ({
    ...version,
    regions: Object.fromEntries(
      Object.entries(version.regions).map(([region, record]) => [region, { ...record }]),
    ),
  }));
  plan.decisions.forEach((decision, index) => {
    if (!destructive.has(decision.action) || !chosen(index)) return;
    const key = `${decision.region}/${decision.imageId}`;
    const image = images.get(key);
    if (!image) throw new Error(`plan acts on missing image ${key}`);
    if (decision.action === "deprecate") image.deprecationTime = propertyNow.toISOString();
    if (decision.action === "disable") image.state = "disabled";
    if (decision.action === "deregister") {
      images.delete(key);
      const record = versions.find((version) => version.version === decision.version)?.regions[
        decision.region
      ];
      if (record) record.state = "deregistered";
    }
  });
  if (advanceStages) {
    for (const advance of plan.stageAdvances) {
      const version = versions.find((candidate) => candidate.version === advance.version);
      if (version) Object.assign(version, { stage: advance.to, stageChangedAt: propertyNow.toISOString() });
    }
  }
  return { ...input, versions, images: [...images.values()] };
}

const decisionAt = (plan: FamilyPlan, region: string, imageId: string) =>
  plan.decisions.find((decision) => decision.region === region && decision.imageId === imageId);

describe("planRetention properties", () => {
  it(
    "never retires an image that is in use, protected, unmanaged, young or among the newest kept",
    () => {
      fc.assert(
        fc.property(inventoryArbitrary, (input) => {
          const plan = planRetention(input);
          const mustKeep = mustKeepVersions(input);
          for (const decision of plan.decisions.filter((candidate) => destructive.has(candidate.action))) {
            const version = versionOf(input, decision.version);
            expect(mustKeep.has(version.version), `v${version.version} is among the newest kept`).toBe(false);
            expect(mustKeepCause(input, version), `v${version.version}`).toBeUndefined();
          }
        }),
        { numRuns },
      );
    },
    timeout,
  );

  it(
    "never leaves the family without an available version",
    () => {
      fc.assert(
        fc.property(inventoryArbitrary, (input) => {
          const hasAvailable = (view: RetentionInput) =>
            view.versions.some((version) =>
              imagesOf(view, version).some((image) => image.state === "available"),
            );
          const after = applyPlan(input, planRetention(input), () => true, true);
          if (hasAvailable(input)) expect(hasAvailable(after)).toBe(true);
        }),
        { numRuns },
      );
    },
    timeout,
  );

  it(
    "never lists a snapshot another image uses, and frees exactly what it lists",
    () => {
      fc.assert(
        fc.property(inventoryArbitrary, (input) => {
          for (const decision of planRetention(input).decisions) {
            if (decision.action !== "deregister") {
              expect(decision.snapshotIds).toEqual([]);
              continue;
            }
            const own = input.images.find((image) => image.imageId === decision.imageId);
            let freed = 0;
            for (const snapshotId of decision.snapshotIds) {
              const users = input.images.filter((image) =>
                image.snapshots.some((s) => s.snapshotId === snapshotId),
              );
              expect(users.map((image) => image.imageId)).toEqual([decision.imageId]);
              freed += own?.snapshots.find((s) => s.snapshotId === snapshotId)?.sizeGiB ?? Number.NaN;
            }
            expect(decision.freedGiB).toBe(freed);
          }
        }),
        { numRuns },
      );
    },
    timeout,
  );

  it(
    "is deterministic: same plan twice, in any input order, and from a prebuilt inventory",
    () => {
      fc.assert(
        fc.property(inventoryArbitrary, fc.integer(), (input, seed) => {
          const plan = planRetention(input);
          expect(planRetention(input)).toEqual(plan);
          expect(planRetention(reordered(input, seed))).toEqual(plan);
          const inventory = indexInventory(input.images, input.references);
          expect(planRetention({ ...input, inventory })).toEqual(plan);
        }),
        { numRuns },
      );
    },
    timeout,
  );

  it(
    "respects the deletion cap and counts what it held back",
    () => {
      fc.assert(
        fc.property(inventoryArbitrary, (input) => {
          const plan = planRetention(input);
          const deregistered = new Set(
            plan.decisions.filter((d) => d.action === "deregister").map((d) => d.version),
          );
          const capped = new Set(
            plan.decisions
              .filter((d) => d.reasons.some((r) => r.rule === "deletion-cap"))
              .map((d) => d.version),
          );
          expect(deregistered.size).toBeLessThanOrEqual(input.family.retention.maxDeletionsPerRun);
          expect(plan.deletionsCapped).toBe(capped.size);
          for (const version of capped) expect(deregistered.has(version)).toBe(false);
        }),
        { numRuns },
      );
    },
    timeout,
  );

  it(
    "never skips a stage: disable only when every region is deprecated, deregister only when every region is disabled",
    () => {
      fc.assert(
        fc.property(inventoryArbitrary, (input) => {
          for (const decision of planRetention(input).decisions) {
            if (decision.action === "wait" || decision.action === "keep") continue;
            const version = versionOf(input, decision.version);
            const images = imagesOf(input, version);
            const target = images.find((image) => image.imageId === decision.imageId);
            expect(target, "acts only on images EC2 has").toBeDefined();
            expect(images.some((image) => image.state === "pending" || image.state === "transient")).toBe(
              false,
            );
            if (decision.action === "deprecate") expect(target?.state).toBe("available");
            if (decision.action === "disable") {
              expect(["deprecated", "disabled", "deregistered"]).toContain(version.stage);
              expect(target?.state).toBe("available");
              for (const image of images) expect(isDeprecated(image) || isDisabledOrDead(image)).toBe(true);
            }
            if (decision.action === "deregister") {
              expect(["disabled", "deregistered"]).toContain(version.stage);
              for (const image of images) expect(isDisabledOrDead(image)).toBe(true);
            }
          }
        }),
        { numRuns },
      );
    },
    timeout,
  );

  it(
    "is idempotent: after applying the plan, nothing it kept gets a destructive action",
    () => {
      fc.assert(
        fc.property(inventoryArbitrary, (input) => {
          const first = planRetention(input);
          const second = planRetention(applyPlan(input, first, () => true, true));
          for (const decision of first.decisions) {
            // A deregistration the cap held back for this run is due in the next one, by design.
            if (
              decision.action !== "keep" ||
              decision.reasons.some((reason) => reason.rule === "deletion-cap")
            )
              continue;
            expect(decisionAt(second, decision.region, decision.imageId)?.action).toBe("keep");
          }
        }),
        { numRuns },
      );
    },
    timeout,
  );

  it(
    "resumes a sweep killed half-way: done regions are not redone, the rest is planned again",
    () => {
      fc.assert(
        fc.property(
          inventoryArbitrary,
          fc.array(fc.boolean(), { minLength: 40, maxLength: 40 }),
          (input, done) => {
            const first = planRetention(input);
            const chosen = (index: number) => done[index % done.length] === true;
            const second = planRetention(applyPlan(input, first, chosen, false));
            first.decisions.forEach((decision, index) => {
              if (!destructive.has(decision.action)) return;
              const again = decisionAt(second, decision.region, decision.imageId);
              if (chosen(index)) {
                expect(again?.action).not.toBe(decision.action);
                return;
              }
              // A version whose disabling just finished may now deregister first and take the cap's slot.
              const heldBackByCap =
                again?.action === "keep" && again.reasons.some((r) => r.rule === "deletion-cap");
              if (!heldBackByCap) expect(again?.action).toBe(decision.action);
            });
          },
        ),
        { numRuns },
      );
    },
    timeout,
  );
});
