// The config's names and limits that code outside the config's validation needs, without zod: a module
// that builds zod schemas at its top level is kept whole by the bundler whenever anything imports it, and
// the functions read a config checked at deploy (checked-config.ts), not the schemas.

/** Name of the configuration file at the repository root. */
export const configFileName = "ami-lifecycle.config.json";

/** No requested sweep may deregister more versions of a family than this (`retention.maxRequestedDeletions`). */
export const maxRequestedDeletionsLimit = 10_000;

/** The channel every family has, moved automatically to the newest available, non-withdrawn version. */
export const latestChannel = "latest";
/** Default `pointers.namePattern`. */
export const defaultPointerNamePattern = "/ami-lifecycle/{family}/{channel}";

/**
 * Families a sweep works on at once by default: enough to keep several regions' buckets busy, while the
 * pacer beneath the EC2 clients holds every call within them and the event handlers keep their share.
 */
export const defaultSweepConcurrency = 8;

/** One problem found in a document: where (`families[2].retention.keepLatest`) and why. */
export interface ReadableIssue {
  path: string;
  message: string;
}

/** Formats an issue path the way a person reads it: `families[2].retention.keepLatest`. */
export function formatPath(path: readonly PropertyKey[]): string {
  if (path.length === 0) return "(root)";
  return path
    .map((segment, index) =>
      typeof segment === "number" ? `[${segment}]` : index === 0 ? String(segment) : `.${String(segment)}`,
    )
    .join("");
}
