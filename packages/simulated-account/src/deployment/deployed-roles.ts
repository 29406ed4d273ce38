import {
  type Config,
  consumerTopicArns,
  deploymentParameterArn,
  type HandlerName,
  handlerPolicies,
  operatorPolicy,
  organizationPermissionContext,
  type PermissionContext,
  pointerPathPrefix,
  type RenderedPolicy,
} from "@ami-lifecycle/core";
import type { SimulatedAccount } from "../account";

/** The stage the local deployment plays (its names are `ami-lifecycle-local-…`). */
export const localStage = "local";

/** The role name the local deployment gives a handler (as the stack would, without the stage). */
export const localRoleName = (handler: HandlerName) => `ami-lifecycle-local-${handler}`;

/** The session ARN a handler's calls carry (Lambda assumes the role with the function name as session). */
export function handlerPrincipalArn(accountId: string, handler: HandlerName): string {
  return `arn:aws:sts::${accountId}:assumed-role/${localRoleName(handler)}/${handler}`;
}

/** The session ARN of the operator running the CLI (docs/operator-policy.json). */
export function operatorPrincipalArn(accountId: string): string {
  return `arn:aws:sts::${accountId}:assumed-role/ami-lifecycle-operator/cli`;
}

/** Where the local deployment's resources are. */
export interface LocalResources {
  topicArn: string;
  securityTopicArn: string;
  registryTable: string;
  idempotencyTable: string;
  /** the key both topics are encrypted with (absent: a deployment without one, named as the stacks would) */
  notificationsKeyArn?: string;
}

/**
 * The PermissionContext the stacks would resolve for this config in the simulated account: same
 * regions, topics, tables, queues and log groups, and the copy keys the config names, looked up in
 * the account (an alias, as keys.ts does, becomes its key's ARN; a key that does not exist is kept
 * as named, and EC2 fails that copy without asking KMS).
 */
export function localPermissionContext(
  config: Config,
  account: SimulatedAccount,
  resources: LocalResources,
  handler?: HandlerName,
): PermissionContext {
  const { accountId } = account;
  const home = config.homeRegion;
  const copyTo = config.families.flatMap((family) => family.copyTo);
  const keyArns = copyTo.map(
    ({ region, kmsKeyId }) =>
      account.keyArn(region, kmsKeyId) ?? kmsKeyArnAsNamed(region, accountId, kmsKeyId),
  );
  const functionName = handler ?? "operator";
  return {
    partition: "aws",
    accountId,
    homeRegion: home,
    managedRegions: config.regions,
    copyDestinationRegions: [...new Set(copyTo.map((destination) => destination.region))],
    copyKeyArns: [...new Set(keyArns)],
    notificationTopicArns: [resources.topicArn, resources.securityTopicArn, ...consumerTopicArns(config)],
    notificationsKeyArn:
      resources.notificationsKeyArn ?? `arn:aws:kms:${home}:${accountId}:key/notifications`,
    registryTableArn: `arn:aws:dynamodb:${home}:${accountId}:table/${resources.registryTable}`,
    idempotencyTableArn: `arn:aws:dynamodb:${home}:${accountId}:table/${resources.idempotencyTable}`,
    handlerDeadLetterQueueArn: `arn:aws:sqs:${home}:${accountId}:ami-lifecycle-local-HandlerDeadLetterQueue`,
    functionLogGroupArn: `arn:aws:logs:${home}:${accountId}:log-group:/aws/lambda/ami-lifecycle-local-${functionName}`,
    sweepFunctionArn: `arn:aws:lambda:${home}:${accountId}:function:ami-lifecycle-local-retention-sweep`,
    scheduleDeadLetterQueueArn: `arn:aws:sqs:${home}:${accountId}:ami-lifecycle-local-ScheduleDeadLetterQueue`,
    pointerPathPrefix: pointerPathPrefix(config.pointers.namePattern),
    deploymentParameterArn: deploymentParameterArn({
      partition: "aws",
      region: home,
      accountId,
      stage: localStage,
    }),
    ...organizationPermissionContext(config),
  };
}

function kmsKeyArnAsNamed(region: string, accountId: string, kmsKeyId: string): string {
  if (kmsKeyId.startsWith("arn:")) return kmsKeyId;
  return `arn:aws:kms:${region}:${accountId}:${kmsKeyId.startsWith("alias/") ? kmsKeyId : `key/${kmsKeyId}`}`;
}

/**
 * Policies of one principal, re-rendered only when the context changes (a test creates a key later).
 * Asked on every call: the context is resolved each time, the policies rendered only when it changed.
 */
function cachedPolicies(
  resolveContext: () => PermissionContext,
  render: (context: PermissionContext) => RenderedPolicy[],
) {
  let key = "";
  let policies: RenderedPolicy[] = [];
  return () => {
    const context = resolveContext();
    const next = JSON.stringify(context);
    if (next !== key) {
      key = next;
      policies = render(context);
    }
    return policies;
  };
}

/** Makes the account evaluate each handler's calls against its role, and the operator's against its policy. */
export function governDeployedRoles(
  config: Config,
  account: SimulatedAccount,
  resources: LocalResources,
  handlers: readonly HandlerName[],
  /** lets a test remove grants: the policies a principal gets, from the rendered ones */
  adjust: (principal: HandlerName | "operator", policies: RenderedPolicy[]) => RenderedPolicy[] = (_, p) => p,
): void {
  for (const handler of handlers) {
    account.iam.govern(handlerPrincipalArn(account.accountId, handler), {
      name: `${handler} role`,
      policies: cachedPolicies(
        () => localPermissionContext(config, account, resources, handler),
        (context) => adjust(handler, handlerPolicies(handler, context)),
      ),
    });
  }
  account.iam.govern(operatorPrincipalArn(account.accountId), {
    name: "operator",
    policies: cachedPolicies(
      () => localPermissionContext(config, account, resources),
      (context) => adjust("operator", [operatorPolicy(context)]),
    ),
  });
}
