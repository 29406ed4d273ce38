import { AmiLifecycleError } from "../errors";

/** A withdrawn version (rolled back) would be promoted: needs `force`. */
export class WithdrawnVersionError extends AmiLifecycleError {
  override name = "WithdrawnVersionError";
  constructor(
    readonly family: string,
    readonly version: number,
  ) {
    super(`${family} v${version} is withdrawn (rolled back); promote it again with force`);
  }
}

/** A rollback or promotion names something that cannot be pointed at (unknown family, version, channel…). */
export class PointerTargetError extends AmiLifecycleError {
  override name = "PointerTargetError";
  constructor(
    readonly family: string,
    reason: string,
  ) {
    super(`${family}: ${reason}`);
  }
}
