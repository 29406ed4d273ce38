import type { Config } from "../config";
import { ConfigError } from "../errors";
import { type PermissionAction, policyDocument, renderStatements } from "../permissions";

/** Who may assume the roles the consumer and management accounts create for the sweep. */
export interface SweepTrust {
  /** the sweep's role ARN(s): with `operatorRoleArns`, the only principals the trust policy names */
  sweepRoleArns: readonly string[];
  /** the operators' roles (organization.operatorRoleArns): `plan --stage` reads consumers' evidence as them */
  operatorRoleArns?: readonly string[];
  /** sts:ExternalId the sweep passes (organization.externalId) */
  externalId?: string;
  /** aws:PrincipalOrgID of the sweep's account: its organization id (o-…) */
  organizationId?: string;
}

/** A CloudFormation template as JSON (printed as JSON or YAML, deployed by a StackSet or `aws cloudformation deploy`). */
export interface CloudFormationTemplate {
  AWSTemplateFormatVersion: "2010-09-09";
  Description: string;
  Resources: Record<string, { Type: string; Properties: Record<string, unknown> }>;
  Outputs: Record<string, { Description: string; Value: unknown }>;
}

/** The declarations whose reads the consumer role allows: the same ones the owner account's sweep makes. */
const probeActions: readonly PermissionAction[] = [
  // DescribeImageReferences, and the Describe calls EC2 makes with it (aws:CalledVia ec2-images)
  "findReferences",
  // where DescribeImageReferences is unavailable: instances, templates and SSM parameters read directly
  "findReferencesFallback",
  // launch configurations and the template versions Auto Scaling groups pin, fleets
  "findLaunchSources",
];

/** CloudFormation pseudo parameters: each stack instance fills in its own account and partition. */
// biome-ignore lint/suspicious/noTemplateCurlyInString: CloudFormation's Fn::Sub syntax, not JavaScript's.
const inEachAccount = { partition: "${AWS::Partition}", accountId: "${AWS::AccountId}" };

/**
 * The consumer role's identity policy: reads only (the probe's calls, and DescribeImages for the shared
 * images and the watermark filter), for the managed regions. `accountId` and `partition` default to the
 * pseudo parameters the template substitutes; tests pass concrete ones to evaluate it.
 */
export function consumerRolePolicy(
  config: Pick<Config, "regions">,
  where: { partition: string; accountId: string } = inEachAccount,
) {
  const statements = renderStatements(probeActions, { ...where, managedRegions: config.regions });
  statements.push({
    sid: "DescribeSharedImages",
    effect: "Allow",
    // DescribeImages supports no resource-level permissions (nor a condition on its filters).
    actions: ["ec2:DescribeImages"],
    resources: ["*"],
  });
  return policyDocument(statements);
}

/**
 * The trust policy: only the sweep's role (and the operators' roles the config names, for `plan`), and
 * only with the external id or from the sweep's organization.
 */
export function sweepTrustPolicy(trust: SweepTrust) {
  if (trust.sweepRoleArns.length === 0) {
    throw new ConfigError([{ path: "sweepRoleArn", message: "must name the sweep's role" }], "consumer role");
  }
  if (!trust.externalId && !trust.organizationId) {
    throw new ConfigError(
      [
        {
          path: "organization.externalId",
          message:
            "must be set, or the families must share with an organization or OU (aws:PrincipalOrgID), so the trust is not the role ARN alone",
        },
      ],
      "consumer role",
    );
  }
  return {
    Version: "2012-10-17",
    Statement: [
      {
        Effect: "Allow",
        Principal: { AWS: [...trust.sweepRoleArns, ...(trust.operatorRoleArns ?? [])] },
        Action: "sts:AssumeRole",
        Condition: {
          StringEquals: {
            ...(trust.externalId ? { "sts:ExternalId": trust.externalId } : {}),
            ...(trust.organizationId ? { "aws:PrincipalOrgID": trust.organizationId } : {}),
          },
        },
      },
    ],
  };
}

/** The organization id the families share with (from their organization and OU ARNs), if exactly one. */
export function sharedOrganizationId(config: Pick<Config, "families">): string | undefined {
  const ids = new Set(
    config.families.flatMap((family) =>
      [...family.sharing.organizationArns, ...family.sharing.organizationalUnitArns].flatMap(
        (arn) => /\/(o-[a-z0-9]{10,32})(\/|$)/.exec(arn)?.[1] ?? [],
      ),
    ),
  );
  return ids.size === 1 ? [...ids][0] : undefined;
}

/**
 * The trust the config implies for a sweep role: its external id, the organization it shares with, and
 * the operators' roles (`organization.operatorRoleArns`) that plan against the deployed stage.
 */
