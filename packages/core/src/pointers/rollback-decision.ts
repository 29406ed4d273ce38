import type { PointerMove } from "./latest";

/**
 * What a rollback request decided at its first attempt, recorded in the registry before anything moves
 * (keyed by the request), so a retried request applies the same decision instead of computing "the
 * previous version" again from a registry it has already changed.
 */
export interface RollbackDecision {
  /** the caller's id of the request (the Lambda's request id, which Lambda keeps across its retries) */
  requestId: string;
  family: string;
  /** the version `latest` goes back to */
  target: number;
  /** versions the request withdraws (newer than the target and not withdrawn when it was decided) */
  withdrawn: number[];
  /** true when the target was withdrawn and `force` restores it */
  restored: boolean;
  /** the pointer moves of the attempt that applied the decision; absent until it was applied */
  pointers?: PointerMove[];
}
