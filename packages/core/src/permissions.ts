import { AmiLifecycleError } from "./errors";
import { familySweepRequestPattern } from "./events/patterns";
import { LifecycleTag, managedTagValue } from "./tags";

/**
 * Least privilege, declared once. Every action the service (or a role the stacks create for an AWS
 * service) performs names its IAM actions, the resources they apply to and the conditions that
 * narrow them; the stacks render these declarations and grant nothing else.
 *
 * Facts this relies on (AWS Service Authorization Reference, EC2 user guide):
 * - Describe* calls of EC2 support no resource-level permissions: their resource is `*`.
 * - DisableImage, EnableImageDeprecation, DeregisterImage (image) and DeleteSnapshot (snapshot) accept
 *   `aws:ResourceTag/…`, so the destructive ones are limited to images and snapshots carrying the
 *   managed tag (EC2 Image Builder's own lifecycle policy does the same with its `CreatedBy` tag).
 *   That narrows the grants to what looks managed; it proves nothing, since anyone allowed
 *   `ec2:CreateTags` can write the tag (see handlerActions for what the barrier is instead).
 * - CopyImage creates the copy and its snapshots; tagging them through TagSpecifications needs
 *   ec2:CreateTags, evaluated with `ec2:CreateAction = CopyImage` and `aws:RequestTag/…` (the new
 *   resources have no tags yet, so `aws:ResourceTag` cannot apply).
 * - DescribeImageReferences reads instances, launch templates, SSM parameters and Image Builder
 *   recipes on the caller's behalf (`aws:CalledVia ec2-images.amazonaws.com`), as in AWS's
 *   AmazonEC2ImageReferencesAccessPolicy.
 */

/** What the service's code does against AWS; each maps to the IAM it needs. */
export type CoreAction =
  | "describeImages"
  | "readImageAttributes"
  | "tagImages"
  | "copyImage"
  | "useCopyKeys"
  | "deprecateImage"
  | "disableImage"
  | "deregisterImage"
  | "deleteSnapshot"
  | "shareImages"
  | "guardPublicImages"
  | "movePointers"
  | "findReferences"
  | "findReferencesFallback"
  | "findLaunchSources"
  | "checkRecycleBin"
  | "publishNotification"
  | "readRegistry"
  | "writeRegistry"
  | "useIdempotencyStore"
  | "putSweepRequest"
  | "writeTraces"
  | "writeLogs"
  | "sendToDeadLetterQueue"
  | "readOperations";

/** What roles the stacks create for AWS services do (Scheduler, EventBridge forwarding). */
export type InfrastructureAction = "invokeSweep" | "sendScheduleFailure" | "forwardEventsToHome";

/** Any declared action. */
export type PermissionAction = CoreAction | InfrastructureAction;

/** A resource an IAM statement names; the stack resolves it to ARNs at deploy time. */
export type ResourceRef =
  /** the action supports no resource-level permission */
  | "any"
  | "imagesInManagedRegions"
  | "snapshotsInManagedRegions"
  /** the channel pointers: SSM parameters under the pointer pattern's fixed prefix, in managed regions */
  | "pointerParameters"
  /** every SSM parameter of the account in managed regions (the reference fallback reads them all) */
  | "parametersInManagedRegions"
  /** Recycle Bin retention rules (rbin) in managed regions */
  | "recycleBinRulesInManagedRegions"
  | "copyKeys"
  | "notificationTopics"
  | "notificationsKey"
  | "registryTable"
  | "idempotencyTable"
  | "homeDefaultBus"
  | "handlerDeadLetterQueue"
  | "functionLogGroup"
  | "sweepFunction"
  | "scheduleDeadLetterQueue";

/** One IAM condition, in the shape Pulumi's getPolicyDocument and SST's `permissions` take. */
export interface IamCondition {
  test: string;
  variable: string;
  values: string[];
}

/** How a declared condition is filled in: fixed values, or values derived from the deployment. */
export type ConditionValues =
  | { fixed: string[] }
  /** `ec2.<region>.amazonaws.com` for every copy destination region */
  | { viaServiceEc2: "copyDestinations" }
  /** `sns.<home>.amazonaws.com` */
  | { viaServiceSns: "home" };

