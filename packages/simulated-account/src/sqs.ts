import { createHash } from "node:crypto";
import type {
  GetQueueAttributesCommandInput,
  GetQueueUrlCommandInput,
  SendMessageCommandInput,
} from "@aws-sdk/client-sqs";
import { SimApiError } from "./errors";
import type { SimQueue } from "./state";
import type { CallContext, SimWorld } from "./world";

/** The URL SQS gives a queue (the form `GetQueueUrl` returns). */
export function queueUrl(region: string, accountId: string, name: string): string {
  return `https://sqs.${region}.amazonaws.com/${accountId}/${name}`;
}

/** Creates (or returns) a standard queue in the region; returns its URL. */
export function createQueue(world: SimWorld, region: string, name: string): string {
  if (!/^[A-Za-z0-9_-]{1,80}$/.test(name)) {
    throw new SimApiError("InvalidParameterValue", `Invalid queue name: ${name}`);
  }
  const state = world.region(region);
  state.queues ??= new Map();
  const url = queueUrl(region, world.accountId, name);
  if (!state.queues.has(url)) {
    state.queues.set(url, {
      url,
      arn: `arn:aws:sqs:${region}:${world.accountId}:${name}`,
      name,
      messages: [],
    });
  }
  return url;
}

/** The queue a URL names in the call's region, or SQS's QueueDoesNotExist. */
export function queueAt(world: SimWorld, region: string, url: string | undefined): SimQueue {
  const queue = world.region(region).queues?.get(url ?? "");
  if (!queue) throw new SimApiError("QueueDoesNotExist", "The specified queue does not exist.");
  return queue;
}

/** SQS operations answered by the simulated account: enough to fill a dead-letter queue and read its depth. */
export const sqsHandlers = {
  GetQueueUrl(world: SimWorld, call: CallContext, input: GetQueueUrlCommandInput) {
    return {
      QueueUrl: queueAt(world, call.region, queueUrl(call.region, world.accountId, input.QueueName ?? ""))
        .url,
    };
  },

  SendMessage(world: SimWorld, call: CallContext, input: SendMessageCommandInput) {
    const queue = queueAt(world, call.region, input.QueueUrl);
    const id = world.ids.uuid();
    const body = input.MessageBody ?? "";
    queue.messages.push({ id, body });
    // The SDK checks this digest of the body it sent, as it does against SQS.
    return { MessageId: id, MD5OfMessageBody: createHash("md5").update(body).digest("hex") };
  },

  /** Only the attributes status reads; a real queue has more (and counts messages approximately). */
  GetQueueAttributes(world: SimWorld, call: CallContext, input: GetQueueAttributesCommandInput) {
    const queue = queueAt(world, call.region, input.QueueUrl);
    const all: Record<string, string> = {
      QueueArn: queue.arn,
      ApproximateNumberOfMessages: String(queue.messages.length),
    };
    const names = input.AttributeNames ?? [];
    const wanted = names.includes("All") ? Object.keys(all) : names;
    return {
      Attributes: Object.fromEntries(wanted.flatMap((name) => (name in all ? [[name, all[name]]] : []))),
    };
  },
};
