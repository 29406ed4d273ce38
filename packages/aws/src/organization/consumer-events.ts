import type { ConsumerBusEvent, ConsumerEventPort } from "@ami-lifecycle/core";
import { AwsOperationError } from "@ami-lifecycle/core";
import { type EventBridgeClient, PutEventsCommand } from "@aws-sdk/client-eventbridge";
import { withAwsErrors } from "../errors";

/**
 * Puts consumer schedule notices on the buses consumer accounts named: PutEvents as the sweep's own
 * role, with the bus ARN as EventBusName, through a client of the bus's region (a bus is regional).
 * The consumer's bus policy must allow the call; a refusal is this notice's failure, never the sweep's.
 */
export class EventBridgeConsumerEvents implements ConsumerEventPort {
  constructor(private readonly client: (region: string) => EventBridgeClient) {}

  async put(busArn: string, event: ConsumerBusEvent): Promise<void> {
    const region = busArn.split(":")[3] ?? "";
    const result = await withAwsErrors("PutEvents", () =>
      this.client(region).send(
        new PutEventsCommand({
          Entries: [
            {
              EventBusName: busArn,
              Source: event.source,
              DetailType: event.detailType,
              Resources: event.resources,
              Detail: JSON.stringify(event.detail),
            },
          ],
        }),
      ),
    );
    // PutEvents reports a refused entry in the response instead of throwing.
    const failed = result.Entries?.find((entry) => entry.ErrorCode);
    if (failed || (result.FailedEntryCount ?? 0) > 0) {
      throw new AwsOperationError("PutEvents", failed?.ErrorCode ?? "FailedEntry");
    }
  }
}