/** A declared condition: operator, key and how its values are found. */
export interface ConditionTemplate {
  test: string;
  variable: string;
  values: ConditionValues;
}

/** A declared statement: the IAM actions, on which resources, under which conditions. */
export interface StatementTemplate {
  actions: readonly string[];
  resources: readonly ResourceRef[];
  conditions?: readonly ConditionTemplate[];
}

/** What one action needs, and why. */
export interface ActionPermission {
  /** one line for people reading the policy */
  purpose: string;
  statements: readonly StatementTemplate[];
}

const managedTagCondition: ConditionTemplate = {
  test: "StringEquals",
  variable: `aws:ResourceTag/${LifecycleTag.managed}`,
  values: { fixed: [managedTagValue] },
};

const managedRequestTagCondition: ConditionTemplate = {
  test: "StringEquals",
  variable: `aws:RequestTag/${LifecycleTag.managed}`,
  values: { fixed: [managedTagValue] },
};

/** The tag keys the service writes all start with this prefix. */
export const lifecycleTagKeyPattern = "ami-lifecycle:*";

const ec2ViaService: ConditionTemplate = {
  test: "StringEquals",
  variable: "kms:ViaService",
  values: { viaServiceEc2: "copyDestinations" },
};

/** Every declared action with its IAM. The single source of truth the stacks render. */
export const actionPermissions: Readonly<Record<PermissionAction, ActionPermission>> = {
  describeImages: {
    purpose:
      "read images and snapshots (DescribeImages, DescribeSnapshots support no resource-level permissions)",
    statements: [{ actions: ["ec2:DescribeImages", "ec2:DescribeSnapshots"], resources: ["any"] }],
  },
  readImageAttributes: {
    purpose: "read lastLaunchedTime of an image",
    statements: [{ actions: ["ec2:DescribeImageAttribute"], resources: ["imagesInManagedRegions"] }],
  },
  tagImages: {
    purpose:
      "write the lifecycle tags on a new version's image and snapshots (not managed yet), and only those tags",
    statements: [
      {
        actions: ["ec2:CreateTags"],
        resources: ["imagesInManagedRegions", "snapshotsInManagedRegions"],
        conditions: [
          {
            test: "ForAllValues:StringLike",
            variable: "aws:TagKeys",
            values: { fixed: [lifecycleTagKeyPattern] },
          },
        ],
      },
    ],
  },
  copyImage: {
    purpose: "copy a version into a destination region, tagged managed on creation",
    statements: [
      {
        actions: ["ec2:CopyImage"],
        resources: ["imagesInManagedRegions", "snapshotsInManagedRegions"],
        conditions: [managedRequestTagCondition],
      },
      {
        actions: ["ec2:CreateTags"],
        resources: ["imagesInManagedRegions", "snapshotsInManagedRegions"],
        conditions: [
          { test: "StringEquals", variable: "ec2:CreateAction", values: { fixed: ["CopyImage"] } },
          managedRequestTagCondition,
        ],
      },
    ],
  },
  useCopyKeys: {
    purpose:
      "let EC2 encrypt copies with the destination region's key, only on the service's behalf through EC2",
    statements: [
      {
        actions: [
          "kms:DescribeKey",
          "kms:Encrypt",
          "kms:Decrypt",
          "kms:ReEncryptFrom",
          "kms:ReEncryptTo",
          "kms:GenerateDataKeyWithoutPlaintext",
        ],
        resources: ["copyKeys"],
        conditions: [ec2ViaService],
      },
      {
        actions: ["kms:CreateGrant"],
        resources: ["copyKeys"],
        conditions: [
          ec2ViaService,
          { test: "Bool", variable: "kms:GrantIsForAWSResource", values: { fixed: ["true"] } },
        ],
      },
    ],
  },
  deprecateImage: {
    purpose: "schedule deprecation of a managed image",
    statements: [
      {
        actions: ["ec2:EnableImageDeprecation"],
        resources: ["imagesInManagedRegions"],
        conditions: [managedTagCondition],
      },
    ],
  },
  disableImage: {
    purpose: "disable a managed image",
    statements: [
      {
        actions: ["ec2:DisableImage"],
        resources: ["imagesInManagedRegions"],
        conditions: [managedTagCondition],
      },
    ],
  },
  deregisterImage: {
    purpose: "deregister a managed image together with its managed snapshots",
    statements: [
      {
        actions: ["ec2:DeregisterImage"],
        resources: ["imagesInManagedRegions", "snapshotsInManagedRegions"],
        conditions: [managedTagCondition],
      },
    ],
  },
  deleteSnapshot: {
    purpose: "delete a managed snapshot left behind by deregistration",
    statements: [
      {
        actions: ["ec2:DeleteSnapshot"],
        resources: ["snapshotsInManagedRegions"],
        conditions: [managedTagCondition],
      },
    ],
  },
  shareImages: {
    purpose:
      "grant and revoke the configured consumers' launch permissions and snapshot createVolumePermission (managed images only)",
    statements: [
      { actions: ["ec2:DescribeImageAttribute"], resources: ["imagesInManagedRegions"] },
      { actions: ["ec2:DescribeSnapshotAttribute"], resources: ["snapshotsInManagedRegions"] },
      {
        actions: ["ec2:ModifyImageAttribute"],
        resources: ["imagesInManagedRegions"],
        conditions: [managedTagCondition],
      },
      {
        actions: ["ec2:ModifySnapshotAttribute"],
        resources: ["snapshotsInManagedRegions"],
        conditions: [managedTagCondition],
      },
    ],
  },
  guardPublicImages: {
    purpose:
      "read any image's launch permissions and the account's image block public access; make a managed image private again",
    statements: [
      { actions: ["ec2:DescribeImageAttribute"], resources: ["imagesInManagedRegions"] },
      // No resource-level permissions for the account-wide setting.
      { actions: ["ec2:GetImageBlockPublicAccessState"], resources: ["any"] },
      {
        actions: ["ec2:ModifyImageAttribute"],
        resources: ["imagesInManagedRegions"],
        conditions: [managedTagCondition],
      },
    ],
  },
  readOperations: {
    purpose:
      "status: how many messages wait in the dead-letter queues, and which alarms are in ALARM (DescribeAlarms supports no narrower resource that still returns composite alarms)",
    statements: [
      {
        actions: ["sqs:GetQueueAttributes"],
        resources: ["handlerDeadLetterQueue", "scheduleDeadLetterQueue"],
      },
      { actions: ["cloudwatch:DescribeAlarms"], resources: ["any"] },
    ],
  },
  movePointers: {
    purpose:
      "read and move channel pointers (SSM parameters of DataType aws:ec2:image; SSM validates the image with the caller's ec2:DescribeImages, granted by describeImages)",
    statements: [{ actions: ["ssm:GetParameter", "ssm:PutParameter"], resources: ["pointerParameters"] }],
  },
  findReferences: {
    purpose:
      "find what uses an image with DescribeImageReferences (EC2 reads the referencing resources for us)",
    statements: [
      { actions: ["ec2:DescribeImageReferences"], resources: ["any"] },
      {
        actions: [
          "ec2:DescribeInstances",
          "ec2:DescribeLaunchTemplates",
          "ec2:DescribeLaunchTemplateVersions",
          "ssm:DescribeParameters",
          "ssm:GetParameters",
          "imagebuilder:ListImageRecipes",
          "imagebuilder:ListContainerRecipes",
          "imagebuilder:GetContainerRecipe",
        ],
        resources: ["any"],
        conditions: [
          {
            test: "ForAnyValue:StringEquals",
            variable: "aws:CalledVia",
            values: { fixed: ["ec2-images.amazonaws.com"] },
          },
        ],
      },
    ],
  },
  findReferencesFallback: {
    purpose:
      "find instances, launch templates and SSM parameters using an image where DescribeImageReferences is unavailable",
    statements: [
      {
        actions: [
          "ec2:DescribeInstances",
          "ec2:DescribeLaunchTemplates",
          "ec2:DescribeLaunchTemplateVersions",
          // DescribeParameters supports no resource-level permissions.
          "ssm:DescribeParameters",
        ],
        resources: ["any"],
      },
      {
        // SSM cannot search by value: GetParametersByPath on "/" and GetParameter on names without a slash.
        actions: ["ssm:GetParametersByPath", "ssm:GetParameter"],
        resources: ["parametersInManagedRegions"],
      },
    ],
  },
  findLaunchSources: {
    purpose:
      "read what DescribeImageReferences does not report: launch configurations, the launch template version each Auto Scaling group or mixed instances override launches, EC2 Fleets and Spot Fleet requests",
    statements: [
      {
        // None of these supports resource-level permissions.
        actions: [
          "autoscaling:DescribeAutoScalingGroups",
          "autoscaling:DescribeLaunchConfigurations",
          "ec2:DescribeLaunchTemplates",
          "ec2:DescribeLaunchTemplateVersions",
          "ec2:DescribeFleets",
          "ec2:DescribeSpotFleetRequests",
        ],
        resources: ["any"],
      },
    ],
  },
  checkRecycleBin: {
    purpose:
      "before deregistering, read the region's Recycle Bin rules (the stacks create them; the service never does) and, after the recovery date, whether an image is still binned",
    statements: [
      // ListRules and the bin listings support no resource-level permissions.
      { actions: ["rbin:ListRules", "ec2:ListImagesInRecycleBin"], resources: ["any"] },
      { actions: ["rbin:GetRule"], resources: ["recycleBinRulesInManagedRegions"] },
    ],
  },
  publishNotification: {
    purpose: "publish to the service's topics, which are encrypted with the notifications key",
    statements: [
      { actions: ["sns:Publish"], resources: ["notificationTopics"] },
      {
        actions: ["kms:GenerateDataKey", "kms:Decrypt"],
        resources: ["notificationsKey"],
        conditions: [{ test: "StringEquals", variable: "kms:ViaService", values: { viaServiceSns: "home" } }],
      },
    ],
  },
  readRegistry: {
    purpose: "read versions and families from the registry table",
    statements: [
      {
        actions: ["dynamodb:GetItem", "dynamodb:BatchGetItem", "dynamodb:Query", "dynamodb:Scan"],
        resources: ["registryTable"],
      },
    ],
  },
  writeRegistry: {
    purpose: "conditional writes and transactions on the registry table",
    statements: [
      {
        actions: [
          "dynamodb:PutItem",
          "dynamodb:UpdateItem",
          "dynamodb:DeleteItem",
          "dynamodb:ConditionCheckItem",
        ],
        resources: ["registryTable"],
      },
    ],
  },
  useIdempotencyStore: {
    purpose: "one-run-per-request records of sweep requests and rollbacks",
    statements: [
      {
        actions: ["dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:UpdateItem", "dynamodb:DeleteItem"],
        resources: ["idempotencyTable"],
      },
    ],
  },
  putSweepRequest: {
    purpose:
      "ask for a family sweep on the home default bus, only with the service's own source and detail-type",
    statements: [
      {
        actions: ["events:PutEvents"],
        resources: ["homeDefaultBus"],
        // Both keys are multivalued (ArrayOfString in AWS's catalogue): a plain StringEquals never matches
        // them, so every value must be ours (ForAllValues) and the source must be present (Null false).
        conditions: [
          {
            test: "ForAllValues:StringEquals",
            variable: "events:source",
            values: { fixed: [...familySweepRequestPattern.source] },
          },
          { test: "Null", variable: "events:source", values: { fixed: ["false"] } },
          {
            test: "ForAllValues:StringEquals",
            variable: "events:detail-type",
            values: { fixed: [...familySweepRequestPattern["detail-type"]] },
          },
        ],
      },
    ],
  },
  writeTraces: {
    purpose: "Lambda active tracing, the optional ADOT layer (X-Ray has no resource-level permissions)",
    statements: [{ actions: ["xray:PutTraceSegments", "xray:PutTelemetryRecords"], resources: ["any"] }],
  },
  writeLogs: {
    purpose: "write to the function's own log group (created by the stack, so no logs:CreateLogGroup)",
    statements: [{ actions: ["logs:CreateLogStream", "logs:PutLogEvents"], resources: ["functionLogGroup"] }],
  },
  sendToDeadLetterQueue: {
    purpose: "Lambda puts events that failed every asynchronous attempt on the handlers' dead-letter queue",
    statements: [{ actions: ["sqs:SendMessage"], resources: ["handlerDeadLetterQueue"] }],
  },
  invokeSweep: {
    purpose: "EventBridge Scheduler invokes the retention sweep",
    statements: [{ actions: ["lambda:InvokeFunction"], resources: ["sweepFunction"] }],
  },
  sendScheduleFailure: {
    purpose:
      "EventBridge Scheduler puts invocations that failed every retry on the schedule's dead-letter queue",
    statements: [{ actions: ["sqs:SendMessage"], resources: ["scheduleDeadLetterQueue"] }],
  },
  forwardEventsToHome: {
    purpose: "rules in other managed regions forward EC2 events to the home default bus",
    statements: [{ actions: ["events:PutEvents"], resources: ["homeDefaultBus"] }],
  },
};

