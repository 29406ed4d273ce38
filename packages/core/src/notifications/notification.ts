/** Kinds of notification, one per meaningful change. Teams filter on them with SNS filter policies. */
export type NotificationType =
  | "registered"
  /** existing images built before the service were adopted as versions (one summary per family and run) */
  | "adopted"
  | "available"
  | "replicated"
  | "copy-failed"
  | "failed"
  | "deregistered-elsewhere"
  | "disabled-elsewhere"
  /** an operator (or automation) rolled a family's latest pointers back; the bad versions are withdrawn */
  | "rolled-back"
  /** an operator (or automation) restored a retired version: active again, held from retirement for a while */
  | "restored"
  | "retention-summary"
  /** the weekly digest of a family (`notifications.digest`): its versions and what is coming */
  | "digest"
  /** an image was made public (group `all`): reverted when managed and `guard.publicImages` is revert */
  | "public-sharing"
  /** image block public access is off in a region: anyone with ModifyImageAttribute can make AMIs public */
  | "public-access-unblocked"
  /** someone other than the service wrote or deleted `ami-lifecycle:*` tags (security topic) */
  | "tag-tampering"
  /** consumer accounts (or organizations / OUs) a sweep could not check: what they could use was kept */
  | "consumers-unreachable"
  /** a consumer account still uses a shared version due to retire: what uses it and the steps' dates */
  | "consumer-schedule";

/** How urgent a notification is; also an SNS message attribute. */
export type Severity = "info" | "warning" | "error";

/** A notification as published: attributes for filter policies, a human subject/body, the full detail. */
export interface Notification {
  eventType: NotificationType;
  family: string;
  team: string;
  severity: Severity;
  region: string;
  /** short human subject (SNS limits subjects to 100 characters) */
  subject: string;
  /** a few human lines */
  body: string;
  /** the full machine-readable detail */
  detail: Record<string, unknown>;
  /** the consumer account a consumer notice is for (consumers' topic filter policies match it) */
  consumerAccount?: string;
}

/** SNS message attribute names, in one place for the publisher, the stacks' filter policies and the docs. */
export const notificationAttributeNames = [
  "eventType",
  "family",
  "team",
  "severity",
  "region",
  "consumerAccount",
] as const;

/** Cuts a subject to SNS's 100-character limit. */
export function subjectLine(text: string): string {
  return text.length <= 100 ? text : `${text.slice(0, 99)}…`;
}
