import type { ContinuationRequester, SweepRequester } from "@ami-lifecycle/core";
import { AwsOperationError, familySweepRequestDetailType, serviceEventSource } from "@ami-lifecycle/core";
import { type EventBridgeClient, PutEventsCommand } from "@aws-sdk/client-eventbridge";
import { withAwsErrors } from "../errors";

/** Asks for a family sweep by putting an event on the home region's default bus; a rule routes it to the sweep function. */
export class EventBridgeSweepRequester implements SweepRequester, ContinuationRequester {
  constructor(private readonly client: EventBridgeClient) {}

  async requestFamilySweep(
    family: string,
    reason: string,
    options: { maxDeletions?: number; requestKey?: string } = {},
  ): Promise<void> {
    await this.put({
      family,
      reason,
      ...(options.maxDeletions !== undefined ? { maxDeletions: options.maxDeletions } : {}),
      ...(options.requestKey ? { requestKey: options.requestKey } : {}),
    });
  }

  /** Asks for part `part` of the sweep run `runId` (the same rule routes it to the sweep function). */
  async requestContinuation(runId: string, part: number): Promise<void> {
    await this.put({ continuation: { runId, part }, reason: `continuation ${part} of ${runId}` });
  }

  private async put(detail: Record<string, unknown>): Promise<void> {
    const result = await withAwsErrors("PutEvents", () =>
      this.client.send(
        new PutEventsCommand({
          Entries: [
            {
              Source: serviceEventSource,
              DetailType: familySweepRequestDetailType,
              Detail: JSON.stringify(detail),
            },
          ],
        }),
      ),
    );
    // PutEvents reports per-entry failures in the response instead of throwing.
    const failed = result.Entries?.find((entry) => entry.ErrorCode);
    if (failed || (result.FailedEntryCount ?? 0) > 0) {
      throw new AwsOperationError("PutEvents", failed?.ErrorCode ?? "FailedEntry");
    }
  }
}