/**
 * The actions each Lambda handler performs. Retirement (deprecate, disable, delete snapshots) is the
 * sweep's alone, but IAM is not what keeps the service off images it does not manage: the image handlers
 * also hold `ec2:DeregisterImage` (to discard a failed copy, which blocks the retry by its name), every
 * role with `tagImages` may write `ami-lifecycle:*` tags on any image or snapshot of the managed regions,
 * and the `managed` tag the destructive grants are conditioned on can be written by anyone with
 * `ec2:CreateTags`. The barrier is the registry: the service deletes, shares, adopts or moves a pointer only
 * for what it recorded from EC2's own answers (README "Security"; docs/security.md for an SCP that keeps
 * other principals off the lifecycle tags).
 */
export const handlerActions = {
  "image-api-call": eventHandlerActions(),
  "image-state-change": eventHandlerActions(),
  // The public-sharing guard: CloudTrail ModifyImageAttribute / ResetImageAttribute.
  "image-permission-change": [
    "describeImages",
    "guardPublicImages",
    "publishNotification",
    "readRegistry",
    "writeRegistry",
    "writeTraces",
    "writeLogs",
    "sendToDeadLetterQueue",
  ],
  // The tamper guard: CloudTrail CreateTags / DeleteTags on lifecycle tags. It only reads the registry
  // and reports; the sweep puts the tags back.
  "image-tag-change": [
    "publishNotification",
    "readRegistry",
    "writeRegistry",
    "writeTraces",
    "writeLogs",
    "sendToDeadLetterQueue",
  ],
  "retention-sweep": [
    ...eventHandlerActions(),
    // One sweep per request: the only event handler that keeps one-run-per-request records.
    "useIdempotencyStore",
    "guardPublicImages",
    "readImageAttributes",
    "deprecateImage",
    "disableImage",
    // deleteSnapshot comes with the event handler actions (failed copies); the sweep deletes leftovers too.
    "findReferences",
    "findReferencesFallback",
    "findLaunchSources",
    "checkRecycleBin",
  ],
  // Direct invocation by automation (no rule): re-points latest, withdraws versions, notifies.
  rollback: [
    "describeImages",
    "movePointers",
    "readRegistry",
    "writeRegistry",
    "publishNotification",
    // A repeated rollback request is answered from its first result.
    "useIdempotencyStore",
    "writeTraces",
    "writeLogs",
    "sendToDeadLetterQueue",
  ],
} as const satisfies Record<string, readonly CoreAction[]>;

