/**
 * Placeholder so the stacks can build and be tested; the real handler (EventBridge Scheduler and
 * "Family Sweep Requested" events → the retention sweep use case) replaces this file.
 */
export async function handler(): Promise<void> {
  throw new Error("retention-sweep handler is not implemented yet");
}
