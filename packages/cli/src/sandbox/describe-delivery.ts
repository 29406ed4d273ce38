import type { Effect } from "@ami-lifecycle/core";
import type { Delivery, EventBridgeEvent } from "@ami-lifecycle/simulated-account";
import type { TimelineEntry, TimelineStatus } from "./timeline";

/** One event in words: `CreateImage ami-… by image-pipeline/build-3`, `AMI ami-… → available`. */
export function describeEvent(event: EventBridgeEvent | Record<string, unknown>): string {
  const detail = (event.detail ?? {}) as Record<string, unknown>;
  const detailType = String(event["detail-type"] ?? "(no detail-type)");
  if (detailType === "EC2 AMI State Change") {
    return `AMI ${String(detail.ImageId ?? "?")} → ${String(detail.State ?? "?")}`;
  }
  if (detailType === "AWS API Call via CloudTrail") {
    const response = (detail.responseElements ?? {}) as Record<string, unknown>;
    const identity = (detail.userIdentity ?? {}) as Record<string, unknown>;
    const imageId = typeof response.imageId === "string" ? ` ${response.imageId}` : "";
    const failed = typeof detail.errorCode === "string" ? ` (failed: ${detail.errorCode})` : "";
    return `${String(detail.eventName ?? "?")}${imageId} by ${shortPrincipal(String(identity.arn ?? "?"))}${failed}`;
  }
  if (detailType === "Family Sweep Requested") {
    return `sweep requested for ${String(detail.family ?? "?")} (${String(detail.reason ?? "")})`;
  }
  return detailType;
}

/** The last two parts of a principal ARN: `image-pipeline/build-3`, `user/alice`. */
export function shortPrincipal(arn: string): string {
  const resource = arn.split(":").at(-1) ?? arn;
  const parts = resource.split("/");
  return parts.length > 2 ? parts.slice(-2).join("/") : resource;
}

/** What the service did with one delivery, in words, and how it ended. */
export function describeOutcome(delivery: Pick<Delivery, "rule" | "result" | "error" | "attempts">): {
  outcome: string;
  status: TimelineStatus;
} {
  if (!delivery.rule) return { outcome: "no rule matches: not delivered", status: "unrouted" };
  if (delivery.error) {
    const message = delivery.error instanceof Error ? delivery.error.message : String(delivery.error);
    return {
      outcome: `failed after ${delivery.attempts} attempts, sent to the dead-letter queue: ${message}`,
      status: "failed",
    };
  }
  return describeResult(delivery.result);
}

/** A handler's result in words: rejected (with field paths), ignored (with the reason) or what it recorded and did. */
export function describeResult(result: unknown): { outcome: string; status: TimelineStatus } {
  const value = (result ?? {}) as Record<string, unknown>;
  switch (value.outcome) {
    case "rejected": {
      const issues = (value.issues ?? []) as { path: string; message: string }[];
      return {
        outcome: `rejected: ${issues.map((issue) => `${issue.path}: ${issue.message}`).join("; ")}`,
        status: "rejected",
      };
    }
    case "ignored":
      return { outcome: `ignored: ${String(value.reason)}`, status: "ignored" };
    case "recorded": {
      const effects = (value.effects ?? []) as Effect[];
      const what = effects.length > 0 ? effects.map(humanEffect).join(", ") : "already up to date";
      return {
        outcome: `${String(value.family)} v${String(value.version)} (${String(value.role)}): ${what}`,
        status: "ok",
      };
    }
    case "swept": {
      const families = (value.families ?? []) as {
        family: string;
        counts?: Record<string, number>;
        applied: number;
        failures: number;
      }[];
      const parts = families.map((family) => {
        const steps = ["deprecate", "disable", "deregister"]
          .filter((action) => (family.counts?.[action] ?? 0) > 0)
          .map((action) => `${family.counts?.[action]} ${action}`);
        const failed = family.failures > 0 ? `, ${family.failures} failed` : "";
        return `${family.family}: ${steps.length > 0 ? `${steps.join(", ")} (${family.applied} applied)` : "nothing to retire"}${failed}`;
      });
      return { outcome: `swept (${String(value.mode)}): ${parts.join("; ")}`, status: "ok" };
    }
    default:
      return { outcome: summarizeUnknownResult(result), status: "ok" };
  }
}

/** One effect of a reaction in words (`copy to eu-west-1 started (ami-…)`). */
export function humanEffect(effect: Effect): string {
  switch (effect.kind) {
    case "copy-started":
      return `copy to ${effect.region} started (${effect.imageId})`;
    case "copy-waiting":
      return `copy to ${effect.region} waits for quota`;
    case "copy-raced":
      return `copy to ${effect.region} already started elsewhere`;
    case "copy-refused":
      return `copy to ${effect.region} refused by EC2`;
    case "recorded":
      return `recorded ${effect.state}`;
    case "creator-recorded":
      return "recorded created-by";
    case "copy-tagged":
      return `tagged the copy in ${effect.region}`;
    case "notified":
      return `notified ${effect.type}`;
    case "shared":
      return `shared in ${effect.region}`;
    case "sweep-requested":
      return "requested a family sweep";
    case "pointer-moved":
      return `latest in ${effect.region} → v${effect.version}`;
    case "tagged":
      return "tagged";
    case "security-notified":
      return `told the security topic (${effect.type})`;
    case "made-private":
      return "made the image private again";
    case "watermarked":
      return `watermarked in ${effect.region}`;
  }
}

/** Builds a timeline entry for a delivered event. */
export function deliveryEntry(delivery: Delivery): TimelineEntry {
  const { outcome, status } = describeOutcome(delivery);
  return {
    time: delivery.event.time,
    region: delivery.event.region,
    kind: "event",
    event: describeEvent(delivery.event),
    outcome,
    status,
    ...(delivery.result !== undefined ? { result: delivery.result } : {}),
  };
}

function summarizeUnknownResult(result: unknown): string {
  if (result === undefined || result === null) return "done";
  const text = JSON.stringify(result);
  return text.length > 160 ? `${text.slice(0, 159)}…` : text;
}