/** Name of one Lambda handler (its file in functions/). */
export type HandlerName = keyof typeof handlerActions;

function eventHandlerActions() {
  return [
    "describeImages",
    "tagImages",
    "copyImage",
    // A failed copy keeps its name, which blocks the retry's CopyImage: the reaction deregisters it first
    // (managed-tag conditioned, like every destructive action).
    "deregisterImage",
    // DeleteAssociatedSnapshots deletes the failed copy's snapshots with the caller's own
    // ec2:DeleteSnapshot; without it EC2 answers `missing-permissions` and leaves them behind.
    "deleteSnapshot",
    "useCopyKeys",
    // A version available in a region is shared with the family's consumers at once.
    "shareImages",
    "movePointers",
    "publishNotification",
    "readRegistry",
    "writeRegistry",
    "putSweepRequest",
    "writeTraces",
    "writeLogs",
    "sendToDeadLetterQueue",
  ] as const satisfies readonly CoreAction[];
}

/** The concrete values a deployment resolves the declared resources and conditions to. */
export interface PermissionContext {
  partition: string;
  accountId: string;
  homeRegion: string;
  managedRegions: readonly string[];
  copyDestinationRegions: readonly string[];
  /** ARNs of the KMS keys copies are encrypted with (created by the stack or referenced) */
  copyKeyArns: readonly string[];
  notificationTopicArns: readonly string[];
  notificationsKeyArn: string;
  registryTableArn: string;
  idempotencyTableArn: string;
  handlerDeadLetterQueueArn: string;
  /** the log group of the function whose role is rendered */
  functionLogGroupArn: string;
  sweepFunctionArn: string;
  scheduleDeadLetterQueueArn: string;
  /** fixed path every pointer name starts with (`pointerPathPrefix(config.pointers.namePattern)`) */
  pointerPathPrefix: string;
}

