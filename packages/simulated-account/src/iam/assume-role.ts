import type { IamContext, IamRequest } from "./request";

/**
 * The authorisation of `sts:AssumeRole` on a target role: the caller's identity policies and the
 * role's trust policy, which must allow the caller even in the same account (IAM User Guide, "Policy
 * evaluation logic": a role trust policy is the one resource policy that never defers to identity
 * policies alone). The simulated STS decides the trust side with the same engine (iam/trust-policy.ts).
 */
export function assumeRoleRequests(input: {
  roleArn: string;
  /** the target role's trust policy (its AssumeRolePolicyDocument) */
  trustPolicy: object;
  roleSessionName: string;
  externalId?: string;
  /** `aws:PrincipalOrgID` etc. of the caller, when the trust policy conditions on them */
  callerContext?: IamContext;
}): IamRequest[] {
  return [
    {
      action: "sts:AssumeRole",
      resource: input.roleArn,
      context: {
        "sts:RoleSessionName": input.roleSessionName,
        ...(input.externalId !== undefined ? { "sts:ExternalId": input.externalId } : {}),
        ...(input.callerContext ?? {}),
      },
      resourcePolicy: input.trustPolicy,
    },
  ];
}
