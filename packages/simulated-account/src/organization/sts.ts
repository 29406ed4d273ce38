import type { AssumeRoleCommandInput } from "@aws-sdk/client-sts";
import { SimApiError } from "../errors";
import type { CallContext, SimWorld } from "../world";

/** A trust policy statement as the simulation evaluates it (Allow only; StringEquals on two keys). */
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

const asList = (value: string | string[] | undefined) =>
  value === undefined ? [] : Array.isArray(value) ? value : [value];

/** The ARNs a trust policy may name for the caller: its account (id or root) and its role. */
function callerNames(call: CallContext, callerAccount: string): string[] {
  const role = /^arn:aws:sts::\d{12}:assumed-role\/([^/]+)\//.exec(call.principalArn)?.[1];
  return [
    callerAccount,
    `arn:aws:iam::${callerAccount}:root`,
    call.principalArn,
    ...(role ? [`arn:aws:iam::${callerAccount}:role/${role}`] : []),
  ];
}

/**
 * True when one Allow statement lets the caller assume the role. Only `StringEquals` on `sts:ExternalId`
 * and `aws:PrincipalOrgID` is modelled (the trust the consumer role documents); any other condition
 * fails loudly rather than passing without a decision.
 */
export function trusts(
  statements: TrustStatement[],
  call: CallContext,
  callerAccount: string,
  externalId: string | undefined,
  orgId: string | undefined,
): boolean {
  const names = callerNames(call, callerAccount);
  return statements.some((statement) => {
    if (statement.Effect !== "Allow")
      throw new Error("the simulated trust policy models Allow statements only");
    if (!asList(statement.Action).some((action) => action === "sts:AssumeRole" || action === "sts:*"))
      return false;
    if (!asList(statement.Principal?.AWS).some((principal) => principal === "*" || names.includes(principal)))
      return false;
    for (const [operator, keys] of Object.entries(statement.Condition ?? {})) {
      if (operator !== "StringEquals")
        throw new Error(`the simulated trust policy does not model ${operator}`);
      for (const [key, expected] of Object.entries(keys)) {
        const actual =
          key === "sts:ExternalId" ? externalId : key === "aws:PrincipalOrgID" ? orgId : undefined;
        if (key !== "sts:ExternalId" && key !== "aws:PrincipalOrgID")
          throw new Error(`the simulated trust policy does not model ${key}`);
        if (actual === undefined || !asList(expected).includes(actual)) return false;
      }
    }
    return true;
  });
}

const ROLE_ARN = /^arn:aws:iam::(\d{12}):role\/(?:[\w+=,.@-]+\/)*([\w+=,.@-]{1,64})$/;

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
  if (
    !role ||
    !trusts(role.trustPolicy.Statement, call, world.accountId, input.ExternalId, sts?.organizationId())
  ) {
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