/** A rendered IAM statement (SST `permissions` / Pulumi getPolicyDocument shape), Sid naming its action. */
export interface IamStatement {
  sid: string;
  effect: "Allow";
  actions: string[];
  resources: string[];
  conditions?: IamCondition[];
}

/** Renders the statements of the given actions for one deployment; the order of `actions` is kept. */
export function renderStatements(
  actions: readonly PermissionAction[],
  context: Partial<PermissionContext>,
): IamStatement[] {
  return actions.flatMap((action) =>
    actionPermissions[action].statements.map((template, index) => {
      const statement: IamStatement = {
        sid: statementSid(action, index),
        effect: "Allow",
        actions: [...template.actions],
        resources: template.resources.flatMap((ref) => resolveResource(ref, context, action)),
      };
      if (template.conditions && template.conditions.length > 0) {
        statement.conditions = template.conditions.map((condition) => ({
          test: condition.test,
          variable: condition.variable,
          values: resolveConditionValues(condition.values, context, action),
        }));
      }
      return statement;
    }),
  );
}

/** The Sid of an action's statement: `CopyImage`, `CopyImage2`, … */
export function statementSid(action: PermissionAction, index: number): string {
  const base = action.charAt(0).toUpperCase() + action.slice(1);
  return index === 0 ? base : `${base}${index + 1}`;
}

