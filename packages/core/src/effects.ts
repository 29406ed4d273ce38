import type { RegionImageState } from "./model";
import type { NotificationType } from "./notifications/notification";

/**
 * One thing a reaction (or a sweep step running a reaction's steps) did. Metrics, the sweep's repair
 * accounting, the CLI's narration and the sandbox timeline read these fields; nothing parses text.
 */
export type Effect =
  /** lifecycle tags put on the image and its snapshots */
  | { kind: "tagged" }
  /** the region record written with a new state */
  | { kind: "recorded"; state: RegionImageState }
  /** a late CloudTrail principal recorded as the version's creator */
  | { kind: "creator-recorded" }
  /** a finished copy tagged with the late creator */
  | { kind: "copy-tagged"; region: string }
  /** a notification sent (its once-only claim taken) */
  | { kind: "notified"; type: NotificationType }
  /** EC2 accepted a CopyImage and the registry recorded it */
  | { kind: "copy-started"; region: string; imageId: string }
  /** the destination's concurrent-copy quota is full: the copy is queued */
  | { kind: "copy-waiting"; region: string }
  /** another attempt won the region's record first: this one started nothing of its own */
  | { kind: "copy-raced"; region: string }
  /** EC2 refused the copy for good: the region is recorded failed */
  | { kind: "copy-refused"; region: string }
  /** launch permissions granted to the family's consumers in a region */
  | { kind: "shared"; region: string }
  /** a sweep of the family requested (once per version) */
  | { kind: "sweep-requested" }
  /** the family's `latest` pointer of a region moved to a version */
  | { kind: "pointer-moved"; region: string; version: number }
  /** a guard's alert sent to the security topic (the team's copy is a `notified`) */
  | { kind: "security-notified"; type: NotificationType }
  /** the public-sharing guard made a managed image private again */
  | { kind: "made-private" }
  /** the family's watermark attached to a version's image in a region */
  | { kind: "watermarked"; region: string };

/** The kinds of effect. */
export type EffectKind = Effect["kind"];

/** The effects of one kind, narrowed (`effectsOf(effects, "copy-started")`). */
export function effectsOf<Kind extends EffectKind>(
  effects: readonly Effect[],
  kind: Kind,
): Extract<Effect, { kind: Kind }>[] {
  return effects.filter((effect): effect is Extract<Effect, { kind: Kind }> => effect.kind === kind);
}

/** True when the effects include a notification of that type (the copy-failure metric counts these). */
export function notified(effects: readonly Effect[], type: NotificationType): boolean {
  return effects.some((effect) => effect.kind === "notified" && effect.type === type);
}

/**
 * A short label of one effect for logs and the sweep's repair detail (`copy-started:eu-west-1:ami-…`):
 * written for people, never read back.
 */
export function effectLabel(effect: Effect): string {
  switch (effect.kind) {
    case "tagged":
    case "sweep-requested":
      return effect.kind;
    case "made-private":
      return "reverted";
    case "security-notified":
      return "notified:security";
    case "creator-recorded":
      return "recorded:created-by";
    case "recorded":
      return `recorded:${effect.state}`;
    case "copy-tagged":
      return `tagged-copy:${effect.region}`;
    case "notified":
      return `notified:${effect.type}`;
    case "copy-started":
      return `copy-started:${effect.region}:${effect.imageId}`;
    case "copy-waiting":
    case "copy-raced":
    case "copy-refused":
    case "shared":
    case "watermarked":
      return `${effect.kind}:${effect.region}`;
    case "pointer-moved":
      return `pointer-moved:${effect.region}:v${effect.version}`;
  }
}
