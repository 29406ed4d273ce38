import type { AlarmInAlarm, OperationsReader, QueueDepth } from "@ami-lifecycle/core";
import { type CloudWatchClient, paginateDescribeAlarms } from "@aws-sdk/client-cloudwatch";
import { GetQueueAttributesCommand, type SQSClient } from "@aws-sdk/client-sqs";
import { translateAwsError } from "../errors";

/** The deployment's dead-letter queues and alarms, as the stacks named them. */
export interface OperationsNames {
  deadLetterQueues: readonly { label: string; url: string }[];
  alarmNames: readonly string[];
}

/** DescribeAlarms takes at most 100 names per call. */
const alarmNamesPerCall = 100;

/**
 * Reads dead-letter depths (SQS GetQueueAttributes ApproximateNumberOfMessages) and the alarms in ALARM
 * (CloudWatch DescribeAlarms StateValue ALARM) of one deployment; the operator policy grants exactly these.
 */
export class AwsOperationsReader implements OperationsReader {
  constructor(
    private readonly sqs: SQSClient,
    private readonly cloudWatch: CloudWatchClient,
    private readonly names: OperationsNames,
  ) {}

  async deadLetterDepths(): Promise<QueueDepth[]> {
    const depths: QueueDepth[] = [];
    for (const queue of this.names.deadLetterQueues) {
      try {
        const { Attributes } = await this.sqs.send(
          new GetQueueAttributesCommand({
            QueueUrl: queue.url,
            AttributeNames: ["ApproximateNumberOfMessages"],
          }),
        );
        depths.push({ ...queue, messages: Number(Attributes?.ApproximateNumberOfMessages ?? 0) });
      } catch (error) {
        throw translateAwsError("SQS.GetQueueAttributes", error);
      }
    }
    return depths;
  }

  async alarmsInAlarm(): Promise<AlarmInAlarm[]> {
    const alarms: AlarmInAlarm[] = [];
    for (let start = 0; start < this.names.alarmNames.length; start += alarmNamesPerCall) {
      const AlarmNames = this.names.alarmNames.slice(start, start + alarmNamesPerCall);
      try {
        for await (const page of paginateDescribeAlarms(
          { client: this.cloudWatch },
          { AlarmNames, StateValue: "ALARM" },
        )) {
          for (const alarm of page.MetricAlarms ?? []) {
            alarms.push({
              name: alarm.AlarmName ?? "",
              reason: alarm.StateReason ?? "",
              since: alarm.StateUpdatedTimestamp?.toISOString() ?? "",
            });
          }
        }
      } catch (error) {
        throw translateAwsError("CloudWatch.DescribeAlarms", error);
      }
    }
    return alarms;
  }
}
