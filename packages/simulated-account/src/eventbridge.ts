import type { PutEventsCommandInput } from "@aws-sdk/client-eventbridge";
import { SimApiError } from "./errors";
import { type EventBridgeEvent, eventTime } from "./events";
import type { SimEventBus } from "./state";
import type { CallContext, SimWorld } from "./world";

/** Creates (or returns) a custom event bus in the region, with a resource policy for other accounts. */
export function createEventBus(
  world: SimWorld,
  region: string,
  name: string,
  options: { policy?: object } = {},
): string {
  if (!/^[\w.-]{1,256}$/.test(name) || name === "default") {
    throw new SimApiError("ValidationException", `Invalid event bus name: ${name}`);
  }
  const state = world.region(region);
  state.eventBuses ??= new Map();
  const arn = `arn:aws:events:${region}:${world.accountId}:event-bus/${name}`;
  const bus = state.eventBuses.get(arn);
  if (bus) {
    if (options.policy) bus.policy = options.policy;
  } else {
    state.eventBuses.set(arn, { arn, name, received: [], ...options });
  }
  return arn;
}

/** The ARN PutEvents puts an entry on: the entry's EventBusName (a name or an ARN), else the default bus. */
export function eventBusArnOf(region: string, account: string, name: string | undefined): string {
  if (name?.startsWith("arn:")) return name;
  return `arn:aws:events:${region}:${account}:event-bus/${name ?? "default"}`;
}

/**
 * The custom bus an ARN names, in this account or, in a simulated organization, another account's
 * (cross-account PutEvents); undefined when it does not exist.
 */
export function findEventBus(world: SimWorld, arn: string): SimEventBus | undefined {
  const [, , , region = "", account = ""] = arn.split(":");
  const owner =
    account === world.accountId
      ? world
      : world.organization?.accountWorlds().find((candidate) => candidate.accountId === account);
  return owner?.region(region).eventBuses?.get(arn);
}

/**
 * EventBridge PutEvents: an entry for the default bus joins the account's event stream in the caller's
 * region; one for a custom bus (by name or ARN, this account's or another's whose policy allowed it,
 * see iam/service-requests.ts) is kept on that bus with the sender's account.
 */
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
      const arn = eventBusArnOf(call.region, world.accountId, entry.EventBusName);
      const custom = !arn.endsWith(":event-bus/default");
      const bus = custom ? findEventBus(world, arn) : undefined;
      if (custom && !bus) {
        return { ErrorCode: "ResourceNotFoundException", ErrorMessage: `Event bus ${arn} does not exist.` };
      }
      const id = world.ids.uuid();
      const event: EventBridgeEvent = {
        version: "0",
        id,
        "detail-type": entry.DetailType,
        source: entry.Source,
        account: world.accountId,
        time: eventTime((entry.Time ?? world.clock.now()).getTime()),
        region: call.region,
        resources: entry.Resources ?? [],
        detail,
      };
      if (bus) bus.received.push(event);
      else world.events.push(event);
      return { EventId: id };
    });
    return { Entries: results, FailedEntryCount: results.filter((result) => "ErrorCode" in result).length };
  },
};
