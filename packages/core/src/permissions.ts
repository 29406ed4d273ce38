import {
  type CoreAction,
  capabilityActions,
  capabilityPermissions,
  type HandlerName,
  handlerCapabilities,
} from "./capability-permissions";
import { AmiLifecycleError } from "./errors";

/**
 * Least privilege, declared beside the calls. Each capability declares, in its own
 * `<capability>/permissions.ts`, the IAM actions its port calls need, the resources they apply to and
 * the conditions that narrow them; a handler's role is the union of the capabilities its trigger runs
 * (capability-permissions.ts); the stacks render these declarations and grant nothing else. This module
 * holds the shapes, the stacks' own service roles and the renderer.
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

export type { CapabilityName, CoreAction, HandlerName } from "./capability-permissions";
export {
  capabilityActions,
  capabilityPermissions,
  handlerCapabilities,
} from "./capability-permissions";

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
  | "scheduleDeadLetterQueue"
  /** the stage's deployment descriptor (`/ami-lifecycle-deployment/<stage>` in the home region) */
  | "deploymentParameter"
  /** the consumer role (organization.consumerRoleName) in any account */
  | "consumerRoles"
  /** the role that lists the organization's accounts (organization.managementRoleArn) */
  | "organizationReaderRole"
  /** the owner account's AMI usage reports in managed regions */
  | "usageReportsInManagedRegions"
  /** the event buses of consumer accounts (organization.consumerEventBuses) */
  | "consumerEventBuses";

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

/** A declaration beside a capability: what it needs, and the port methods (or adapter calls) that need it. */
export interface CallPermission extends ActionPermission {
  calls: readonly string[];
}

/** One capability's IAM declarations, keyed by the name its statements' Sids carry. */
export type CapabilityPermissions = Readonly<Record<string, CallPermission>>;

export { lifecycleTagKeyPattern } from "./iam-conditions";

/** What the roles the stacks create for AWS services need (no code of the service makes these calls). */
export const infrastructurePermissions: Readonly<Record<InfrastructureAction, ActionPermission>> = {
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

/** Every declared action with its IAM: the capabilities' declarations and the stacks' service roles. */
export const actionPermissions: Readonly<Record<PermissionAction, ActionPermission>> = {
  ...(Object.assign({}, ...Object.values(capabilityPermissions)) as Record<CoreAction, CallPermission>),
  ...infrastructurePermissions,
};

/**
 * The actions each Lambda handler performs, derived from the capabilities its trigger runs. IAM is not
 * what keeps the service off images it does not manage: the image handlers hold `ec2:DeregisterImage`
 * and `ec2:DeleteSnapshot` (copies discards a failed copy, which blocks the retry by its name), every role
 * with `tagImages` may write `ami-lifecycle:*` tags on any image or snapshot of the managed regions, and
 * the `managed` tag the destructive grants are conditioned on can be written by anyone with
 * `ec2:CreateTags`. The barrier is the registry: the service deletes, shares, adopts or moves a pointer only
 * for what it recorded from EC2's own answers (README "Security"; docs/security.md for an SCP that keeps
 * other principals off the lifecycle tags).
 */
export const handlerActions: Readonly<Record<HandlerName, readonly CoreAction[]>> = Object.fromEntries(
  (Object.keys(handlerCapabilities) as HandlerName[]).map((handler) => [
    handler,
    capabilityActions(handlerCapabilities[handler]),
  ]),
) as unknown as Record<HandlerName, readonly CoreAction[]>;

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
  /** ARN of the stage's deployment descriptor parameter (`deploymentParameterArn`) */
  deploymentParameterArn: string;
  /** fixed path every pointer name starts with (`pointerPathPrefix(config.pointers.namePattern)`) */
  pointerPathPrefix: string;
  /** organization.consumerRoleName; absent: no organization grant is deployed (organizationPermissionContext) */
  consumerRoleName?: string;
  /** organization.managementRoleArn; absent: the sweep lists no organization */
  organizationReaderRoleArn?: string;
  /** the ARNs of organization.consumerEventBuses; absent: the sweep puts no event on a consumer's bus */
  consumerEventBusArns?: readonly string[];
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
): NonNullable<PermissionContext[K]> {
  const value = context[field];
  if (value === undefined || (Array.isArray(value) && value.length === 0)) {
    throw new MissingPermissionContextError(action, field);
  }
  return value as NonNullable<PermissionContext[K]>;
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
    case "deploymentParameter":
      return [required(context, "deploymentParameterArn", action)];
    case "consumerRoles":
      // The role's name is the same in every consumer account; the account is whichever shares are used in.
      return [
        `arn:${required(context, "partition", action)}:iam::*:role/${required(context, "consumerRoleName", action)}`,
      ];
    case "organizationReaderRole":
      return [required(context, "organizationReaderRoleArn", action)];
    case "consumerEventBuses":
      return [...required(context, "consumerEventBusArns", action)];
    case "usageReportsInManagedRegions":
      return required(context, "managedRegions", action).map(
        (region) =>
          `arn:${required(context, "partition", action)}:ec2:${region}:${required(context, "accountId", action)}:image-usage-report/*`,
      );
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
