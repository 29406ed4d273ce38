/** Base class of every error the service raises on purpose; match with `instanceof`, never by message. */
export class AmiLifecycleError extends Error {
  override name = "AmiLifecycleError";
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}

/** The configuration file does not satisfy the schema; `issues` name each path and reason. */
export class ConfigError extends AmiLifecycleError {
  override name = "ConfigError";
  constructor(
    readonly issues: readonly { path: string; message: string }[],
    source = "config",
  ) {
    super(`${source} is invalid:\n${issues.map((issue) => `  ${issue.path}: ${issue.message}`).join("\n")}`);
  }
}

/** An incoming event does not match its contract. Retrying cannot fix it: handlers log it and drop it. */
export class InvalidEventError extends AmiLifecycleError {
  override name = "InvalidEventError";
  constructor(
    readonly eventId: string | undefined,
    readonly issues: readonly { path: string; message: string }[],
  ) {
    super(
      `event ${eventId ?? "<no id>"} is invalid: ${issues.map((issue) => `${issue.path}: ${issue.message}`).join("; ")}`,
    );
  }
}

/** A transient AWS failure (throttling, 5xx, eventual consistency) that survived the SDK's retries: rethrow so Lambda retries. */
export class TransientAwsError extends AmiLifecycleError {
  override name = "TransientAwsError";
  constructor(
    readonly operation: string,
    readonly code: string,
    options?: { cause?: unknown },
  ) {
    super(`${operation} failed transiently (${code})`, options);
  }
}

/** The image does not exist (or no longer exists) in that region. */
export class ImageNotFoundError extends AmiLifecycleError {
  override name = "ImageNotFoundError";
  constructor(
    readonly region: string,
    readonly imageId: string,
    options?: { cause?: unknown },
  ) {
    super(`image ${imageId} not found in ${region}`, options);
  }
}

/** The concurrent-copy quota of the destination region is reached (`ResourceLimitExceeded`): queue the copy, don't drop it. */
export class CopyQuotaExceededError extends AmiLifecycleError {
  override name = "CopyQuotaExceededError";
  constructor(
    readonly region: string,
    options?: { cause?: unknown },
  ) {
    super(`concurrent image copy quota reached in ${region}`, options);
  }
}

/** A snapshot is still used by a registered image (`InvalidSnapshot.InUse`). */
export class SnapshotInUseError extends AmiLifecycleError {
  override name = "SnapshotInUseError";
  constructor(
    readonly region: string,
    readonly snapshotId: string,
    options?: { cause?: unknown },
  ) {
    super(`snapshot ${snapshotId} in ${region} is still used by an image`, options);
  }
}

/** Any other AWS error, translated at the adapter boundary with its AWS error code kept. */
export class AwsOperationError extends AmiLifecycleError {
  override name = "AwsOperationError";
  constructor(
    readonly operation: string,
    readonly code: string,
    options?: { cause?: unknown },
  ) {
    super(`${operation} failed (${code})`, options);
  }
}

/** A conditional registry write lost a race or found unexpected state. */
export class RegistryConflictError extends AmiLifecycleError {
  override name = "RegistryConflictError";
}

/** The Recycle Bin of a region cannot give a deregistered version back (rule missing, pending or too short): don't deregister there. */
export class RecycleBinNotReadyError extends AmiLifecycleError {
  override name = "RecycleBinNotReadyError";
  constructor(
    readonly region: string,
    readonly reason: string,
  ) {
    super(`not deregistered in ${region} this run: ${reason}`);
  }
}
