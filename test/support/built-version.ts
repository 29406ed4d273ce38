import type { RegionImageState, RetentionStage, VersionRecord } from "@ami-lifecycle/core";

/** What a test may change of a built version: its image's state, its stage, whether it was withdrawn. */
export interface BuiltVersionOptions {
  state?: RegionImageState;
  stage?: RetentionStage;
  withdrawn?: boolean;
}

/**
 * A version `web` v`number` built at `createdAt`, its source image `ami-<number>` in us-east-1:
 * active and available unless `options` say otherwise.
 */
export function builtVersion(
  number: number,
  createdAt: string,
  options: BuiltVersionOptions = {},
): VersionRecord {
  return {
    family: "web",
    version: number,
    sourceRegion: "us-east-1",
    sourceImageId: `ami-${number}`,
    name: `web-${number}`,
    createdAt,
    stage: options.stage ?? "active",
    ...(options.withdrawn ? { withdrawn: options.withdrawn } : {}),
    regions: {
      "us-east-1": {
        region: "us-east-1",
        imageId: `ami-${number}`,
        state: options.state ?? "available",
        role: "source",
        snapshotIds: [],
        copyAttempts: 0,
        updatedAt: createdAt,
      },
    },
  };
}
