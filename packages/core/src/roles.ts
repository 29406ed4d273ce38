import { type CapabilityName, capabilityActions } from "./capability-permissions";
import { isDeployedAction } from "./organization/permissions";
import {
  type CoreAction,
  type HandlerName,
  handlerActions,
  type IamStatement,
  type PermissionAction,
  type PermissionContext,
  policyDocument,
  renderStatements,
} from "./permissions";

/**
 * The policies a role carries, rendered one way for every consumer: the stacks deploy them, the
 * simulated account evaluates them, `ami-lifecycle policy` prints them for review.
 */

/**
 * The actions of a handler's inline role policy: all but the copy keys, which keys.ts grants beside each
 * key. With a context, only those the deployment uses (no organization grants without its slice).
 */
export function handlerRoleActions(
  handler: HandlerName,
  context?: Partial<PermissionContext>,
): PermissionAction[] {
  return handlerActions[handler].filter(
    (action) => action !== "useCopyKeys" && (!context || isDeployedAction(action, context)),
  );
}

/** The actions of a handler's copy-keys policy (empty when the handler copies nothing). */
export function handlerCopyKeyActions(handler: HandlerName): PermissionAction[] {
  return (handlerActions[handler] as readonly PermissionAction[]).includes("useCopyKeys")
    ? ["useCopyKeys"]
    : [];
}

/** One named policy of a role, as IAM stores it. */
export interface RenderedPolicy {
  /** `policy` (the role's inline policy) or `copyKeys` (the copy keys' grant, keys.ts) */
  name: string;
  statements: IamStatement[];
  document: ReturnType<typeof policyDocument>;
}

/**
 * Every policy of a handler's role for one deployment, exactly as stacks/functions.ts and
 * stacks/keys.ts render them (keys.ts adds no copy-keys policy when no family copies).
 */
export function handlerPolicies(handler: HandlerName, context: Partial<PermissionContext>): RenderedPolicy[] {
  const policies = [named("policy", renderStatements(handlerRoleActions(handler, context), context))];
  const copyKeys = handlerCopyKeyActions(handler);
  if (copyKeys.length > 0 && (context.copyKeyArns?.length ?? 0) > 0) {
    policies.push(named("copyKeys", renderStatements(copyKeys, context)));
  }
  return policies;
}

/**
 * The capabilities each CLI command runs against a deployed service, in the order the operator's
 * statements are rendered. The operator's role is their union, as a handler's is its trigger's: add a
 * capability to a command, its IAM follows. Read-only commands (validate, policy, replay) need none.
 */
export const operatorCommandCapabilities = {
  // `plan` reads images, the launch permissions a retirement would revoke, what uses them, the registry,
  // and (the `organization` slice configured) the consumers' evidence as the sweep gathers it, read only.
  plan: ["versions", "launchPermissionReads", "references", "registry", "organizationReads"],
  // `adopt --apply` tags the images it adopts (lifecycle tags only, as the handlers do); `--copy` starts
  // their missing copies as the event handlers do (tagged managed on creation, the copy keys through
  // EC2), and never discards a failed copy (no failedCopies: no deregistration).
  adopt: ["versions", "tags", "copies", "registry"],
  versions: ["versions", "registry"],
  // `promote` and `rollback` move pointers, protect what they point at (as the rollback Lambda does),
  // record it and notify.
  promote: ["versions", "pointers", "pointerProtection", "registry", "notifications"],
  rollback: ["versions", "pointers", "pointerProtection", "registry", "notifications"],
  // `status` reads the dead-letter depths, the alarms in ALARM and each family's `latest` pointer;
  // `--stage NAME` (every command) resolves the physical names from the stage's descriptor parameter
  // (both declared by status).
  status: ["status", "pointers", "registry"],
  // `restore --apply` undoes a retirement as the restore Lambda does, re-sharing what was recorded.
  restore: ["versions", "restore", "sharing", "registry", "notifications"],
  // `sweep --enforce` asks the service for a family sweep, with the sweep function's own source and detail-type.
  sweep: ["sweepRequests"],
} as const satisfies Record<string, readonly CapabilityName[]>;

/** What an operator running the CLI against a deployed service does: its commands' declarations. */
export const operatorActions: readonly CoreAction[] = capabilityActions(
  Object.values(operatorCommandCapabilities).flat(),
);

/**
 * The operator's policy (docs/operator-policy.json is this, rendered for the shipped config): only what
 * the deployment uses (no cross-account grant without the `organization` slice), as a handler's role.
 */
export function operatorPolicy(context: Partial<PermissionContext>): RenderedPolicy {
  return named("operator", renderStatements(operatorRoleActions(context), context));
}

/** The operator's actions the deployment uses (no organization grants without its slice), in order. */
export function operatorRoleActions(context: Partial<PermissionContext>): CoreAction[] {
  return operatorActions.filter((action) => isDeployedAction(action, context));
}

function named(name: string, statements: IamStatement[]): RenderedPolicy {
  return { name, statements, document: policyDocument(statements) };
}
