import type { RegionImageRecord } from "../model";

// The keys of the one-time claims a store may lease with a region write (VersionRecorder.putRegionImage
// `leaseClaims`). Apart from the notices, so the capabilities that write regions import no notification code.

/** The claim key of a region's `available` notification (its store may lease it with the region's write). */
export function availableClaimKey(family: string, version: number, region: string): string {
  return `notify:available:${family}:${version}:${region}`;
}

/**
 * The claims a region write leases (VersionRecorder.putRegionImage `leaseClaims`): the region's
 * `available` claim when the write records its transition to `available`, since that notification follows
 * it. Any other write (a marker, a retirement, a restore) leases none, so no claim is left pending with no
 * notification behind it.
 */
export function availableTransitionLeases(
  family: string,
  version: number,
  previous: RegionImageRecord | undefined,
  record: RegionImageRecord,
): string[] {
  const transition = record.state === "available" && previous?.state !== "available";
  return transition ? [availableClaimKey(family, version, record.region)] : [];
}

/** The claim key of a version's `replicated` notification (its store may lease it with a region write). */
export function replicatedClaimKey(family: string, version: number): string {
  return `notify:replicated:${family}:${version}`;
}
