import type { FamilyConfig } from "../config";
import type { VersionRecord } from "../model";
import { recordSharingBeforeRevoke } from "../recovery/record-before-revoke";
import type { RecoveryDependencies } from "../recovery/recovery-dependencies";
import { failureOf, type SweepFailure } from "../sweep-results";
import type { SharingDependencies } from "./sharing-dependencies";
import { hasConsumers, type SharingChange, syncSharing } from "./sync-sharing";

/**
 * The sweep's sharing reconciliation: every version not yet deregistered gets exactly the family's launch
 * permissions, or none once retired (stage past active, or retiring in this enforce sweep). Idempotent:
 * a family in sync costs reads only. One version's failure is recorded and the rest goes on.
 *
 * Reading launch permissions costs one EC2 call per image, so a family that shares with nobody and was
 * never shared by the service is skipped: the service grants only what the config names, so there is
 * nothing to revoke. The registry sets a family's sharing marker before the first grant and clears it
 * once a pass with nobody to share with has revoked everything.
 */
export async function reconcileSharing(
  deps: SharingDependencies & RecoveryDependencies,
  family: FamilyConfig,
  versions: readonly VersionRecord[],
  retiring: ReadonlySet<number>,
): Promise<{ changes: SharingChange[]; failures: SweepFailure[] }> {
  const changes: SharingChange[] = [];
  const failures: SweepFailure[] = [];
  const sharesWithSomeone = hasConsumers(family);
  if (sharesWithSomeone) await deps.registry.setSharingGranted(family.name, true);
  else if (!(await deps.registry.sharingGranted(family.name))) return { changes, failures };
  for (const version of versions) {
    if (version.stage === "deregistered") continue;
    const retired =
      version.stage !== "active" || (deps.config.mode === "enforce" && retiring.has(version.version));
    try {
      if (retired) await recordSharingBeforeRevoke(deps, family, version, deps.clock.now());
      changes.push(...(await syncSharing(deps, family, version, { retired })));
    } catch (error) {
      failures.push(failureOf("sync-sharing", error, { family: family.name, version: version.version }));
    }
  }
  if (!sharesWithSomeone && failures.length === 0) await deps.registry.setSharingGranted(family.name, false);
  return { changes, failures };
}
