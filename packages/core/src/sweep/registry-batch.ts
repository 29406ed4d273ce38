import { RegistryConflictError } from "../errors";
import type { RegistryBatchResult, RegistryBatchWrite, RetentionRecords, VersionRecorder } from "../ports";

/**
 * A stage advance of a batch waits for its version's region writes (which come before it): true when
 * one of them was answered and not written, so the version keeps its stage (its retirement is not
 * recorded whole). A write not answered yet is in the same transaction, which writes all or nothing.
 */
export function stageAdvanceBlocked(
  writes: readonly RegistryBatchWrite[],
  results: readonly (RegistryBatchResult | undefined)[],
  index: number,
): boolean {
  const write = writes[index];
  if (write?.kind !== "advance-stage") return false;
  return writes.some(
    (other, earlier) =>
      earlier < index &&
      other.kind === "region-image" &&
      other.version === write.version &&
      results[earlier] !== undefined &&
      !(results[earlier].ok && results[earlier].written),
  );
}

/** The result of a stage advance left out because a region write of its version did not hold. */
export function blockedAdvance(family: string, version: number): RegistryBatchResult {
  return {
    ok: false,
    error: new RegistryConflictError(
      `stage of v${version} of ${family} not advanced: a region write of the version did not hold`,
    ),
  };
}

/** Writes a sweep pass's registry changes of one family in the registry's batches (`writeBatch`); none: no call. */
export async function writeRegistryBatch(
  registry: Pick<RetentionRecords, "writeBatch">,
  family: string,
  writes: readonly RegistryBatchWrite[],
): Promise<RegistryBatchResult[]> {
  if (writes.length === 0) return [];
  return registry.writeBatch(family, writes);
}

/**
 * RetentionRecords.writeBatch for a store without transactions (the replay's dry run, unit fakes): one
 * write at a time in order, each with its own condition, a stage advance only after its version's
 * region writes held.
 */
export async function writeBatchOneByOne(
  registry: Pick<RetentionRecords, "advanceStage"> & Pick<VersionRecorder, "putRegionImage">,
  family: string,
  writes: readonly RegistryBatchWrite[],
): Promise<RegistryBatchResult[]> {
  const results: RegistryBatchResult[] = [];
  for (const [index, write] of writes.entries()) {
    if (stageAdvanceBlocked(writes, results, index)) {
      results.push(blockedAdvance(family, write.version));
      continue;
    }
    try {
      const written =
        write.kind === "region-image"
          ? await registry.putRegionImage(family, write.version, write.record, {
              expectImageId: write.expectImageId,
            })
          : await registry.advanceStage(family, write.version, write.stage);
      results.push({ ok: true, written });
    } catch (error) {
      results.push({ ok: false, error });
    }
  }
  return results;
}
