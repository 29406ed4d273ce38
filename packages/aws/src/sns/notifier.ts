import { type Notification, type Notifier, notificationAttributeNames } from "@ami-lifecycle/core";
import { type MessageAttributeValue, PublishCommand, type SNSClient } from "@aws-sdk/client-sns";
import { translateAwsError } from "../errors";

/** SNS's limit for one published message, attributes and subject included (256 KiB). */
export const snsMessageLimitBytes = 256 * 1024;

/** SNS subjects must be shorter than 100 characters. */
export const snsSubjectMaxLength = 99;

/** Line that separates the human body from the JSON detail in every message. */
export const detailSeparator = "--- detail (JSON) ---";

/** The human body is "a few lines": cap it so a runaway body cannot crowd out the detail. */
const bodyMaxLength = 4096;

/** Room left for the HTTP/Query encoding overhead SNS may count beyond the raw strings. */
const safetyMarginBytes = 1024;

/** Options of SnsNotifier. */
export interface SnsNotifierOptions {
  /** the home region's SNS client, built once (see createClients) */
  client: SNSClient;
  topicArn: string;
}

/**
 * Publishes notifications to one SNS topic.
 *
 * Message format (plain text, so e-mail subscribers can read it and programs can parse it):
 * ```
 * <body: a few human lines>
 *
 * --- detail (JSON) ---
 * <the notification's detail as indented JSON>
 * ```
 * A program takes everything after the first separator line and JSON-parses it. When the whole message
 * would exceed SNS's 256 KiB, the detail is replaced by a still-valid JSON object
 * `{"truncated": true, "detailBytes": <size of the full detail>, "detailPrefix": "<its first characters>"}`.
 *
 * Message attributes (String) for subscription filter policies: eventType, family, team, severity,
 * region; an attribute whose value is empty is left out (SNS rejects empty values).
 * The subject is the notification's subject on one line, cut below 100 characters.
 */
export class SnsNotifier implements Notifier {
  private readonly client: SNSClient;
  private readonly topicArn: string;

  constructor(options: SnsNotifierOptions) {
    this.client = options.client;
    this.topicArn = options.topicArn;
  }

  async publish(notification: Notification): Promise<void> {
    const attributes = messageAttributes(notification);
    const subject = snsSubject(notification.subject);
    const budget = snsMessageLimitBytes - safetyMarginBytes - attributeBytes(attributes) - utf8Bytes(subject);
    try {
      await this.client.send(
        new PublishCommand({
          TopicArn: this.topicArn,
          Subject: subject,
          Message: formatMessage(notification.body, notification.detail, budget),
          MessageAttributes: attributes,
        }),
      );
    } catch (error) {
      throw translateAwsError("SNS.Publish", error);
    }
  }
}

/** The filter-policy attributes of a notification (empty values left out). */
export function messageAttributes(notification: Notification): Record<string, MessageAttributeValue> {
  const attributes: Record<string, MessageAttributeValue> = {};
  for (const name of notificationAttributeNames) {
    const value = notification[name];
    if (value) attributes[name] = { DataType: "String", StringValue: value };
  }
  return attributes;
}

/** A subject SNS accepts: one line, no control characters, under 100 characters, never empty. */
export function snsSubject(text: string): string {
  const line = text
    .replace(/\p{Cc}+/gu, " ")
    .replace(/\s+/g, " ")
    .trim();
  if (line.length === 0) return "ami-lifecycle notification";
  return line.length <= snsSubjectMaxLength ? line : `${cutAt(line, snsSubjectMaxLength - 1)}…`;
}

/** Body, separator and JSON detail, with the detail truncated to stay within `maxBytes`. */
export function formatMessage(body: string, detail: Record<string, unknown>, maxBytes: number): string {
  const shortBody = body.length <= bodyMaxLength ? body : `${cutAt(body, bodyMaxLength - 1)}…`;
  const head = `${shortBody.trimEnd()}\n\n${detailSeparator}\n`;
  const room = maxBytes - utf8Bytes(head);
  const full = JSON.stringify(detail, null, 2) ?? "null";
  if (utf8Bytes(full) <= room) return head + full;
  const compact = JSON.stringify(detail) ?? "null";
  if (utf8Bytes(compact) <= room) return head + compact;
  return head + truncatedDetail(compact, room);
}

/** A valid JSON stand-in for a detail too large to send, keeping as much of its start as fits. */
function truncatedDetail(compact: string, room: number): string {
  const detailBytes = utf8Bytes(compact);
  let keep = Math.max(0, Math.min(compact.length, room));
  for (;;) {
    const text = JSON.stringify({ truncated: true, detailBytes, detailPrefix: cutAt(compact, keep) });
    const overflow = utf8Bytes(text) - room;
    if (overflow <= 0 || keep === 0) return text;
    // Escaping and multi-byte characters make bytes exceed characters: shrink by at least the overflow.
    keep = Math.max(0, keep - Math.max(overflow, 1));
  }
}

/** The first `length` UTF-16 units of a string without splitting a surrogate pair. */
function cutAt(text: string, length: number): string {
  const cut = text.slice(0, length);
  const last = cut.charCodeAt(cut.length - 1);
  return last >= 0xd800 && last <= 0xdbff ? cut.slice(0, -1) : cut;
}

function utf8Bytes(text: string): number {
  return Buffer.byteLength(text, "utf8");
}

/** Bytes SNS counts for message attributes: name, type and value of each. */
function attributeBytes(attributes: Record<string, MessageAttributeValue>): number {
  return Object.entries(attributes).reduce(
    (sum, [name, value]) =>
      sum + utf8Bytes(name) + utf8Bytes(value.DataType ?? "") + utf8Bytes(value.StringValue ?? ""),
    0,
  );
}
