import { adoptionCreator } from "../adoption/plan-adoption";
import type { FamilyConfig } from "../config";
import { effectLabel } from "../effects";
import type { VersionRecord } from "../model";
import { failureOf, type RegistryReconciliation } from "../sweep-results";
import type { CopyDependencies } from "./copy-dependencies";
import { copyDestinations, nextCopyAttempt, startCopies } from "./start-copies";

/**
 * (Re)starts the copies an active, kept version still needs: waiting for quota, failed with attempts
 * left, or never started. Versions on their way out are not copied any more.
 */
export async function restartCopies(
  deps: CopyDependencies,
  family: FamilyConfig,
  versions: readonly VersionRecord[],
  retiring: ReadonlySet<number>,
): Promise<RegistryReconciliation> {
  const result: RegistryReconciliation = { reconciled: [], failures: [] };
  for (const version of versions) {
    if (version.stage !== "active" || version.withdrawn || retiring.has(version.version)) continue;
    if (version.regions[version.sourceRegion]?.state !== "available") continue;
    if (copiesNotRequested(family, version)) continue;
    const needsCopy = copyDestinations(family, version).some(
      (destination) =>
        nextCopyAttempt(version.regions[destination.region], family.maxCopyAttempts) !== undefined,
    );
    if (!needsCopy) continue;
    try {
      for (const effect of await startCopies(deps, family, version)) {
        // A copy EC2 refused again started nothing (its copy-failed went out the first time), and a
        // copy another attempt recorded first was not this sweep's repair.
        if (effect.kind === "copy-started")
          result.reconciled.push({ ...effect, version: version.version, detail: effectLabel(effect) });
        if (effect.kind === "copy-waiting")
          result.reconciled.push({
            kind: "copy-queued",
            region: effect.region,
            version: version.version,
            detail: effectLabel(effect),
          });
      }
    } catch (error) {
      result.failures.push(
        failureOf("restart-copies", error, { family: family.name, version: version.version }),
      );
    }
  }
  return result;
}

/**
 * An adopted version is copied only when someone asks (`adopt --copy`): until one of its copies was
 * started, the sweep starts none (the copies adoption found in other regions were never started by it).
 */
function copiesNotRequested(family: FamilyConfig, version: VersionRecord): boolean {
  if (version.createdBy !== adoptionCreator) return false;
  return !copyDestinations(family, version).some(
    (destination) => (version.regions[destination.region]?.copyAttempts ?? 0) > 0,
  );
}
