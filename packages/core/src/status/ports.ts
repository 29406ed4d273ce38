/** A dead-letter queue of the deployment and how many messages wait in it (SQS ApproximateNumberOfMessages). */
export interface QueueDepth {
  /** what the queue catches, for people: "handler", "schedule"… */
  label: string;
  url: string;
  messages: number;
}

/** An alarm of the deployment in state ALARM (CloudWatch DescribeAlarms StateValue). */
export interface AlarmInAlarm {
  name: string;
  reason: string;
  /** when it entered ALARM (ISO) */
  since: string;
}

/** What status reads about the deployment's operations, beside the registry and the pointers. */
export interface OperationsReader {
  /** every dead-letter queue of the deployment with its depth */
  deadLetterDepths(): Promise<QueueDepth[]>;
  /** the deployment's alarms that are in ALARM */
  alarmsInAlarm(): Promise<AlarmInAlarm[]>;
}

/** The last scheduled sweep, as far as the deployment recorded it. */
export interface SweepRun {
  at: string;
  mode: "dry-run" | "enforce";
  /** swept: the function returned; failed: it threw (Scheduler retries, then its dead-letter queue) */
  result: "swept" | "failed";
  failures: number;
  /** the error of a failed run */
  error?: string;
  /** versions left alone because their references could not be read, per family */
  blocked: { family: string; versions: number[] }[];
}
