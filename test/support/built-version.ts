import type { VersionRecord } from "@ami-lifecycle/core";

/** An active version `web` v`number` built at `createdAt`, its source available in us-east-1 (`ami-<number>`). */
export function builtVersion(number: number, createdAt: string): VersionRecord {
  return {
    family: "web",
    version: number,
    sourceRegion: "us-east-1",
    sourceImageId: `ami-${number}`,
    name: `web-${number}`,
    createdAt,
    stage: "active",
    regions: {
      "us-east-1": {
        region: "us-east-1",
        imageId: `ami-${number}`,
        state: "available",
        role: "source",
        snapshotIds: [],
        copyAttempts: 0,
        updatedAt: createdAt,
      },
    },
  };
}
