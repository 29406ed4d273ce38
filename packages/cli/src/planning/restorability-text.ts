import type { Restorability } from "@ami-lifecycle/core";

/** A registry time as the tables show it: minutes, UTC ("2026-12-08 10:30"). */
function untilText(iso: string): string {
  return iso.slice(0, 16).replace("T", " ");
}

/**
 * Restorability as the `plan` table's RESTORE column reads: `recoverable until 2026-12-08 10:30` (in
 * the Recycle Bin), `restorable (deprecated)` / `restorable (disabled)`, `final`, or `-` (nothing to undo).
 */
export function restorabilityText(restorability: Restorability): string {
  switch (restorability.status) {
    case "restorable":
      return restorability.from === "recycle-bin"
        ? `recoverable until ${untilText(restorability.until)}`
        : `restorable (${restorability.from})`;
    case "final":
      return "final";
    default:
      return "-";
  }
}

/** The suffix of a `versions` table cell after the region's state: ` until …`, ` (restorable)`, ` (final)`. */
export function restorabilitySuffix(restorability: Restorability): string {
  switch (restorability.status) {
    case "restorable":
      return restorability.from === "recycle-bin"
        ? ` until ${untilText(restorability.until)}`
        : " (restorable)";
    case "final":
      return " (final)";
    default:
      return "";
  }
}
