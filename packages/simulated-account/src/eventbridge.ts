import type { PutEventsCommandInput } from "@aws-sdk/client-eventbridge";
import { SimApiError } from "./errors";
import { eventTime } from "./events";
import type { CallContext, SimWorld } from "./world";

/** EventBridge PutEvents: custom events join the account's event stream in the caller's region. */
export const eventBridgeHandlers = {
  PutEvents(world: SimWorld, call: CallContext, input: PutEventsCommandInput) {
    const entries = input.Entries ?? [];
    if (entries.length < 1 || entries.length > 10) {
      throw new SimApiError("ValidationException", "Entries must contain between 1 and 10 events.");
    }
    const results = entries.map((entry) => {
      if (!entry.Source || !entry.DetailType || entry.Detail === undefined) {
        return { ErrorCode: "MalformedDetail", ErrorMessage: "Source, DetailType and Detail are required." };
      }
      let detail: Record<string, unknown>;
      try {
        detail = JSON.parse(entry.Detail) as Record<string, unknown>;
      } catch {
        return { ErrorCode: "MalformedDetail", ErrorMessage: "Detail is not valid JSON." };
      }
      const id = world.ids.uuid();
      world.events.push({
        version: "0",
        id,
        "detail-type": entry.DetailType,
        source: entry.Source,
        account: world.accountId,
        time: eventTime((entry.Time ?? world.clock.now()).getTime()),
        region: call.region,
        resources: entry.Resources ?? [],
        detail,
      });
      return { EventId: id };
    });
    return { Entries: results, FailedEntryCount: results.filter((result) => "ErrorCode" in result).length };
  },
};