export function sweepTrustFor(
  config: Pick<Config, "organization" | "families">,
  sweepRoleArns: readonly string[],
) {
  const organizationId = sharedOrganizationId(config);
  const trust: SweepTrust = {
    sweepRoleArns,
    ...(config.organization?.operatorRoleArns
      ? { operatorRoleArns: config.organization.operatorRoleArns }
      : {}),
    ...(config.organization?.externalId ? { externalId: config.organization.externalId } : {}),
    ...(organizationId ? { organizationId } : {}),
  };
  return trust;
}

/** Wraps every string naming a pseudo parameter in Fn::Sub, so CloudFormation fills it in per account. */
function substituted(value: unknown): unknown {
  if (typeof value === "string") return value.includes("${AWS::") ? { "Fn::Sub": value } : value;
  if (Array.isArray(value)) return value.map(substituted);
  if (value && typeof value === "object")
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, substituted(item)]));
  return value;
}

function roleTemplate(input: {
  description: string;
  logicalId: string;
  roleName: string;
  trust: SweepTrust;
  policyName: string;
  policy: unknown;
}): CloudFormationTemplate {
  return {
    AWSTemplateFormatVersion: "2010-09-09",
    Description: input.description,
    Resources: {
      [input.logicalId]: {
        Type: "AWS::IAM::Role",
        Properties: {
          RoleName: input.roleName,
          Description: input.description,
          AssumeRolePolicyDocument: sweepTrustPolicy(input.trust),
          Policies: [{ PolicyName: input.policyName, PolicyDocument: substituted(input.policy) }],
        },
      },
    },
    Outputs: {
      RoleArn: {
        Description: "the role the sweep assumes",
        Value: { "Fn::GetAtt": [input.logicalId, "Arn"] },
      },
    },
  };
}

/**
 * The consumer role as a CloudFormation template (the StackSet's body, and what `ami-lifecycle
 * consumer-role` prints for accounts outside the organization). Needs the `organization` slice.
 */
export function consumerRoleTemplate(
  config: Pick<Config, "organization" | "families" | "regions">,
  trust: SweepTrust,
): CloudFormationTemplate {
  const organization = config.organization;
  if (!organization) {
    throw new ConfigError(
      [{ path: "organization", message: "must be set to name the consumer role" }],
      "consumer role",
    );
  }
  return roleTemplate({
    description:
      "ami-lifecycle consumer role: lets the image owner's retention sweep see what in this account uses its shared images (reads only)",
    logicalId: "ConsumerProbeRole",
    roleName: organization.consumerRoleName,
    trust,
    policyName: "ami-lifecycle-probe",
    policy: consumerRolePolicy(config),
  });
}

/** The organization reader's identity policy: list the accounts, the roots' and OUs' children. */
export function organizationReaderPolicy() {
  return {
    Version: "2012-10-17",
    Statement: [
      {
        Sid: "ListAccounts",
        Effect: "Allow",
        // ListAccountsForParent and ListOrganizationalUnitsForParent walk the OUs the families share with.
        Action: [
          "organizations:ListAccounts",
          "organizations:ListAccountsForParent",
          "organizations:ListOrganizationalUnitsForParent",
        ],
        Resource: "*",
      },
    ],
  };
}

/**
 * The organization reader role (organization.managementRoleArn) as a template for the management or a
 * delegated-administrator account: it trusts the sweep's role alone.
 */
export function organizationReaderTemplate(
  config: Pick<Config, "organization">,
  trust: SweepTrust,
): CloudFormationTemplate {
  const arn = config.organization?.managementRoleArn;
  if (!arn) {
    throw new ConfigError(
      [
        {
          path: "organization.managementRoleArn",
          message: "must be set to name the organization reader role",
        },
      ],
      "organization reader role",
    );
  }
  return roleTemplate({
    description:
      "ami-lifecycle organization reader: lets the image owner's retention sweep list the accounts of the OUs its images are shared with",
    logicalId: "OrganizationReaderRole",
    roleName: String(arn.split("/").pop()),
    trust,
    policyName: "ami-lifecycle-list-accounts",
    policy: organizationReaderPolicy(),
  });
}

/**
 * The StackSet deployment targets: the configured roots and OUs, else the OU ids the families share with
 * (an organization ARN has no root id in it: name the root in `consumerRoleStackSet.targets`).
 */
export function consumerRoleTargets(config: Pick<Config, "organization" | "families">): string[] {
  const configured = config.organization?.consumerRoleStackSet?.targets;
  if (configured) return [...configured];
  const ous = config.families.flatMap((family) =>
    family.sharing.organizationalUnitArns.map((arn) => String(arn.split("/").pop())),
  );
  return [...new Set(ous)];
}
