import { AmiLifecycleError } from "../errors";

/** One region of a version a restore cannot bring back, and what is missing there. */
export interface UnrestorableRegion {
  region: string;
  imageId?: string;
  missing: string;
  /** set when the owner can clear the refusal: what blocks the restore now */
  reason?: "image-public";
  /** what the owner can do so that running restore again succeeds */
  remedy?: string;
}

/** A restore refused before anything changed: every region that cannot be restored, each with why. */
export class RestoreRefusedError extends AmiLifecycleError {
  override name = "RestoreRefusedError";
  constructor(
    readonly family: string,
    readonly version: number,
    readonly regions: readonly UnrestorableRegion[],
  ) {
    super(
      `${family} v${version} cannot be restored, nothing was changed: ${regions
        .map((region) => `${region.region}: ${region.missing}${region.remedy ? ` — ${region.remedy}` : ""}`)
        .join("; ")}`,
    );
  }
}

/** A restore names something that does not exist (family, version, region) or needs an adapter not wired. */
export class RestoreTargetError extends AmiLifecycleError {
  override name = "RestoreTargetError";
  constructor(
    readonly family: string,
    reason: string,
  ) {
    super(`${family}: ${reason}`);
  }
}

/** Restored snapshots did not become available within the wait; running the restore again resumes. */
export class SnapshotRecoveryTimeoutError extends AmiLifecycleError {
  override name = "SnapshotRecoveryTimeoutError";
  constructor(
    readonly region: string,
    readonly snapshotIds: readonly string[],
  ) {
    super(
      `snapshots ${snapshotIds.join(", ")} in ${region} are still recovering from the Recycle Bin; run the restore again to resume`,
    );
  }
}

/**
 * A restore stopped in one region after its plan passed: the image became public meanwhile, so EC2 would
 * refuse to cancel its deprecation. The regions before it are restored; running restore again resumes.
 */
export class RestoreStoppedError extends AmiLifecycleError {
  override name = "RestoreStoppedError";
  constructor(
    readonly family: string,
    readonly version: number,
    readonly stopped: UnrestorableRegion,
  ) {
    super(
      `${family} v${version}: restore stopped in ${stopped.region} before cancelling the deprecation: ${stopped.missing}${stopped.remedy ? ` — ${stopped.remedy}` : ""}; the regions before it are restored and running restore again resumes`,
    );
  }
}
