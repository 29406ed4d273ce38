import { type Config, notificationsKeyPolicyDocument } from "@ami-lifecycle/core";
import { teamFilterPolicy } from "./notification-filters";

export { teamAttribute } from "./notification-filters";

/**
 * SNS topics, encrypted with a customer managed key (CloudWatch alarms can't publish to topics that
 * use the AWS managed `aws/sns` key): the notifications topic with one filtered subscription per team
 * endpoint, and the security topic for public-sharing alerts.
 */
export function createNotifications(input: {
  config: Config;
  accountId: $util.Output<string>;
  partition: $util.Output<string>;
}) {
  const { config, accountId, partition } = input;
  const home = config.homeRegion;

  const key = new aws.kms.Key("NotificationsKey", {
    description: "ami-lifecycle: encrypts the notification and security topics",
    enableKeyRotation: true,
    policy: $jsonStringify(
      $resolve({ accountId, partition }).apply(({ accountId, partition }) =>
        notificationsKeyPolicyDocument({ homeRegion: home, accountId, partition }),
      ),
    ),
  });

  const topic = new aws.sns.Topic("NotificationsTopic", { kmsMasterKeyId: key.arn });
  const securityTopic = new aws.sns.Topic("SecurityTopic", { kmsMasterKeyId: key.arn });

  const teamSubscriptions = Object.entries(config.notifications.subscriptions).flatMap(([team, endpoints]) =>
    endpoints.map(
      (endpoint, index) =>
        new aws.sns.TopicSubscription(`NotifyTeam${logicalPart(team)}${index + 1}`, {
          topic: topic.arn,
          protocol: endpointProtocol(endpoint),
          endpoint,
          filterPolicyScope: "MessageAttributes",
          filterPolicy: teamFilterPolicy(team),
        }),
    ),
  );

  const securitySubscriptions = config.notifications.security.map(
    (endpoint, index) =>
      new aws.sns.TopicSubscription(`NotifySecurity${index + 1}`, {
        topic: securityTopic.arn,
        protocol: endpointProtocol(endpoint),
        endpoint,
      }),
  );

  // Alarms carry no `team` attribute, so team filters drop them: operators subscribe unfiltered.
  const operationsSubscriptions = config.notifications.operations.map(
    (endpoint, index) =>
      new aws.sns.TopicSubscription(`NotifyOperations${index + 1}`, {
        topic: topic.arn,
        protocol: endpointProtocol(endpoint),
        endpoint,
      }),
  );

  return { key, topic, securityTopic, teamSubscriptions, securitySubscriptions, operationsSubscriptions };
}

/** The topics and key created by createNotifications. */
export type Notifications = ReturnType<typeof createNotifications>;

/** SNS protocol of a configured endpoint (the schema allows e-mail addresses and https:// URLs). */
export function endpointProtocol(endpoint: string): "https" | "email" {
  return endpoint.startsWith("https://") ? "https" : "email";
}

function logicalPart(team: string): string {
  return team
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map((part) => part.charAt(0).toUpperCase() + part.slice(1))
    .join("");
}
