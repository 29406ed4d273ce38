import type { AssumeRoleCommandInput } from "@aws-sdk/client-sts";
import { SimApiError } from "../errors";
import { trustPolicyAllows } from "../iam/trust-policy";
import type { CallContext, SimWorld } from "../world";

/** A trust policy statement (evaluated by iam-simulate, like every policy of the simulation: iam/trust-policy.ts). */
interface TrustStatement {
  Effect?: string;
  Action?: string | string[];
  Principal?: { AWS?: string | string[] };
  Condition?: Record<string, Record<string, string | string[]>>;
}

/** The STS side of the organization: roles per account and the sessions AssumeRole handed out. */
export interface StsBackend {
  role(accountId: string, roleName: string): { trustPolicy: { Statement: TrustStatement[] } } | undefined;
  /** records a session; returns its access key id */
  openSession(
    accountId: string,
    principalArn: string,
    expiresAt: Date,
  ): { accessKeyId: string; secretAccessKey: string; sessionToken: string };
  organizationId(): string | undefined;
}

const ROLE_ARN = /^arn:aws:iam::(\d{12}):role\/(?:[\w+=,.@-]+\/)*([\w+=,.@-]{1,64})$/;

/**
 * Whether the role `input.RoleArn` names exists and its trust policy lets the caller assume it. Asked by
 * the authorisation step before the handler runs (the policy engine is asynchronous), for every caller:
 * a trust policy decides even where no identity policy of the caller is evaluated.
 */
export async function roleTrustsCaller(
  world: SimWorld,
  call: CallContext,
  input: AssumeRoleCommandInput,
): Promise<boolean> {
  const sts = world.organization?.sts;
  const roleArn = String(input.RoleArn ?? "");
  const match = ROLE_ARN.exec(roleArn);
  if (!sts || !match) return false;
  const [, accountId, roleName] = match as unknown as [string, string, string];
  const role = sts.role(accountId, roleName);
  if (!role) return false;
  const orgId = sts.organizationId();
  return trustPolicyAllows({
    callerArn: call.principalArn,
    callerAccount: world.accountId,
    roleArn,
    roleAccount: accountId,
    trustPolicy: { Version: "2012-10-17", ...role.trustPolicy },
    ...(input.ExternalId !== undefined ? { externalId: input.ExternalId } : {}),
    ...(orgId !== undefined ? { orgId } : {}),
  });
}

/** STS AssumeRole: credentials of the role's account, or AccessDenied when the role is missing or does not trust the caller. */
export function assumeRole(
  sts: StsBackend | undefined,
  world: SimWorld,
  call: CallContext,
  input: AssumeRoleCommandInput,
) {
  const roleArn = String(input.RoleArn ?? "");
  const sessionName = String(input.RoleSessionName ?? "");
  const match = ROLE_ARN.exec(roleArn);
  if (!match) throw new SimApiError("ValidationError", `RoleArn '${roleArn}' is not a role ARN.`, 400);
  if (!/^[\w+=,.@-]{2,64}$/.test(sessionName)) {
    throw new SimApiError("ValidationError", "RoleSessionName must be 2-64 characters of [\\w+=,.@-].", 400);
  }
  const [, accountId, roleName] = match as unknown as [string, string, string];
  const role = sts?.role(accountId, roleName);
  // AWS answers the same AccessDenied for a missing role and a trust policy that does not allow the caller.
  if (!role || call.roleTrustsCaller !== true) {
    throw new SimApiError(
      "AccessDenied",
      `User: ${call.principalArn} is not authorized to perform: sts:AssumeRole on resource: ${roleArn}`,
      403,
    );
  }
  const durationSeconds = input.DurationSeconds ?? 3600;
  const expiration = new Date(world.clock.nowMs() + durationSeconds * 1000);
  const principalArn = `arn:aws:sts::${accountId}:assumed-role/${roleName}/${sessionName}`;
  const credentials = (sts as StsBackend).openSession(accountId, principalArn, expiration);
  return {
    Credentials: {
      AccessKeyId: credentials.accessKeyId,
      SecretAccessKey: credentials.secretAccessKey,
      SessionToken: credentials.sessionToken,
      Expiration: expiration,
    },
    AssumedRoleUser: {
      AssumedRoleId: `AROASIM${roleName.toUpperCase().slice(0, 12)}:${sessionName}`,
      Arn: principalArn,
    },
  };
}
