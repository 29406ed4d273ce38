import { copiesPermissions, failedCopyPermissions } from "./copies/permissions";
import { guardPermissions } from "./guard/permissions";
import { notificationsPermissions } from "./notifications/permissions";
import { organizationPermissions, organizationReadPermissions } from "./organization/permissions";
import { pointerProtectionPermissions, pointersPermissions } from "./pointers/permissions";
import { recoveryPermissions, restorePermissions } from "./recovery/permissions";
import {
  launchPermissionReadPermissions,
  referencePermissions,
  retentionPermissions,
  sweepRequestPermissions,
} from "./retention/permissions";
import { idempotencyPermissions, lambdaRuntimePermissions } from "./runtime/permissions";
import { sharingPermissions, watermarksPermissions } from "./sharing/permissions";
import { statusPermissions } from "./status/permissions";
import { tagsPermissions } from "./tags/permissions";
import { registryPermissions, versionsPermissions } from "./versions/permissions";

/**
 * Every capability's IAM declarations, by the step that makes the calls. Each lives beside its
 * capability (`<capability>/permissions.ts`); this only names them so handlers can list what they run.
 */
export const capabilityPermissions = {
  /** recognise a build, register it, follow its lineage (EC2 reads) */
  versions: versionsPermissions,
  /** the registry every capability records in */
  registry: registryPermissions,
  tags: tagsPermissions,
  /** starting copies: CopyImage and the destination keys */
  copies: copiesPermissions,
  /** discarding a failed copy (its name blocks the retry); retention deregisters through the same calls */
  failedCopies: failedCopyPermissions,
  sharing: sharingPermissions,
  /** the family's watermark on its images, which consumers see (issue #16) */
  watermarks: watermarksPermissions,
  guard: guardPermissions,
  pointers: pointersPermissions,
  /** deregistration protection of the images pointers name (always on) */
  pointerProtection: pointerProtectionPermissions,
  notifications: notificationsPermissions,
  /** retention's event step: a new version asks for its family's sweep */
  sweepRequests: sweepRequestPermissions,
  /** the launch permissions read before a retirement revokes them (recovery records them) */
  launchPermissionReads: launchPermissionReadPermissions,
  /** retention's sweep step: deprecation, disabling */
  retention: retentionPermissions,
  /** what uses an image: the sweep's reference lookups (the operator's `plan` makes them too) */
  references: referencePermissions,
  recovery: recoveryPermissions,
  /** undoing a retirement: the Recycle Bin restores, EnableImage, the retired tag removed */
  restore: restorePermissions,
  status: statusPermissions,
  /** the sweep's evidence from consumer accounts, read: consumer roles, the organization's accounts, usage reports (the operator's `plan` reads it too) */
  organizationReads: organizationReadPermissions,
  /** what only the sweep does with it: usage reports created and deleted, consumer buses told */
  organization: organizationPermissions,
  idempotency: idempotencyPermissions,
  lambdaRuntime: lambdaRuntimePermissions,
} as const;

/** Name of one capability step that declares IAM. */
export type CapabilityName = keyof typeof capabilityPermissions;

/** What the service's code does against AWS: every declaration of every capability, by name. */
export type CoreAction = {
  [C in CapabilityName]: keyof (typeof capabilityPermissions)[C];
}[CapabilityName];

/**
 * The capabilities each trigger runs, in the order its role's statements are rendered. A handler's
 * role is the union of their declarations: add a capability to a trigger here, its IAM follows.
 */
const eventReaction = [
  // recognise and register the version, tag it, copy it, share it, point at it, announce it
  "versions",
  "tags",
  "copies",
  "failedCopies",
  // A version available in a region is shared with the family's consumers at once.
  "sharing",
  "watermarks",
  "pointers",
  "pointerProtection",
  "notifications",
  "registry",
  "sweepRequests",
  "lambdaRuntime",
] as const satisfies readonly CapabilityName[];

/** Each Lambda handler's trigger and the capabilities it runs. */
export const handlerCapabilities = {
  "image-api-call": eventReaction,
  "image-state-change": eventReaction,
  // The public-sharing guard: CloudTrail ModifyImageAttribute / ResetImageAttribute.
  "image-permission-change": ["versions", "guard", "notifications", "registry", "lambdaRuntime"],
  // The tamper guard: CloudTrail CreateTags / DeleteTags on lifecycle tags. It only reads the registry
  // and reports; the sweep puts the tags back.
  "image-tag-change": ["notifications", "registry", "lambdaRuntime"],
  // The sweep reconciles what the events missed (every event step), then retires; one sweep per
  // request: the only event handler that keeps one-run-per-request records.
  // With the `organization` slice it also gathers evidence from consumer accounts (deployed only then).
  "retention-sweep": [
    ...eventReaction,
    "idempotency",
    "guard",
    "launchPermissionReads",
    "retention",
    "references",
    "recovery",
    "organizationReads",
    "organization",
  ],
  // Direct invocation by automation (no rule): re-points latest, withdraws versions, notifies; a repeated
  // request is answered from its first result.
  rollback: [
    "versions",
    "pointers",
    "pointerProtection",
    "registry",
    "notifications",
    "idempotency",
    "lambdaRuntime",
  ],
  // Direct invocation by automation (no rule): undoes a version's retirement, re-applies the recorded
  // sharing (EnableImage gives none back), holds and notifies; a repeated request gets its first result.
  restore: ["versions", "restore", "sharing", "registry", "notifications", "idempotency", "lambdaRuntime"],
} as const satisfies Record<string, readonly CapabilityName[]>;

/** Name of one Lambda handler (its file in functions/). */
export type HandlerName = keyof typeof handlerCapabilities;

/** The declaration names of the given capabilities, first occurrence kept, in the capabilities' order. */
export function capabilityActions(capabilities: readonly CapabilityName[]): CoreAction[] {
  const actions = capabilities.flatMap((capability) =>
    Object.keys(capabilityPermissions[capability]),
  ) as CoreAction[];
  return [...new Set(actions)];
}
