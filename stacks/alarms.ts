import type { HandlerName } from "@ami-lifecycle/core";
import type { Functions } from "./functions";
import { handlerLabel } from "./iam";
import type { Notifications } from "./notifications";

/**
 * Metrics the handlers emit in the `AmiLifecycle` namespace (Powertools metrics, dimension
 * `service=ami-lifecycle`) that page someone when non-zero.
 */
export const failureMetrics = {
  /** a copy failed (EC2 `failed` state or an API error) and will be retried or given up */
  copyFailures: "CopyFailures",
  /** a family's sweep ended with errors */
  sweepFailures: "SweepFailures",
} as const;

/** Namespace and service dimension of the service's own metrics (POWERTOOLS_* in functions.ts). */
export const serviceMetrics = { namespace: "AmiLifecycle", service: "ami-lifecycle" } as const;

/**
 * Alarms to the notifications topic: any handler error, any message in a dead-letter queue, any copy or
 * sweep failure. Alarm messages carry no `team` attribute, so only unfiltered subscriptions get them.
 */
export function createAlarms(input: {
  functions: Functions;
  notifications: Notifications;
  deadLetterQueues: Record<string, aws.sqs.Queue>;
}) {
  const { functions, notifications } = input;
  const actions = [notifications.topic.arn];
  const common = {
    comparisonOperator: "GreaterThanOrEqualToThreshold",
    threshold: 1,
    evaluationPeriods: 1,
    treatMissingData: "notBreaching",
    alarmActions: actions,
    okActions: actions,
  } as const;

  const functionErrors = (Object.keys(functions.handlers) as HandlerName[]).map(
    (handler) =>
      new aws.cloudwatch.MetricAlarm(`${handlerLabel(handler)}ErrorsAlarm`, {
        ...common,
        alarmDescription: `ami-lifecycle: ${handler} failed`,
        namespace: "AWS/Lambda",
        metricName: "Errors",
        dimensions: { FunctionName: functions.handlers[handler].fn.name },
        statistic: "Sum",
        period: 300,
      }),
  );

  const deadLetters = Object.entries(input.deadLetterQueues).map(
    ([name, queue]) =>
      new aws.cloudwatch.MetricAlarm(`${name}DepthAlarm`, {
        ...common,
        alarmDescription: `ami-lifecycle: messages in the ${name} dead-letter queue`,
        namespace: "AWS/SQS",
        metricName: "ApproximateNumberOfMessagesVisible",
        dimensions: { QueueName: queue.name },
        statistic: "Maximum",
        period: 300,
      }),
  );

  const serviceFailures = Object.entries(failureMetrics).map(
    ([key, metricName]) =>
      new aws.cloudwatch.MetricAlarm(`${key.charAt(0).toUpperCase()}${key.slice(1)}Alarm`, {
        ...common,
        alarmDescription: `ami-lifecycle: ${metricName} > 0`,
        namespace: serviceMetrics.namespace,
        metricName,
        dimensions: { service: serviceMetrics.service },
        statistic: "Sum",
        period: 300,
      }),
  );

  return { functionErrors, deadLetters, serviceFailures };
}

/** The alarms created by createAlarms. */
export type Alarms = ReturnType<typeof createAlarms>;
