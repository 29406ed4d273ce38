import { runSimulation } from "@cloud-copilot/iam-simulate";

/** What the trust decision of one AssumeRole call depends on. */
export interface TrustQuestion {
  callerArn: string;
  callerAccount: string;
  roleArn: string;
  roleAccount: string;
  /** the role's AssumeRolePolicyDocument */
  trustPolicy: object;
  externalId?: string;
  /** `aws:PrincipalOrgID` of the caller, when it is in an organization */
  orgId?: string;
}

// The caller's own side (its identity policies) is the authorizer's, for governed principals: here an
// identity policy allowing the call leaves the decision to the trust policy alone, evaluated by the same
// engine (`@cloud-copilot/iam-simulate`) as every other policy of the simulated account.
const identityAllowingAssumeRole = {
  name: "caller-side-decided-elsewhere",
  policy: {
    Version: "2012-10-17",
    Statement: [{ Effect: "Allow", Action: "sts:AssumeRole", Resource: "*" }],
  },
};

const decisions = new Map<string, Promise<boolean>>();

/** True when the role's trust policy lets the caller assume it (AWS's evaluation, conditions included). */
export function trustPolicyAllows(question: TrustQuestion): Promise<boolean> {
  const key = JSON.stringify(question);
  let decision = decisions.get(key);
  if (!decision) {
    decision = evaluate(question);
    decisions.set(key, decision);
  }
  return decision;
}

async function evaluate(question: TrustQuestion): Promise<boolean> {
  const result = await runSimulation(
    {
      request: {
        principal: question.callerArn,
        action: "sts:AssumeRole",
        resource: { resource: question.roleArn, accountId: question.roleAccount },
        contextVariables: {
          "aws:PrincipalArn": question.callerArn,
          "aws:PrincipalAccount": question.callerAccount,
          ...(question.externalId !== undefined ? { "sts:ExternalId": question.externalId } : {}),
          ...(question.orgId !== undefined ? { "aws:PrincipalOrgID": question.orgId } : {}),
        },
      },
      identityPolicies: [identityAllowingAssumeRole],
      serviceControlPolicies: [],
      resourceControlPolicies: [],
      resourcePolicy: question.trustPolicy,
    },
    {},
  );
  if (result.resultType === "error") {
    throw new Error(
      `iam-simulate refused the trust policy of ${question.roleArn}: ${JSON.stringify(result.errors)}`,
    );
  }
  return result.overallResult === "Allowed";
}
