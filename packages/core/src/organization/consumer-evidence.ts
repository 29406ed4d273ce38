import type { ConsumerUnreachableReason } from "./ports";

/** One fact, found in or about a consumer account, that keeps a shared image from retiring. */
export type BlockingEvidence =
  /** a probe in the consumer account found a resource using the image (real time) */
  | {
      kind: "reference";
      accountId: string;
      resourceType: string;
      arn: string;
      detail?: string;
    }
  /** the owner's usage report counts use by the account */
  | { kind: "usage"; accountId: string; resourceType: string; usageCount: number; reportAgeDays: number }
  /** the account could not be checked: fail safe */
  | { kind: "unreachable"; accountId: string; reason: ConsumerUnreachableReason; message: string }
  /** the accounts of an organization or OU the family shares with could not be listed: fail safe */
  | { kind: "unlisted"; parent: string; reason: ConsumerUnreachableReason; message: string }
  /** the usage report is not evidence yet (pending, or younger than the lag AWS documents) */
  | { kind: "report-inconclusive"; state: string; reportAgeDays: number; lagDays: number }
  /** the usage report could not be created or read: fail safe */
  | { kind: "report-failed"; message: string };

/** What the sweep knows of one shared image's consumers, gathered before any retirement step. */
export interface ImageEvidence {
  region: string;
  imageId: string;
  /** consumer accounts a probe answered for, sorted */
  accountsChecked: string[];
  /** age in days of the usage report the verdict rests on, when there is one */
  reportAgeDays?: number;
  /** empty: no consumer uses the image and the evidence is conclusive */
  blocking: BlockingEvidence[];
}

/** Key of an image in an evidence map. */
export function evidenceKey(region: string, imageId: string): string {
  return `${region}/${imageId}`;
}

/** One sentence a person can act on, naming the account and the resource or the failure. */
export function describeEvidence(evidence: BlockingEvidence): string {
  switch (evidence.kind) {
    case "reference":
      return `consumer account ${evidence.accountId} uses it: ${evidence.arn}${evidence.detail ? ` (${evidence.detail})` : ""}`;
    case "usage":
      return `the usage report (${formatDays(evidence.reportAgeDays)} old) counts ${evidence.usageCount} ${evidence.resourceType} of consumer account ${evidence.accountId}`;
    case "unreachable":
      return `consumer account ${evidence.accountId} could not be checked (${evidence.reason}): ${evidence.message}`;
    case "unlisted":
      return `the accounts of ${evidence.parent} could not be listed (${evidence.reason}): ${evidence.message}`;
    case "report-inconclusive":
      return `the usage report is ${evidence.state} and ${formatDays(evidence.reportAgeDays)} old; a report showing no use counts once older than ${evidence.lagDays} days`;
    case "report-failed":
      return `the usage report could not be read: ${evidence.message}`;
  }
}

/** Days with one decimal ("0.5 days"). */
export function formatDays(days: number): string {
  return `${Math.round(days * 10) / 10} days`;
}
