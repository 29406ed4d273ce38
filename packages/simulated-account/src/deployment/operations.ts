import { SendMessageCommand, SQSClient } from "@aws-sdk/client-sqs";
import type { SimulatedAccount } from "../account";

/** The local deployment's physical-name prefix (as `sst deploy` would prefix a stage's resources). */
const prefix = "ami-lifecycle-local";

/** The dead-letter queues the stacks create, by what they catch (names end as in stacks/functions.ts and schedule.ts). */
export const localDeadLetterQueues = [
  { label: "handler", name: `${prefix}-HandlerDeadLetterQueue` },
  { label: "schedule", name: `${prefix}-ScheduleDeadLetterQueue` },
] as const;

/** Alarms in the image of stacks/alarms.ts: one per dead-letter queue's depth, plus sweep and copy failures. */
export const localAlarmNames = [
  `${prefix}-HandlerDeadLetterQueueDepthAlarm`,
  `${prefix}-ScheduleDeadLetterQueueDepthAlarm`,
  `${prefix}-SweepFailuresAlarm`,
  `${prefix}-CopyFailuresAlarm`,
] as const;

/** The local deployment's queues and alarms in the simulated account, for `status` to read. */
export interface LocalOperations {
  /** the home region, where they live */
  region: string;
  deadLetterQueues: { label: string; url: string }[];
  alarmNames: string[];
}

/** Creates the deployment's dead-letter queues and alarms in the home region of the simulated account. */
export function createLocalOperations(account: SimulatedAccount, homeRegion: string): LocalOperations {
  for (const name of localAlarmNames) account.createAlarm(homeRegion, name);
  return {
    region: homeRegion,
    deadLetterQueues: localDeadLetterQueues.map(({ label, name }) => ({
      label,
      url: account.createQueue(homeRegion, name),
    })),
    alarmNames: [...localAlarmNames],
  };
}

/** What Lambda does with an asynchronous event that failed every attempt: sends it to the function's DLQ. */
export async function sendToDeadLetterQueue(
  account: SimulatedAccount,
  homeRegion: string,
  queueUrl: string,
  event: unknown,
  error: unknown,
): Promise<void> {
  // Lambda's own service principal sends it: no role of the deployment is evaluated.
  const sqs = account.client(SQSClient, homeRegion, { principalArn: "arn:aws:iam::aws:service/lambda" });
  try {
    await sqs.send(
      new SendMessageCommand({
        QueueUrl: queueUrl,
        MessageBody: JSON.stringify({ event, error: error instanceof Error ? error.message : String(error) }),
      }),
    );
  } finally {
    sqs.destroy();
  }
}
