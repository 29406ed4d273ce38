import type { FamilyConfig } from "../config";
import type { Effect } from "../effects";
import type { AwsOperationError } from "../errors";
import type { RegionImageRecord, VersionRecord } from "../model";
import { notifyOnce } from "../notifications/once";
import { versionNotification } from "../notifications/version-messages";
import type { CopyDependencies } from "./copy-dependencies";

type CopyDestination = FamilyConfig["copyTo"][number];

/**
 * Records a CopyImage that EC2 refused for a reason retrying cannot fix (InvalidAMIName.Duplicate, a
 * malformed name, a parameter EC2 rejects) as a failed copy of that destination, and tells the team
 * once per attempt. Returns the effects so the caller goes on with the other destinations.
 */
export async function recordRefusedCopy(
  deps: CopyDependencies,
  family: FamilyConfig,
  version: VersionRecord,
  destination: CopyDestination,
  attempt: number,
  error: AwsOperationError,
): Promise<Effect[]> {
  const previous = version.regions[destination.region];
  const detail = error.cause instanceof Error && error.cause.message ? `: ${error.cause.message}` : "";
  const record: RegionImageRecord = {
    region: destination.region,
    state: "failed",
    role: "copy",
    kmsKeyId: destination.kmsKeyId,
    snapshotIds: [],
    copyAttempts: attempt,
    failureReason: `CopyImage refused (${error.code})${detail}`,
    copyRefused: error.code,
    updatedAt: deps.clock.now().toISOString(),
  };
  deps.log.warn("copy refused by EC2; recorded failed", {
    family: family.name,
    version: version.version,
    region: destination.region,
    code: error.code,
  });
  const effects: Effect[] = [{ kind: "copy-refused", region: destination.region }];
  // Unchanged refusals (a sweep retrying the same attempt) need no second write.
  if (previous?.copyRefused !== error.code || previous.copyAttempts !== attempt || previous.imageId) {
    const written = await deps.registry.putRegionImage(family.name, version.version, record, {
      expectImageId: previous?.imageId ?? null,
    });
    if (!written) return [{ kind: "copy-raced", region: destination.region }];
  }
  const current = { ...version, regions: { ...version.regions, [destination.region]: record } };
  const notification = versionNotification("copy-failed", family, current, destination.region, {
    reason: record.failureReason,
    attempt,
    final: true,
  });
  const key = `copy-failed:${family.name}:${version.version}:${destination.region}:${attempt}`;
  if (await notifyOnce(deps, key, notification)) effects.push({ kind: "notified", type: "copy-failed" });
  return effects;
}
