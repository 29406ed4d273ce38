import { type consumerRoleTemplate, parseConfig, sweepTrustFor } from "@ami-lifecycle/core";
import { SimulatedOrganization } from "@ami-lifecycle/simulated-account";

/** The owner (management) account of the consumer-role tests. */
export const owner = "111122223333";
/** The consumer account in the OU `workloads`. */
export const consumer = "222200000001";
/** The one region of the consumer-role tests. */
export const region = "us-east-1";
/** The sweep function's role, the one principal the templates trust. */
export const sweepRole = `arn:aws:iam::${owner}:role/ami-lifecycle-prod-retention-sweep`;

/** An organization whose one consumer account sits in the OU `workloads`. */
export function orgWithConsumer() {
  return new SimulatedOrganization({
    managementAccountId: owner,
    regions: [region],
    organizationalUnits: [{ name: "workloads", accounts: [{ id: consumer }] }],
  });
}

/** The config of a family shared with `workloads`, probing consumers through `ami-lifecycle-consumer`. */
export function configFor(org: SimulatedOrganization, organization: Record<string, unknown> = {}) {
  return parseConfig({
    accounts: [owner],
    homeRegion: region,
    regions: [region],
    organization: {
      consumerRoleName: "ami-lifecycle-consumer",
      externalId: "sweep-external-id",
      managementRoleArn: `arn:aws:iam::${owner}:role/ami-lifecycle-organization-reader`,
      ...organization,
    },
    families: [
      {
        name: "web",
        team: "web",
        match: { namePattern: "web-*" },
        sharing: { organizationalUnitArns: [org.ou("workloads").arn] },
      },
    ],
  });
}

/** The template's role as CloudFormation creates it in `accountId`: Fn::Sub filled in. */
export function deployedRole(template: ReturnType<typeof consumerRoleTemplate>, accountId: string) {
  const resolve = (value: unknown): unknown => {
    if (Array.isArray(value)) return value.map(resolve);
    if (value && typeof value === "object") {
      const sub = (value as Record<string, unknown>)["Fn::Sub"];
      if (typeof sub === "string")
        // biome-ignore lint/suspicious/noTemplateCurlyInString: CloudFormation's Fn::Sub syntax.
        return sub.replaceAll("${AWS::AccountId}", accountId).replaceAll("${AWS::Partition}", "aws");
      return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, resolve(item)]));
    }
    return value;
  };
  const [resource] = Object.values(template.Resources);
  const properties = resolve(resource?.Properties) as {
    RoleName: string;
    AssumeRolePolicyDocument: { Statement: object[] };
    Policies: { PolicyName: string; PolicyDocument: { Version: string; Statement: object[] } }[];
  };
  return {
    name: properties.RoleName,
    role: {
      trustPolicy: properties.AssumeRolePolicyDocument,
      policies: properties.Policies.map((policy) => ({
        name: policy.PolicyName,
        document: policy.PolicyDocument,
      })),
    },
  };
}

/**
 * Prepares a role template's role as deployed: the organization, its config, and `template`'s role (trusting
 * the sweep's role) created in `accountId` the way CloudFormation creates it.
 */
export function deployedTemplate(template: typeof consumerRoleTemplate, accountId: string) {
  const org = orgWithConsumer();
  const config = configFor(org);
  const { name, role } = deployedRole(template(config, sweepTrustFor(config, [sweepRole])), accountId);
  org.createRole(accountId, name, role);
  return { org, config, role };
}
