import type { SweepRequester } from "@ami-lifecycle/core";
import { AwsOperationError, familySweepRequestDetailType, serviceEventSource } from "@ami-lifecycle/core";
import { type EventBridgeClient, PutEventsCommand } from "@aws-sdk/client-eventbridge";
import { withAwsErrors } from "../errors";

/** Asks for a family sweep by putting an event on the home region's default bus; a rule routes it to the sweep function. */
export class EventBridgeSweepRequester implements SweepRequester {
  constructor(private readonly client: EventBridgeClient) {}

  async requestFamilySweep(family: string, reason: string, requestKey?: string): Promise<void> {
    const result = await withAwsErrors("PutEvents", () =>
      this.client.send(
        new PutEventsCommand({
          Entries: [
            {
              Source: serviceEventSource,
              DetailType: familySweepRequestDetailType,
              Detail: JSON.stringify(requestKey ? { family, reason, requestKey } : { family, reason }),
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
