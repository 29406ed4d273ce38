import { type Config, scheduledSweepInput } from "@ami-lifecycle/core";
import type { Functions } from "./functions";
import { policyFor, trustPolicyFor } from "./iam";

/** How Scheduler retries invoking the sweep before giving up to the dead-letter queue. */
export const scheduleRetryPolicy = { maximumEventAgeInSeconds: 3600, maximumRetryAttempts: 5 };

/**
 * The periodic sweep (reconcile what events missed, then retire), on EventBridge Scheduler: it takes
 * an IANA time zone, retries and a dead-letter queue, which scheduled rules don't.
 */
export function createSchedule(input: {
  config: Config;
  accountId: $util.Output<string>;
  functions: Functions;
}) {
  const { config, accountId, functions } = input;
  const sweep = functions.handlers["retention-sweep"].fn;

  const deadLetterQueue = new aws.sqs.Queue("ScheduleDeadLetterQueue", {
    messageRetentionSeconds: 14 * 24 * 3600,
    sqsManagedSseEnabled: true,
  });

  const role = new aws.iam.Role("SweepScheduleRole", {
    description: "ami-lifecycle: EventBridge Scheduler invokes the retention sweep",
    assumeRolePolicy: trustPolicyFor("scheduler.amazonaws.com", accountId),
    inlinePolicies: [
      {
        name: "invoke-sweep",
        policy: policyFor(["invokeSweep", "sendScheduleFailure"], {
          sweepFunctionArn: sweep.arn,
          scheduleDeadLetterQueueArn: deadLetterQueue.arn,
        }),
      },
    ],
  });

  const schedule = new aws.scheduler.Schedule("SweepSchedule", {
    description: "ami-lifecycle: periodic reconciliation and retention sweep",
    scheduleExpression: config.sweep.schedule,
    scheduleExpressionTimezone: config.sweep.timezone,
    flexibleTimeWindow: { mode: "OFF" },
    state: "ENABLED",
    target: {
      arn: sweep.arn,
      roleArn: role.arn,
      // Scheduler fills in the execution id and time, which make each run its own idempotent request.
      input: JSON.stringify(scheduledSweepInput),
      retryPolicy: scheduleRetryPolicy,
      deadLetterConfig: { arn: deadLetterQueue.arn },
    },
  });

  return { schedule, role, deadLetterQueue };
}

/** The schedule created by createSchedule. */
export type Schedule = ReturnType<typeof createSchedule>;
