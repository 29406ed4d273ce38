import type { UsageReportStatus } from "./ports";

const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * True when a usage report may count as evidence that nobody uses the image: available, not expired,
 * and older than the lag AWS documents (recent launches and template changes may be missing).
 */
export function usageReportIsConclusive(report: UsageReportStatus, now: Date, lagDays: number): boolean {
  return (
    report.state === "available" &&
    report.expiresAt.getTime() > now.getTime() &&
    now.getTime() - report.createdAt.getTime() >= lagDays * DAY_MS
  );
}
