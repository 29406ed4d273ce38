/** What the Recycle Bin holds of one image and its snapshots (ListImagesInRecycleBin, ListSnapshotsInRecycleBin). */
export interface BinContents {
  imageBinned: boolean;
  /** the given snapshot ids the bin holds */
  binnedSnapshots: Set<string>;
}

/**
 * The EC2 operations a restore needs, per region. Implemented in packages/aws over @aws-sdk/client-ec2
 * (the bin's listing and restore calls are EC2 actions; no rbin call is needed).
 */
export interface RestoreService {
  /** Which of the image and its snapshots are in the bin now. */
  binContents(region: string, imageId: string, snapshotIds: readonly string[]): Promise<BinContents>;
  /** DescribeSnapshots (snapshot-id filter, own snapshots): state per snapshot EC2 lists; absent ids are gone. */
  snapshotStates(region: string, snapshotIds: readonly string[]): Promise<Map<string, string>>;
  /** RestoreSnapshotFromRecycleBin. */
  restoreSnapshot(region: string, snapshotId: string): Promise<void>;
  /** RestoreImageFromRecycleBin (EC2 refuses it while a snapshot is still binned or recovering). */
  restoreImage(region: string, imageId: string): Promise<void>;
  /** EnableImage: a disabled image is available again (without its launch permissions). */
  enableImage(region: string, imageId: string): Promise<void>;
  /** DisableImageDeprecation: cancels a scheduled or passed deprecation. */
  cancelDeprecation(region: string, imageId: string): Promise<void>;
  /** DeleteTags of one tag (key and value) on the image and snapshots. */
  removeTag(
    region: string,
    resourceIds: readonly string[],
    tag: { key: string; value: string },
  ): Promise<void>;
}
