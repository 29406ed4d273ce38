/** The tag the service puts on an image and every snapshot just before deregistering them into the bin. */
export const retiredTag = { key: "ami-lifecycle:retired", value: "true" } as const;

/** Whether a region's Recycle Bin can give back what is deregistered now, for a retention period. */
export type RecycleBinReadiness = { ready: true } | { ready: false; reason: string };

/**
 * The Recycle Bin of each managed region (rbin rules, EC2's bin listing). Implemented in packages/aws
 * over @aws-sdk/client-rbin and @aws-sdk/client-ec2.
 */
export interface RecycleBinService {
  /**
   * Active tag-level rules on `retiredTag` for EC2_IMAGE (retention ≥ `days`) and EBS_SNAPSHOT
   * (retention ≥ the image rule's): only then is a deregistered version restorable for `days`.
   */
  readiness(region: string, days: number): Promise<RecycleBinReadiness>;
  /** ListImagesInRecycleBin for these ids: the ones still in the bin. */
  imagesInBin(region: string, imageIds: readonly string[]): Promise<Set<string>>;
}
