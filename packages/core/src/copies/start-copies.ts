import type { FamilyConfig } from "../config";
import type { Effect } from "../effects";
import { AwsOperationError, CopyQuotaExceededError, ImageNotFoundError } from "../errors";
import type { RegionImageRecord, VersionRecord } from "../model";
import type { RegionImageWrite } from "../ports";
import { versionTags } from "../tags/tagging";
import type { CopyDependencies } from "./copy-dependencies";
import { copyImageName } from "./copy-name";
import { recordRefusedCopy } from "./refused-copy";

/**
 * ClientToken of one copy attempt: deterministic per (source image, destination, attempt), so a retried
 * handler gets the same copy back from EC2 instead of a second one. ClientToken allows 64 ASCII characters.
 */
export function copyClientToken(sourceImageId: string, destinationRegion: string, attempt: number): string {
  const base = `${sourceImageId}:${destinationRegion}`;
  return attempt <= 1 ? base : `${base}:${attempt}`;
}

/** Destinations the version must be copied to (the configured ones, minus its own region). */
export function copyDestinations(family: FamilyConfig, version: VersionRecord) {
  return family.copyTo.filter((destination) => destination.region !== version.sourceRegion);
}

/** Which attempt a destination needs now, or undefined when it needs none. */
export function nextCopyAttempt(
  record: RegionImageRecord | undefined,
  maxAttempts: number,
): number | undefined {
  if (!record) return 1;
  // A refusal is retried as the same attempt (a sweep, a later event): it succeeds once someone removes
  // the cause, and the team is told once, not once per try.
  if (record.copyRefused) return Math.max(record.copyAttempts, 1);
  if (record.state === "copy-waiting") return record.copyAttempts + 1;
  if (record.state === "failed" && record.role === "copy" && record.copyAttempts < maxAttempts) {
    return record.copyAttempts + 1;
  }
  return undefined;
}

/**
 * Starts the encrypted copy of an available version to every destination that needs one. A destination
 * whose concurrent-copy quota is full is recorded `copy-waiting` and started by a later trigger (another
 * copy finishing in that region, or the scheduled sweep): queued, never dropped. A destination where EC2
 * refuses the copy for good (a name already taken there, say) is recorded failed and the others go on;
 * only transient errors are rethrown, so one bad destination never sends the whole event to the DLQ.
 */
export async function startCopies(
  deps: CopyDependencies,
  family: FamilyConfig,
  version: VersionRecord,
  onlyRegion?: string,
): Promise<Effect[]> {
  const effects: Effect[] = [];
  const source = version.regions[version.sourceRegion];
  if (source?.state !== "available") return effects;
  // Copies EC2 accepted, recorded together after the loop: one registry round trip for all of them.
  const started: StartedCopy[] = [];
  try {
    for (const destination of copyDestinations(family, version)) {
      if (onlyRegion && destination.region !== onlyRegion) continue;
      const previous = version.regions[destination.region];
      const attempt = nextCopyAttempt(previous, family.maxCopyAttempts);
      if (attempt === undefined) continue;
      const now = deps.clock.now().toISOString();
      try {
        await discardFailedCopy(deps, previous);
        const { imageId } = await deps.images.copyImage({
          destinationRegion: destination.region,
          sourceRegion: version.sourceRegion,
          sourceImageId: version.sourceImageId,
          name: copyImageName(version.name),
          description: `${family.name} v${version.version} (copy of ${version.sourceImageId} from ${version.sourceRegion})`,
          kmsKeyId: destination.kmsKeyId,
          clientToken: copyClientToken(version.sourceImageId, destination.region, attempt),
          tags: versionTags(version, version.createdBy),
        });
        started.push({
          record: {
            region: destination.region,
            imageId,
            state: "pending",
            role: "copy",
            kmsKeyId: destination.kmsKeyId,
            snapshotIds: [],
            copyAttempts: attempt,
            updatedAt: now,
          },
          expectImageId: previous?.imageId ?? null,
        });
      } catch (error) {
        // AwsOperationError is what the adapter raises for every non-transient AWS error code.
        if (error instanceof AwsOperationError) {
          effects.push(...(await recordRefusedCopy(deps, family, version, destination, attempt, error)));
          continue;
        }
        if (!(error instanceof CopyQuotaExceededError)) throw error;
        deps.log.warn("copy quota reached; copy queued", {
          family: family.name,
          version: version.version,
          region: destination.region,
        });
        await deps.registry.putRegionImage(
          family.name,
          version.version,
          {
            region: destination.region,
            state: "copy-waiting",
            role: "copy",
            kmsKeyId: destination.kmsKeyId,
            snapshotIds: [],
            copyAttempts: attempt - 1,
            updatedAt: now,
            ...(previous?.failureReason ? { failureReason: previous.failureReason } : {}),
          },
          { expectImageId: previous?.imageId ?? null },
        );
        await deps.registry.setMarker(waitingCopiesMarker(destination.region));
        effects.push({ kind: "copy-waiting", region: destination.region });
      }
    }
  } finally {
    // Also when a later destination's transient error ends the loop: copies EC2 already started are
    // recorded now (a retry would get the same images back by ClientToken, but nothing waits for it).
    effects.unshift(...(await recordStartedCopies(deps, family, version, started)));
  }
  return effects;
}

