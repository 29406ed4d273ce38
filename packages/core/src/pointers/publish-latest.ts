import type { FamilyConfig } from "../config";
import type { Effect } from "../effects";
import type { VersionRecord } from "../model";
import { assertLatestPointer, availableIn } from "./latest";
import type { LatestPointerDependencies } from "./latest-dependencies";
import { protectAfterMoves } from "./protect-pointed";

/**
 * Moves the family's `latest` pointer of the region to the newest available, non-withdrawn version, now
 * that `version` changed there. The version as this reaction just recorded it replaces the registry's
 * copy, so the decision never misses the write that triggered it.
 *
 * Reads the family newest first and stops at the first version that can be `latest` there: every
 * version newer than it is read too (one of them may be what the pointer holds, see assertLatestPointer),
 * older ones cannot change the decision, so a family's retired versions are never read.
 */
export async function publishLatest(
  deps: LatestPointerDependencies,
  family: FamilyConfig,
  version: VersionRecord,
  region: string,
): Promise<Effect[]> {
  const versions: VersionRecord[] = [];
  for await (const stored of deps.registry.newestVersions(family.name)) {
    const candidate = stored.version === version.version ? recorded(version, stored) : stored;
    versions.push(candidate);
    if (!candidate.withdrawn && availableIn(candidate, region)) break;
  }
  // Stopped before reaching it (a newer version is latest) or not stored yet: the reaction's own view counts.
  if (!versions.some((candidate) => candidate.version === version.version)) versions.push(version);
  const move = await assertLatestPointer(
    deps.pointers,
    deps.config.pointers.namePattern,
    family.name,
    versions,
    region,
  );
  if (move) await protectAfterMoves(deps, family, [move]);
  return move ? [{ kind: "pointer-moved", region, version: move.version }] : [];
}

/** The reaction's version with the stored `withdrawn` flag: a rollback may have withdrawn it since this reaction read it. */
function recorded(version: VersionRecord, stored: VersionRecord): VersionRecord {
  return { ...version, withdrawn: Boolean(stored.withdrawn || version.withdrawn) };
}