/** An IAM policy document (JSON shape) of rendered statements. */
export function policyDocument(statements: readonly IamStatement[]): {
  Version: "2012-10-17";
  Statement: Record<string, unknown>[];
} {
  return {
    Version: "2012-10-17",
    Statement: statements.map((statement) => {
      const json: Record<string, unknown> = {
        Sid: statement.sid,
        Effect: statement.effect,
        Action: statement.actions,
        Resource: statement.resources,
      };
      if (statement.conditions) {
        const block: Record<string, Record<string, string[]>> = {};
        for (const condition of statement.conditions) {
          block[condition.test] = { ...block[condition.test], [condition.variable]: condition.values };
        }
        json.Condition = block;
      }
      return json;
    }),
  };
}

/** The KMS actions EC2 performs with a copy key on the caller's behalf (for the key policy). */
export const copyKeyUsageActions: readonly string[] = [
  ...(actionPermissions.useCopyKeys.statements[0]?.actions ?? []),
  ...(actionPermissions.useCopyKeys.statements[1]?.actions ?? []),
];

/**
 * Key administration for the account root in the key policies the stacks write: listed one by one
 * because no action in this project is a wildcard, and complete enough that the key stays manageable.
 */
export const keyAdministrationActions: readonly string[] = [
  "kms:CancelKeyDeletion",
  "kms:CreateAlias",
  "kms:DeleteAlias",
  "kms:DescribeKey",
  "kms:DisableKey",
  "kms:DisableKeyRotation",
  "kms:EnableKey",
  "kms:EnableKeyRotation",
  "kms:GetKeyPolicy",
  "kms:GetKeyRotationStatus",
  "kms:ListAliases",
  "kms:ListGrants",
  "kms:ListKeyPolicies",
  "kms:ListKeyRotations",
  "kms:ListResourceTags",
  "kms:PutKeyPolicy",
  "kms:RetireGrant",
  "kms:RevokeGrant",
  "kms:RotateKeyOnDemand",
  "kms:ScheduleKeyDeletion",
  "kms:TagResource",
  "kms:UntagResource",
  "kms:UpdateAlias",
  "kms:UpdateKeyDescription",
];

