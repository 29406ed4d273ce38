import type { RegionImageRecord, VersionRecord } from "../model";

/**
 * Whether one region of a version can be restored now, read from the registry alone (no EC2 call, so
 * `plan` and `versions` stay cheap reads): `restorable` from a retirement stage (from the Recycle Bin
 * only `until` its recovery date), `final` when it is gone for good, `none` when there is nothing to
 * undo (an active image, or no image there). `restore` itself re-checks EC2 before it changes anything.
 */
export type Restorability =
  | { status: "restorable"; from: "deprecated" | "disabled"; until?: undefined }
  | { status: "restorable"; from: "recycle-bin"; until: string }
  | { status: "final"; reason: string }
  | { status: "none" };

/** The restorability of a version's region at `now` (see Restorability). */
export function restorabilityOf(
  version: VersionRecord,
  record: RegionImageRecord | undefined,
  now: Date,
): Restorability {
  if (!record?.imageId) return { status: "none" };
  switch (record.state) {
    case "recoverable": {
      const until = record.recoverableUntil;
      if (until && Date.parse(until) > now.getTime())
        return { status: "restorable", from: "recycle-bin", until };
      return { status: "final", reason: `its recovery date ${until ?? "(unknown)"} has passed` };
    }
    case "deregistered":
      return { status: "final", reason: "deregistered without the Recycle Bin" };
    case "missing":
      return { status: "final", reason: "EC2 no longer has the image" };
    case "disabled":
      return { status: "restorable", from: "disabled" };
    case "available":
      return version.stage === "active" ? { status: "none" } : { status: "restorable", from: "deprecated" };
    default:
      return { status: "none" };
  }
}
