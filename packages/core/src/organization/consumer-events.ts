import { serviceEventSource } from "../events/service-events";
import { type ConsumerSchedule, consumerScheduleNotification } from "./consumer-notices";

/** detail-type of the schedule notice put on a consumer's own bus (`organization.consumerEventBuses`). */
export const consumerScheduleDetailType = "AMI Version Scheduled For Retirement";

/** One EventBridge event the sweep puts on a consumer account's bus. */
export interface ConsumerBusEvent {
  /** `ami-lifecycle` */
  source: string;
  detailType: string;
  /** the images of the version the account uses (EC2 image ARNs), for the consumer's rules */
  resources: string[];
  /** the same detail as the SNS notice's JSON (family, version, consumerAccount, held, schedule, uses, toldAt) */
  detail: Record<string, unknown>;
}

/** Puts events on buses of consumer accounts (cross-account PutEvents, allowed by each bus's policy). */
export interface ConsumerEventPort {
  /** Puts the event on the bus; rejects when EventBridge refuses it (the whole call or its entry). */
  put(busArn: string, event: ConsumerBusEvent): Promise<void>;
}

/**
 * The consumer schedule notice as a bus event: the consumer's rules match `source` and `detail-type`
 * and read the same detail the topic's message carries, so either channel tells the whole story.
 */
export function consumerScheduleEvent(
  schedule: ConsumerSchedule,
  now: Date,
  partition = "aws",
): ConsumerBusEvent {
  const images = new Set(
    schedule.uses.map((use) => `arn:${partition}:ec2:${use.region}::image/${use.imageId}`),
  );
  return {
    source: serviceEventSource,
    detailType: consumerScheduleDetailType,
    resources: [...images].sort(),
    detail: consumerScheduleNotification(schedule, now).detail,
  };
}
