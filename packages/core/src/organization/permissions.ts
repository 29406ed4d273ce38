import type { Config } from "../config";
import { serviceEventSource } from "../events/service-events";
import type { CapabilityPermissions, PermissionContext } from "../permissions";
import { consumerScheduleDetailType } from "./consumer-events";

/**
 * The reads of the cross-account evidence (issue #16), in the owner account: the consumer role assumed
 * in each consumer account, the organization reader assumed in the management (or a
 * delegated-administrator) account, and the owner's AMI usage reports read. A step of its own: the
 * operator's `plan` against a deployed stage gathers the same evidence, read only. What the assumed
 * roles may do is in their own policies (consumer-role.ts), never in the sweep's or the operator's.
 */
export const organizationReadPermissions = {
  assumeConsumerRoles: {
    purpose:
      "assume the read-only consumer role (organization.consumerRoleName) in any consumer account, and no other role",
    calls: ["ConsumerProbePort.probe"],
    statements: [{ actions: ["sts:AssumeRole"], resources: ["consumerRoles"] }],
  },
  assumeOrganizationReader: {
    purpose:
      "assume the role that lists the organization's accounts (organization.managementRoleArn); ListAccounts and ListAccountsForParent are in its own policy",
    calls: ["OrganizationDirectoryPort.allAccounts", "OrganizationDirectoryPort.accountsUnder"],
    statements: [{ actions: ["sts:AssumeRole"], resources: ["organizationReaderRole"] }],
  },
  readUsageReports: {
    purpose: "read the owner's AMI usage reports and their entries",
    calls: ["UsageReportPort.ensureReport", "UsageReportPort.readReport", "UsageReportPort.entries"],
    // Neither Describe call supports resource-level permissions.
    statements: [
      {
        actions: ["ec2:DescribeImageUsageReports", "ec2:DescribeImageUsageReportEntries"],
        resources: ["any"],
      },
    ],
  },
} as const satisfies CapabilityPermissions;

/**
 * What only the sweep does with that evidence: create and delete the usage reports, put the consumer
 * schedule notices on the buses consumers named.
 */
export const organizationPermissions = {
  createUsageReports: {
    purpose:
      "create the AMI usage report of a candidate image (every account, instances and launch templates)",
    calls: ["UsageReportPort.ensureReport"],
    statements: [
      {
        actions: ["ec2:CreateImageUsageReport"],
        resources: ["imagesInManagedRegions", "usageReportsInManagedRegions"],
      },
    ],
  },
  putConsumerEvents: {
    purpose:
      "put the consumer schedule notice on the buses consumer accounts named (organization.consumerEventBuses), and no other bus; each bus's own policy must also allow it",
    calls: ["ConsumerEventPort.put"],
    statements: [
      {
        actions: ["events:PutEvents"],
        resources: ["consumerEventBuses"],
        // Multivalued keys (ArrayOfString): every value must be the notice's, and the source present.
        conditions: [
          {
            test: "ForAllValues:StringEquals",
            variable: "events:source",
            values: { fixed: [serviceEventSource] },
          },
          { test: "Null", variable: "events:source", values: { fixed: ["false"] } },
          {
            test: "ForAllValues:StringEquals",
            variable: "events:detail-type",
            values: { fixed: [consumerScheduleDetailType] },
          },
        ],
      },
    ],
  },
  deleteUsageReports: {
    purpose: "delete the usage report of an image the sweep deregistered or whose report it replaces",
    calls: ["UsageReportPort.deleteReport"],
    statements: [{ actions: ["ec2:DeleteImageUsageReport"], resources: ["usageReportsInManagedRegions"] }],
  },
} as const satisfies CapabilityPermissions;

/** The organization declarations a deployment renders only when its config names the role they assume. */
const needsContext: Partial<
  Record<
    keyof typeof organizationPermissions | keyof typeof organizationReadPermissions,
    keyof PermissionContext
  >
> = {
  assumeConsumerRoles: "consumerRoleName",
  assumeOrganizationReader: "organizationReaderRoleArn",
  createUsageReports: "consumerRoleName",
  readUsageReports: "consumerRoleName",
  deleteUsageReports: "consumerRoleName",
  putConsumerEvents: "consumerEventBusArns",
};

/**
 * False for an organization declaration the deployment does not use: without the `organization` slice
 * the sweep makes no cross-account call, and without `managementRoleArn` it lists no organization, so
 * its role gets none of their grants. Every other action is deployed as declared.
 */
export function isDeployedAction(action: string, context: Partial<PermissionContext>): boolean {
  const field = needsContext[action as keyof typeof needsContext];
  return field === undefined || context[field] !== undefined;
}

/** The permission context the `organization` slice decides (absent fields: nothing of it is deployed). */
export function organizationPermissionContext(
  config: Pick<Config, "organization">,
): Pick<PermissionContext, "consumerRoleName" | "organizationReaderRoleArn" | "consumerEventBusArns"> {
  const organization = config.organization;
  const buses = consumerEventBusArns(config);
  return {
    ...(organization ? { consumerRoleName: organization.consumerRoleName } : {}),
    ...(organization?.managementRoleArn ? { organizationReaderRoleArn: organization.managementRoleArn } : {}),
    ...(buses.length > 0 ? { consumerEventBusArns: buses } : {}),
  };
}

/**
 * The consumers' topic (`organization.consumerTopicArn`), when configured: the sweep publishes consumer
 * notices there, so it joins the topics its `sns:Publish` grant names.
 */
export function consumerTopicArns(config: Pick<Config, "organization">): string[] {
  const topicArn = config.organization?.consumerTopicArn;
  return topicArn ? [topicArn] : [];
}

/** The buses consumers named (`organization.consumerEventBuses`), sorted: exactly what `events:PutEvents` may reach. */
export function consumerEventBusArns(config: Pick<Config, "organization">): string[] {
  return [...new Set(Object.values(config.organization?.consumerEventBuses ?? {}))].sort();
}