/** A copy EC2 accepted, with the condition its region write needs. */
type StartedCopy = RegionImageWrite & { record: RegionImageRecord & { imageId: string } };

/**
 * Records the copies just started. Each write keeps its own condition (the region has no image yet, or
 * still the failed one this attempt replaces), so two attempts never both win a region; several go in
 * one round trip (putRegionImages), a single one is one conditional write.
 */
async function recordStartedCopies(
  deps: Pick<CopyDependencies, "registry">,
  family: FamilyConfig,
  version: VersionRecord,
  started: readonly StartedCopy[],
): Promise<Effect[]> {
  if (started.length === 0) return [];
  const { registry } = deps;
  const [only] = started;
  const recorded =
    started.length === 1 && only
      ? [
          await registry.putRegionImage(family.name, version.version, only.record, {
            ...(only.expectImageId !== undefined ? { expectImageId: only.expectImageId } : {}),
          }),
        ]
      : await registry.putRegionImages(family.name, version.version, started);
  return started.map(({ record }, index) =>
    recorded[index]
      ? { kind: "copy-started", region: record.region, imageId: record.imageId }
      : { kind: "copy-raced", region: record.region },
  );
}

/**
 * Deregisters a failed copy before its retry: the failed image keeps its name in the region, so the retry
 * (same name) would fail with InvalidAMIName.Duplicate, and a failed image is of no use to anyone.
 * Already gone is fine: a retried handler may have deregistered it before its CopyImage failed.
 */
async function discardFailedCopy(
  deps: Pick<CopyDependencies, "images">,
  previous: RegionImageRecord | undefined,
): Promise<void> {
  if (previous?.state !== "failed" || !previous.imageId) return;
  try {
    await deps.images.deregisterImage(previous.region, previous.imageId);
  } catch (error) {
    if (!(error instanceof ImageNotFoundError)) throw error;
  }
}

/** Starts the copies of the family's versions that wait for quota in one region (the "next trigger"). */
export async function startWaitingCopies(
  deps: CopyDependencies,
  family: FamilyConfig,
  region: string,
): Promise<Effect[]> {
  const effects: Effect[] = [];
  for (const version of await deps.registry.listVersions(family.name)) {
    if (version.regions[region]?.state !== "copy-waiting") continue;
    effects.push(...(await startCopies(deps, family, version, region)));
  }
  return effects;
}

/** Registry claim that says "copies may be waiting for quota in this region" (see startWaitingCopiesInRegion). */
export function waitingCopiesMarker(region: string): string {
  return `copy-waiting:${region}`;
}

/**
 * A copy into `region` finished, freeing a slot of the region's concurrent-copy quota (shared by every
 * family): starts the waiting copies of every family that copies there. Scanning every family on every
 * finished copy would cost a registry query per family, so queued copies set a per-region marker and
 * only a marked region is scanned; an unmarked region costs one read. A copy queued after that read sets
 * the marker itself, and copies in flight (the reason it queued) wake it later; the scheduled sweep
 * restarts anything left (restartCopies), so a queued copy is delayed, never dropped.
 */
export async function startWaitingCopiesInRegion(deps: CopyDependencies, region: string): Promise<Effect[]> {
  const marker = waitingCopiesMarker(region);
  if (!(await deps.registry.hasMarker(marker))) return [];
  const first = await scanWaitingCopies(deps, region);
  if (first.stillWaiting) return first.started;
  // Release, then look again: a copy queued meanwhile either shows up now or sets the marker afterwards.
  await deps.registry.clearMarker(marker);
  const again = await scanWaitingCopies(deps, region);
  if (again.stillWaiting) await deps.registry.setMarker(marker);
  return [...first.started, ...again.started];
}

async function scanWaitingCopies(deps: CopyDependencies, region: string) {
  const started: Effect[] = [];
  let stillWaiting = false;
  for (const family of deps.config.families) {
    if (!family.copyTo.some((destination) => destination.region === region)) continue;
    const effects = await startWaitingCopies(deps, family, region);
    started.push(...effects);
    stillWaiting ||= effects.some((effect) => effect.kind === "copy-waiting" && effect.region === region);
  }
  return { started, stillWaiting };
}
