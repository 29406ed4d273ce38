// The service's own events, in a module of their own: the sweep needs these names, and importing them
// from patterns.ts would put every event contract (and its schema) into the sweep's bundle.

/** Source of the events the service puts on its own bus. */
export const serviceEventSource = "ami-lifecycle";
/** detail-type of the request to sweep one family (from the schedule or the CLI). */
export const familySweepRequestDetailType = "Family Sweep Requested";

/** EventBridge refuses events larger than 256 KB; anything bigger did not come from EventBridge. */
export const maxEventBytes = 256 * 1024;

/**
 * Why an event cannot have come from EventBridge because of its size, or undefined. Checked before any
 * contract: a contract strips fields it does not know, so an oversized event would otherwise pass.
 */
export function eventSizeProblem(event: unknown): string | undefined {
  const size = new TextEncoder().encode(JSON.stringify(event) ?? "").length;
  if (size <= maxEventBytes) return undefined;
  return `is ${size} bytes; EventBridge events are at most ${maxEventBytes} bytes (256 KB)`;
}
