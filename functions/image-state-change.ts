import type { Runtime } from "@ami-lifecycle/aws";
import { lazyProductionRuntime, metrics, wrapEventHandler } from "@ami-lifecycle/aws";
import {
  amiStateChangeEventSchema,
  notified,
  reactToImageStateChange,
  stateChangeInput,
} from "@ami-lifecycle/core";
import { MetricUnit } from "@aws-lambda-powertools/metrics";
import checkedConfig from "../ami-lifecycle.config.checked.json" with { type: "json" };

/** Metric the copy-failure alarm watches (stacks/alarms.ts `failureMetrics.copyFailures`). */
const copyFailuresMetric = "CopyFailures";

/** Builds the "EC2 AMI State Change" handler over a runtime (production, the sandbox or a test's). */
export function createImageStateChangeHandler(runtime: () => Runtime) {
  return wrapEventHandler({
    name: "image-state-change",
    schema: amiStateChangeEventSchema,
    logKeys: (event) => ({ eventId: event.id, imageId: event.detail.ImageId, region: event.region }),
    // No idempotency record: the reaction converges to what EC2 says, and each effect is exactly-once
    // by its own condition (conditional registry writes, once-only claims, CopyImage ClientToken).
    handle: async (event) => {
      const outcome = await reactToImageStateChange(runtime().reactions, stateChangeInput(event));
      // The copy-failure alarm (stacks/alarms.ts) watches this metric.
      if (outcome.outcome === "recorded" && notified(outcome.effects, "copy-failed")) {
        metrics.addMetric(copyFailuresMetric, MetricUnit.Count, 1);
      }
      return outcome;
    },
  });
}

/** Lambda entry point: EventBridge rule for EC2 AMI State Change (home region, and forwarded from the others). */
export const handler = createImageStateChangeHandler(lazyProductionRuntime(checkedConfig));
