import type { VersionRecord } from "../model";
import type { NewVersion } from "../ports";

/** The record a newly registered version starts as: active, with its source image as the only region. */
export function newVersionRecord(input: NewVersion, version: number): VersionRecord {
  const record: VersionRecord = {
    family: input.family,
    version,
    sourceRegion: input.region,
    sourceImageId: input.imageId,
    name: input.name,
    createdAt: input.createdAt,
    stage: "active",
    stageChangedAt: input.createdAt,
    regions: {
      [input.region]: {
        region: input.region,
        imageId: input.imageId,
        state: input.state,
        role: "source",
        snapshotIds: [...input.snapshotIds],
        copyAttempts: 0,
        updatedAt: input.createdAt,
      },
    },
  };
  if (input.createdBy !== undefined) record.createdBy = input.createdBy;
  return record;
}
