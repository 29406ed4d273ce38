import type { Runtime } from "@ami-lifecycle/aws";
import {
  type Config,
  consumerRolePolicy,
  organizationReaderPolicy,
  type RenderedPolicy,
  sweepTrustFor,
  sweepTrustPolicy,
} from "@ami-lifecycle/core";
import {
  handlerPrincipalArn,
  LocalDeployment,
  type LocalHandler,
  localLambdaContext,
  type SimulatedOrganization,
} from "@ami-lifecycle/simulated-account";
import { createRetentionSweepHandler } from "../../functions/retention-sweep";
import {
  consumerRole,
  createConsumerBus as createConsumerBusIn,
  createConsumerTopic,
  orgAccounts,
  organizationConfig,
  startOrganization,
} from "./organization-world";

/** The local sweep role's ARN (the principal the roles' trust policies name). */
export function sweepRoleArn(): string {
  const session = handlerPrincipalArn(orgAccounts.owner, "retention-sweep");
  const roleName = session.split("/")[1];
  return `arn:aws:iam::${orgAccounts.owner}:role/${roleName}`;
}

/** The name of the organization reader role organizationConfig names. */
const readerRoleName = "ami-lifecycle-organization-reader";

/**
 * Gives an account the consumer role exactly as the StackSet template declares it: trust from core's
 * sweepTrustFor (the sweep role, its external id, the organization id), policy from consumerRolePolicy.
 */
export function createTemplateConsumerRole(
  org: SimulatedOrganization,
  accountId: string,
  config: Config = organizationConfig(org),
): void {
  org.createRole(accountId, consumerRole, {
    trustPolicy: sweepTrustPolicy(sweepTrustFor(config, [sweepRoleArn()])),
    policies: [
      { name: "ami-lifecycle-probe", document: consumerRolePolicy(config, { partition: "aws", accountId }) },
    ],
  });
}

/** Gives the owner (also the management account) the organization reader role as its template declares it. */
export function createTemplateReaderRole(
  org: SimulatedOrganization,
  config: Config = organizationConfig(org),
): void {
  org.createRole(orgAccounts.owner, readerRoleName, {
    trustPolicy: sweepTrustPolicy(sweepTrustFor(config, [sweepRoleArn()])),
    policies: [{ name: "ami-lifecycle-list-accounts", document: organizationReaderPolicy() }],
  });
}

/** An organization whose three consumers and management account have the roles the templates declare. */
export function startTemplatedOrganization(): SimulatedOrganization {
  const org = startOrganization();
  for (const account of [orgAccounts.first, orgAccounts.second, orgAccounts.third])
    createTemplateConsumerRole(org, account);
  createTemplateReaderRole(org);
  return org;
}

/**
 * The service deployed over the organization's owner as the stacks deploy it: the sweep handler with
 * its production runtime (cross-account ports built per invocation), every call evaluated against the
 * rendered roles, assumed-role sessions routed to their accounts.
 */
export function startDeployedOrganization(
  org: SimulatedOrganization,
  dynamoEndpoint: string,
  adjustPolicies?: (principal: string, policies: RenderedPolicy[]) => RenderedPolicy[],
  /** `config`: another config than organizationConfig's (a test's own organization slice) */
  options: { consumerBusPolicy?: boolean; config?: Config } = {},
): Promise<LocalDeployment> {
  createConsumerTopic(org);
  createConsumerBus(org, options.consumerBusPolicy ?? true);
  return LocalDeployment.start({
    config: options.config ?? organizationConfig(org),
    account: org.account(orgAccounts.owner),
    dynamoEndpoint,
    sweepHandler: createRetentionSweepHandler,
    attachClient: (client, principalArn) => {
      org.attach(client, { accountId: orgAccounts.owner, principalArn });
    },
    ...(adjustPolicies ? { adjustPolicies } : {}),
  });
}

/** Consumer 2's bus, its policy naming the sweep's role, or, without `allowSweep`, no policy at all. */
export function createConsumerBus(org: SimulatedOrganization, allowSweep: boolean): void {
  createConsumerBusIn(org, allowSweep ? sweepRoleArn() : undefined);
}

/** Invokes the deployed sweep as EventBridge Scheduler does; returns the handler's outcome. */
export async function scheduledSweep(deployment: LocalDeployment, executionId: string): Promise<unknown> {
  const handler = createRetentionSweepHandler(
    () => deployment.runtimeFor("retention-sweep") as Runtime,
  ) as unknown as LocalHandler;
  const outcome = await handler(
    { kind: "scheduled-sweep", executionId, scheduledTime: deployment.account.clock.now().toISOString() },
    localLambdaContext("retention-sweep", executionId),
  );
  await deployment.pump();
  return outcome;
}
