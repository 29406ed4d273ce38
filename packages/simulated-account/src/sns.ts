import type {
  CreateTopicCommandInput,
  ListTopicsCommandInput,
  PublishCommandInput,
} from "@aws-sdk/client-sns";
import { SimApiError } from "./errors";
import type { PublishedMessage } from "./state";
import type { CallContext, SimWorld } from "./world";

/**
 * SNS answers the wire codes `InvalidParameter`, `ParameterValueInvalid` and `NotFound`; the SDK raises
 * them as its modeled exceptions, whose names are what callers see (checked against moto, docs/conformance.md).
 */
const INVALID_PARAMETER = "InvalidParameterException";
const INVALID_PARAMETER_VALUE = "InvalidParameterValueException";
const NOT_FOUND = "NotFoundException";

/** SNS limits: 256 KB for the message and its attributes, 100 characters for the subject. */
const MAX_MESSAGE_BYTES = 262_144;
const MAX_SUBJECT_LENGTH = 100;

/** Creates (or returns) a standard topic in the region, optionally encrypted with a key (its ARN). */
export function createTopic(
  world: SimWorld,
  region: string,
  name: string,
  options: { kmsKeyArn?: string; policy?: object } = {},
): string {
  if (!/^[A-Za-z0-9_-]{1,256}(\.fifo)?$/.test(name)) {
    throw new SimApiError(INVALID_PARAMETER, "Invalid parameter: Topic Name");
  }
  const state = world.region(region);
  const arn = `arn:aws:sns:${region}:${world.accountId}:${name}`;
  if (!state.topics.has(arn)) state.topics.set(arn, { arn, name, ...options });
  return arn;
}

function validateAttributes(
  attributes: PublishCommandInput["MessageAttributes"],
): PublishedMessage["messageAttributes"] {
  const result: PublishedMessage["messageAttributes"] = {};
  for (const [name, attribute] of Object.entries(attributes ?? {})) {
    const type = attribute.DataType ?? "";
    if (!/^(String|Number|Binary)(\..+)?$/.test(type)) {
      throw new SimApiError(
        INVALID_PARAMETER_VALUE,
        `The message attribute '${name}' has an invalid message attribute type`,
      );
    }
    if (!type.startsWith("Binary") && (attribute.StringValue === undefined || attribute.StringValue === "")) {
      throw new SimApiError(
        INVALID_PARAMETER_VALUE,
        `The message attribute '${name}' must contain non-empty message attribute value`,
      );
    }
    result[name] = {
      DataType: type,
      ...(attribute.StringValue !== undefined ? { StringValue: attribute.StringValue } : {}),
    };
  }
  return result;
}

/** SNS operations answered by the simulated account. */
export const snsHandlers = {
  CreateTopic(world: SimWorld, call: CallContext, input: CreateTopicCommandInput) {
    return { TopicArn: createTopic(world, call.region, input.Name ?? "") };
  },

  ListTopics(world: SimWorld, call: CallContext, _input: ListTopicsCommandInput) {
    return {
      Topics: [...world.region(call.region).topics.values()].map((topic) => ({ TopicArn: topic.arn })),
    };
  },

  Publish(world: SimWorld, call: CallContext, input: PublishCommandInput) {
    if (input.TargetArn !== undefined || input.PhoneNumber !== undefined) {
      throw new SimApiError(INVALID_PARAMETER, "The simulated account only publishes to topics (TopicArn).");
    }
    const topicArn = input.TopicArn ?? "";
    const arnRegion = /^arn:aws:sns:([^:]+):\d{12}:[^:]+$/.exec(topicArn)?.[1];
    if (arnRegion === undefined || arnRegion !== call.region) {
      throw new SimApiError(INVALID_PARAMETER, "Invalid parameter: TopicArn");
    }
    if (!world.region(call.region).topics.has(topicArn)) {
      throw new SimApiError(NOT_FOUND, "Topic does not exist", 404);
    }
    const message = input.Message ?? "";
    if (message.length === 0) throw new SimApiError(INVALID_PARAMETER, "Invalid parameter: Empty message");
    const subject = input.Subject;
    if (subject !== undefined) {
      // Subject: up to 100 printable characters, no line breaks or control characters (SNS Publish API reference).
      if (subject.length === 0 || subject.length > MAX_SUBJECT_LENGTH || /[\p{Cc}]/u.test(subject)) {
        throw new SimApiError(INVALID_PARAMETER, "Invalid parameter: Subject");
      }
    }
    const attributes = validateAttributes(input.MessageAttributes);
    const attributeBytes = Object.entries(attributes).reduce(
      (sum, [name, value]) =>
        sum +
        Buffer.byteLength(name) +
        Buffer.byteLength(value.DataType) +
        Buffer.byteLength(value.StringValue ?? ""),
      0,
    );
    if (Buffer.byteLength(message) + attributeBytes > MAX_MESSAGE_BYTES) {
      throw new SimApiError(INVALID_PARAMETER, "Invalid parameter: Message too long");
    }
    const messageId = world.ids.uuid();
    world.published.push({
      messageId,
      region: call.region,
      topicArn,
      ...(subject !== undefined ? { subject } : {}),
      message,
      messageAttributes: attributes,
      publishedAt: world.clock.now(),
    });
    return { MessageId: messageId };
  },
};
