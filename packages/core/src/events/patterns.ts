import { amiEventStates, amiStateChangeDetailType, amiStateChangeSource } from "./ami-state-change";
import {
  imageApiCallDetailType,
  imageApiCallEventSource,
  imageApiCallNames,
  imageApiCallSource,
} from "./cloudtrail-image-call";
import { imagePermissionChangeNames } from "./image-permission-change";
import { imageTagChangeNames, lifecycleTagKeyPrefix } from "./image-tag-change";
import { familySweepRequestDetailType, serviceEventSource } from "./service-events";

/** An EventBridge event pattern (JSON): the stacks' rules, the handler tests and the sandbox router share these. */
export type EventPattern = { readonly [field: string]: EventPattern | readonly unknown[] };

/** Every EC2 AMI State Change the service reacts to (all four states EC2 emits). */
export const amiStateChangePattern = {
  source: [amiStateChangeSource],
  "detail-type": [amiStateChangeDetailType],
  detail: { State: [...amiEventStates] },
} as const satisfies EventPattern;

/** Successful image-creating EC2 calls recorded by CloudTrail; failed calls (with errorCode) are dropped at the rule. */
export const imageApiCallPattern = {
  source: [imageApiCallSource],
  "detail-type": [imageApiCallDetailType],
  detail: {
    eventSource: [imageApiCallEventSource],
    eventName: [...imageApiCallNames],
    errorCode: [{ exists: false }],
  },
} as const satisfies EventPattern;

/**
 * Successful ModifyImageAttribute / ResetImageAttribute calls (the public-sharing guard reads the image's
 * launch permissions itself); failed calls (with errorCode) are dropped at the rule.
 */
export const imagePermissionChangePattern = {
  source: [imageApiCallSource],
  "detail-type": [imageApiCallDetailType],
  detail: {
    eventSource: [imageApiCallEventSource],
    eventName: [...imagePermissionChangeNames],
    errorCode: [{ exists: false }],
  },
} as const satisfies EventPattern;

/**
 * Successful CreateTags / DeleteTags calls that touch an `ami-lifecycle:` key (the tamper guard), or a
 * DeleteTags that names no key, which deletes every tag. EventBridge matches `prefix` against each string
 * of an array, so `tagSet.items[].key` needs no handler to look; which caller made it is the handler's to
 * decide (the service's own roles tag all the time).
 */
export const imageTagChangePattern = {
  source: [imageApiCallSource],
  "detail-type": [imageApiCallDetailType],
  detail: {
    eventSource: [imageApiCallEventSource],
    eventName: [...imageTagChangeNames],
    errorCode: [{ exists: false }],
    $or: [
      { requestParameters: { tagSet: { items: { key: [{ prefix: lifecycleTagKeyPrefix }] } } } },
      { eventName: ["DeleteTags"], requestParameters: { tagSet: { items: { key: [{ exists: false }] } } } },
    ],
  },
} as const satisfies EventPattern;

/** The service's own request to sweep a family. */
export const familySweepRequestPattern = {
  source: [serviceEventSource],
  "detail-type": [familySweepRequestDetailType],
} as const satisfies EventPattern;
