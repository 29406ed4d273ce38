import type { Runtime } from "@ami-lifecycle/aws";
import {
  crossAccountClients,
  ec2ImageReferences,
  lazyProductionRuntime,
  logger,
  metrics,
  oncePerRequest,
  RequestPacer,
  type RuntimeOptions,
  rbinRecycleBin,
  sweepStoresOf,
  wrapEventHandler,
} from "@ami-lifecycle/aws";
import {
  failedRun,
  isScheduledRun,
  recordSweepRun,
  SweepIncompleteError,
  sweepInvocationSchema,
  sweepPartOnRequest,
  sweptRun,
} from "@ami-lifecycle/core";
import { MetricUnit } from "@aws-lambda-powertools/metrics";
import checkedConfig from "../ami-lifecycle.config.checked.json" with { type: "json" };

/** Metric the sweep-failure alarm watches (stacks/alarms.ts `failureMetrics.sweepFailures`). */
const sweepFailuresMetric = "SweepFailures";

/** How long a sweep request is answered from its first outcome instead of sweeping again. */
const sweepRequestWindowSeconds = 24 * 3600;

/** Builds the retention sweep handler (Scheduler's periodic sweep, "Family Sweep Requested" events) over a runtime. */
export function createRetentionSweepHandler(runtime: () => Runtime) {
  return wrapEventHandler({
    name: "retention-sweep",
    schema: sweepInvocationSchema,
    logKeys: (invocation) => ({
      requestId: invocation.requestId,
      families: invocation.families?.join(",") ?? "all",
    }),
    // One run per request: a request delivered twice must not run two sweeps at once (or one after the
    // other), so the per-run deletion cap holds.
    handle: oncePerRequest(
      "retention-sweep",
      async (invocation, context) => {
        const deployed = runtime();
        const { continuations } = deployed;
        const { sweepRuns, sweepProgress } = sweepStoresOf(deployed);
        // Cross-account sessions (consumer and reader roles) live for this invocation only.
        const sweep = deployed.openSweep();
        const { reactions } = sweep;
        // Only the schedule's sweep of every family (and its continuations) is "the last sweep" status
        // reports; a family's requested sweep covers part of the service.
        const scheduled = isScheduledRun(invocation);
        const startedAt = reactions.clock.now();
        const warn = (message: string, extra: Record<string, unknown>) => logger.warn(message, extra);
        try {
          // A sweep never needs an invocation longer than Lambda's timeout: it stops in time and
          // requests its own continuation.
          const outcome = await sweepPartOnRequest(
            { sweep: reactions, progress: sweepProgress, continuations },
            invocation,
            { remainingMs: () => context.getRemainingTimeInMillis() },
          );
          if (outcome.outcome === "skipped" || outcome.outcome === "rejected") return outcome;
          if (outcome.failures > 0)
            metrics.addMetric(sweepFailuresMetric, MetricUnit.Count, outcome.failures);
          if (scheduled) await recordSweepRun(sweepRuns, sweptRun(startedAt, outcome), warn);
          return outcome;
        } catch (error) {
          const incomplete = error instanceof SweepIncompleteError ? error : undefined;
          if (incomplete)
            metrics.addMetric(sweepFailuresMetric, MetricUnit.Count, incomplete.failures.length);
          if (scheduled)
            await recordSweepRun(
              sweepRuns,
              failedRun(startedAt, reactions.config.mode, error, incomplete),
              warn,
            );
          throw error;
        } finally {
          sweep.close();
        }
      },
      () => ({
        store: runtime().idempotencyStore(),
        clock: runtime().reactions.clock,
        key: (invocation) => invocation.requestId,
        expiresAfterSeconds: sweepRequestWindowSeconds,
      }),
    ),
  });
}

/**
 * The deployed sweep's runtime extras. It retires images: it alone carries the Recycle Bin client, and
 * the image reference lookups (with the Auto Scaling client) that keep images in use, and the STS and
 * Organizations clients of the consumer evidence (used when config has `organization`). Its EC2 calls
 * are paced to EC2's token buckets on the real clock, so `sweep.concurrency` families in flight fill
 * the buckets instead of being throttled.
 */
export const sweepRuntimeExtras: Pick<
  RuntimeOptions,
  "recycleBin" | "imageReferences" | "clients" | "crossAccount"
> = {
  recycleBin: rbinRecycleBin,
  imageReferences: ec2ImageReferences,
  crossAccount: crossAccountClients,
  clients: { pacer: new RequestPacer() },
};

/** Lambda entry point: EventBridge Scheduler (`scheduledSweepInput`) and the "Family Sweep Requested" rule. */
export const handler = createRetentionSweepHandler(lazyProductionRuntime(checkedConfig, sweepRuntimeExtras));