// Key references live in ./key-refs (the runtime needs them without this module's IAM tables).
export { isStackManagedKeyRef, type KeyRef, parseKeyRef, stackManagedKeyAlias } from "./key-refs";

/** A resource the context does not provide: a stack wiring mistake, reported with the action that needed it. */
export class MissingPermissionContextError extends AmiLifecycleError {
  override name = "MissingPermissionContextError";
  constructor(
    readonly action: PermissionAction,
    readonly field: keyof PermissionContext,
  ) {
    super(`rendering ${action} needs ${field}`);
  }
}

function required<K extends keyof PermissionContext>(
  context: Partial<PermissionContext>,
  field: K,
  action: PermissionAction,
): PermissionContext[K] {
  const value = context[field];
  if (value === undefined || (Array.isArray(value) && value.length === 0)) {
    throw new MissingPermissionContextError(action, field);
  }
  return value as PermissionContext[K];
}

function resolveResource(
  ref: ResourceRef,
  context: Partial<PermissionContext>,
  action: PermissionAction,
): string[] {
  switch (ref) {
    case "any":
      return ["*"];
    case "imagesInManagedRegions":
      return required(context, "managedRegions", action).map(
        (region) => `arn:${required(context, "partition", action)}:ec2:${region}::image/*`,
      );
    case "snapshotsInManagedRegions":
      return required(context, "managedRegions", action).map(
        (region) => `arn:${required(context, "partition", action)}:ec2:${region}::snapshot/*`,
      );
    case "recycleBinRulesInManagedRegions":
      return required(context, "managedRegions", action).map(
        (region) =>
          `arn:${required(context, "partition", action)}:rbin:${region}:${required(context, "accountId", action)}:rule/*`,
      );
    case "pointerParameters": {
      // Parameter ARNs drop the name's leading slash: `parameter/ami-lifecycle/web/latest`.
      const path = required(context, "pointerPathPrefix", action).replace(/^\//, "");
      return required(context, "managedRegions", action).map(
        (region) =>
          `arn:${required(context, "partition", action)}:ssm:${region}:${required(context, "accountId", action)}:parameter/${path}*`,
      );
    }
    case "parametersInManagedRegions":
      // `parameter/*` also matches `parameter/`, the resource of GetParametersByPath on the root path.
      return required(context, "managedRegions", action).map(
        (region) =>
          `arn:${required(context, "partition", action)}:ssm:${region}:${required(context, "accountId", action)}:parameter/*`,
      );
    case "copyKeys":
      return [...required(context, "copyKeyArns", action)];
    case "notificationTopics":
      return [...required(context, "notificationTopicArns", action)];
    case "notificationsKey":
      return [required(context, "notificationsKeyArn", action)];
    case "registryTable":
      return [required(context, "registryTableArn", action)];
    case "idempotencyTable":
      return [required(context, "idempotencyTableArn", action)];
    case "homeDefaultBus":
      return [
        `arn:${required(context, "partition", action)}:events:${required(context, "homeRegion", action)}:${required(context, "accountId", action)}:event-bus/default`,
      ];
    case "handlerDeadLetterQueue":
      return [required(context, "handlerDeadLetterQueueArn", action)];
    case "functionLogGroup": {
      const logGroup = required(context, "functionLogGroupArn", action);
      // Log streams are named `<log group ARN>:log-stream:<name>`, which `:*` covers.
      return [logGroup, `${logGroup}:*`];
    }
    case "sweepFunction":
      return [required(context, "sweepFunctionArn", action)];
    case "scheduleDeadLetterQueue":
      return [required(context, "scheduleDeadLetterQueueArn", action)];
  }
}

function resolveConditionValues(
  values: ConditionValues,
  context: Partial<PermissionContext>,
  action: PermissionAction,
): string[] {
  if ("fixed" in values) return [...values.fixed];
  if ("viaServiceEc2" in values) {
    return required(context, "copyDestinationRegions", action).map((region) => `ec2.${region}.amazonaws.com`);
  }
  return [`sns.${required(context, "homeRegion", action)}.amazonaws.com`];
}
