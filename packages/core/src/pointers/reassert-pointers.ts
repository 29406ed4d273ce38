import type { FamilyConfig } from "../config";
import type { RegistryReconciliation } from "../sweep-results";
import { failureOf } from "../sweep-results";
import { assertLatestPointer, regionsOf } from "./latest";
import type { LatestPointerDependencies } from "./latest-dependencies";
import { protectAfterMoves } from "./protect-pointed";

/**
 * Re-asserts the family's `latest` pointer in every region it has images in, from the registry as it
 * stands after this sweep's repairs and retirements: a pointer deleted or moved by hand, or a write an
 * event reaction lost, is repaired here. One failing region does not stop the others.
 */
export async function reassertPointers(
  deps: LatestPointerDependencies,
  family: FamilyConfig,
): Promise<RegistryReconciliation> {
  const result: RegistryReconciliation = { reconciled: [], failures: [] };
  const { pointers } = deps;
  const versions = await deps.registry.listVersions(family.name);
  for (const region of regionsOf(versions)) {
    try {
      const move = await assertLatestPointer(
        pointers,
        deps.config.pointers.namePattern,
        family.name,
        versions,
        region,
      );
      if (move) {
        await protectAfterMoves(deps, family, [move]);
        result.reconciled.push({
          kind: "pointer-moved",
          region,
          version: move.version,
          imageId: move.imageId,
          detail: `${move.name} ${move.previousImageId ?? "(unset)"} → ${move.imageId}`,
        });
      }
    } catch (error) {
      result.failures.push(failureOf("reassert-pointer", error, { family: family.name, region }));
    }
  }
  return result;
}
