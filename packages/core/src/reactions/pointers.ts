import type { FamilyConfig } from "../config";
import type { VersionRecord } from "../model";
import { assertLatestPointer } from "../pointers/latest";
import type { ReactionDependencies } from "./dependencies";

/**
 * Moves the family's `latest` pointer of the region to the newest available, non-withdrawn version, now
 * that `version` changed there. The version as this reaction just recorded it replaces the registry's
 * copy, so the decision never misses the write that triggered it.
 */
export async function publishLatest(
  deps: ReactionDependencies,
  family: FamilyConfig,
  version: VersionRecord,
  region: string,
): Promise<string[]> {
  if (!deps.pointers) return [];
  const listed = await deps.registry.listVersions(family.name);
  const stored = listed.find((candidate) => candidate.version === version.version);
  // A rollback may have withdrawn the version since this reaction read it: the stored flag wins.
  const merged = { ...version, withdrawn: Boolean(stored?.withdrawn || version.withdrawn) };
  const versions = [...listed.filter((candidate) => candidate.version !== version.version), merged];
  const move = await assertLatestPointer(
    deps.pointers,
    deps.config.pointers.namePattern,
    family.name,
    versions,
    region,
  );
  return move ? [`pointer-moved:${region}:v${move.version}`] : [];
}
