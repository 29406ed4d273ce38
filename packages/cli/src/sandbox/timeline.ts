/** Who or what caused a timeline entry. */
export type TimelineKind =
  /** someone acted on the account (a pipeline build, a person's copy, a launch) */
  | "action"
  /** an event was routed to a handler, which reacted */
  | "event"
  /** the scheduled retention sweep */
  | "sweep";

/** How the service's reaction ended. */
export type TimelineStatus = "ok" | "ignored" | "rejected" | "failed" | "unrouted";

/** One line of the sandbox's story: when, where, what happened, and what the service did about it. */
export interface TimelineEntry {
  /** simulated time (ISO-8601) */
  time: string;
  region: string;
  kind: TimelineKind;
  /** what happened: an API call, an EventBridge event, a schedule */
  event: string;
  /** what the service did (the handler's outcome and actions) */
  outcome: string;
  status: TimelineStatus;
  /** the handler's raw result, for --json */
  result?: unknown;
}
