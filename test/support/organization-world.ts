import {
  AssumedRoleSessions,
  ConsumerReferenceProbe,
  Ec2UsageReports,
  EventBridgeConsumerEvents,
  OrganizationsDirectory,
  SnsNotifier,
} from "@ami-lifecycle/aws";
import { type CrossAccountPorts, parseConfig } from "@ami-lifecycle/core";
import { fastRetryStrategy, LocalDeployment, SimulatedOrganization } from "@ami-lifecycle/simulated-account";
import { AutoScalingClient } from "@aws-sdk/client-auto-scaling";
import { EC2Client } from "@aws-sdk/client-ec2";
import { EventBridgeClient } from "@aws-sdk/client-eventbridge";
import { OrganizationsClient } from "@aws-sdk/client-organizations";
import { SNSClient } from "@aws-sdk/client-sns";
import { SSMClient } from "@aws-sdk/client-ssm";
import { STSClient } from "@aws-sdk/client-sts";

/** The accounts of the organization scenarios: the owner (also management) and three consumers. */
export const orgAccounts = {
  owner: "111122223333",
  first: "222200000001",
  second: "222200000002",
  third: "222200000003",
} as const;

/** The consumer role every consumer account should have (consumer 3's is missing at first). */
export const consumerRole = "ami-lifecycle-consumer-probe";
export const orgRegions = ["us-east-1", "eu-west-1"];
const externalId = "ami-lifecycle-sweep";
/** The topic consumer accounts subscribe to (filter policy on `consumerAccount`). */
export const consumerTopicArn = `arn:aws:sns:us-east-1:${orgAccounts.owner}:ami-lifecycle-consumers`;
const retries = { retryStrategy: fastRetryStrategy(2) };
/** The bus consumer 2 names for its schedule notices (organization.consumerEventBuses). */
export const consumerBusArn = `arn:aws:events:us-east-1:${orgAccounts.second}:event-bus/ami-lifecycle-notices`;

/** The consumer role's least privilege, as the StackSet grants it. */
export const consumerRolePolicy = {
  name: "probe",
  document: {
    Version: "2012-10-17",
    Statement: [
      { Effect: "Allow", Action: ["ec2:DescribeImageReferences", "ec2:DescribeImages"], Resource: "*" },
      {
        Effect: "Allow",
        Action: [
          "ec2:DescribeInstances",
          "ec2:DescribeLaunchTemplates",
          "ec2:DescribeLaunchTemplateVersions",
          "ssm:DescribeParameters",
          "ssm:GetParameters",
          "imagebuilder:ListImageRecipes",
          "imagebuilder:ListContainerRecipes",
          "imagebuilder:GetContainerRecipe",
        ],
        Resource: "*",
        Condition: { "ForAnyValue:StringEquals": { "aws:CalledVia": "ec2-images.amazonaws.com" } },
      },
      {
        Effect: "Allow",
        Action: [
          "ec2:DescribeLaunchTemplates",
          "ec2:DescribeLaunchTemplateVersions",
          "ec2:DescribeFleets",
          "ec2:DescribeSpotFleetRequests",
          "autoscaling:DescribeAutoScalingGroups",
          "autoscaling:DescribeLaunchConfigurations",
        ],
        Resource: "*",
      },
    ],
  },
};

/** Gives a consumer account the role (trusting the owner with the external id). */
export function createConsumerRole(org: SimulatedOrganization, accountId: string): void {
  org.createRole(accountId, consumerRole, {
    trustPolicy: {
      Statement: [
        {
          Effect: "Allow",
          Action: "sts:AssumeRole",
          Principal: { AWS: `arn:aws:iam::${orgAccounts.owner}:root` },
          Condition: { StringEquals: { "sts:ExternalId": externalId } },
        },
      ],
    },
    policies: [consumerRolePolicy],
  });
}

/** The organization: consumers 1 and 2 in OU workloads, consumer 3 in OU sandbox; roles for 1 and 2. */
export function startOrganization(): SimulatedOrganization {
  const org = startOrganizationWithoutRoles();
  createConsumerRole(org, orgAccounts.first);
  createConsumerRole(org, orgAccounts.second);
  return org;
}

/** The same organization and copy key, with no consumer role yet (a test creates the roles it needs). */
export function startOrganizationWithoutRoles(): SimulatedOrganization {
  const org = newOrganization();
  org.account(orgAccounts.owner).createKey("eu-west-1", { alias: "alias/ami-lifecycle" });
  return org;
}

function newOrganization(): SimulatedOrganization {
  return new SimulatedOrganization({
    managementAccountId: orgAccounts.owner,
    regions: orgRegions,
    organizationalUnits: [
      { name: "workloads", accounts: [{ id: orgAccounts.first }, { id: orgAccounts.second }] },
      { name: "sandbox", accounts: [{ id: orgAccounts.third }] },
    ],
  });
}

/** One family built in us-east-1, copied to eu-west-1, shared with both OUs; the organization slice set. */
export function organizationConfig(org: SimulatedOrganization) {
  return parseConfig({
    accounts: [orgAccounts.owner],
    homeRegion: "us-east-1",
    regions: orgRegions,
    mode: "enforce",
    organization: {
      consumerRoleName: consumerRole,
      externalId,
      managementRoleArn: `arn:aws:iam::${orgAccounts.owner}:role/ami-lifecycle-organization-reader`,
      usageReportLagDays: 3,
      consumerTopicArn,
      consumerEventBuses: { [orgAccounts.second]: consumerBusArn },
    },
    families: [
      {
        name: "base-al2023",
        team: "platform",
        match: { namePattern: "base-al2023-*" },
        copyTo: [{ region: "eu-west-1", kmsKeyId: "alias/ami-lifecycle" }],
        sharing: { organizationalUnitArns: [org.ou("workloads").arn, org.ou("sandbox").arn] },
        retention: {
          keepLatest: 1,
          minAgeDays: 0,
          deprecateAfterDays: 0,
          disableAfterDays: 1,
          deregisterAfterDays: 1,
        },
      },
    ],
  });
}

/** The cross-account ports over the organization, through the real adapters. */
export function organizationPorts(org: SimulatedOrganization, versionDepth = 10_000): CrossAccountPorts {
  const sessions = new AssumedRoleSessions((region) => org.client(STSClient, region, { config: retries }), {
    sessionName: "ami-lifecycle-sweep",
    externalId,
  });
  return {
    usageReports: new Ec2UsageReports((region) => org.client(EC2Client, region, { config: retries }), {
      versionDepth,
      now: () => org.clock.now(),
    }),
    probes: new ConsumerReferenceProbe(
      sessions,
      {
        ec2: (region, credentials) => org.attach(new EC2Client({ region, credentials, ...retries })),
        ssm: (region, credentials) => org.attach(new SSMClient({ region, credentials, ...retries })),
        autoScaling: (region, credentials) =>
          org.attach(new AutoScalingClient({ region, credentials, ...retries })),
      },
      { consumerRoleName: consumerRole, versionDepth },
    ),
    directory: new OrganizationsDirectory(async () => org.client(OrganizationsClient, "us-east-1")),
    consumerNotifier: new SnsNotifier({
      client: org.client(SNSClient, "us-east-1"),
      topicArn: consumerTopicArn,
    }),
    consumerEvents: new EventBridgeConsumerEvents((region) =>
      org.client(EventBridgeClient, region, { config: retries }),
    ),
  };
}

/**
 * Consumer 2's bus for its schedule notices, with the bus policy README "Organizations" documents
 * (`principalArn` may put `ami-lifecycle` events), or, without a principal, no policy at all.
 */
export function createConsumerBus(org: SimulatedOrganization, principalArn: string | undefined): void {
  const policy = {
    Version: "2012-10-17",
    Statement: [
      {
        Sid: "AmiLifecycleScheduleNotices",
        Effect: "Allow",
        Principal: { AWS: principalArn },
        Action: "events:PutEvents",
        Resource: consumerBusArn,
        // events:source is multi-valued in IAM's catalogue: a set operator.
        Condition: { "ForAnyValue:StringEquals": { "events:source": ["ami-lifecycle"] } },
      },
    ],
  };
  org
    .account(orgAccounts.second)
    .createEventBus("us-east-1", consumerBusArn.split("/")[1] as string, principalArn ? { policy } : {});
}

/** The consumers' topic as the operator makes it: accounts of the organization may subscribe (and filter on consumerAccount). */
export function createConsumerTopic(org: SimulatedOrganization): void {
  org.account(orgAccounts.owner).createTopic("us-east-1", "ami-lifecycle-consumers", {
    policy: {
      Version: "2012-10-17",
      Statement: [
        {
          Effect: "Allow",
          Principal: { AWS: "*" },
          Action: "sns:Subscribe",
          Resource: consumerTopicArn,
          Condition: { StringEquals: { "aws:PrincipalOrgID": org.organizationId } },
        },
      ],
    },
  });
}

/** A local deployment whose account is the organization's owner, with the cross-account ports wired. */
export async function startOrganizationDeployment(
  org: SimulatedOrganization,
  dynamoEndpoint: string,
): Promise<LocalDeployment> {
  const deployment = await LocalDeployment.start({
    config: organizationConfig(org),
    account: org.account(orgAccounts.owner),
    dynamoEndpoint,
  });
  createConsumerTopic(org);
  createConsumerBus(org, `arn:aws:iam::${orgAccounts.owner}:root`);
  deployment.runtime.reactions.organization = organizationPorts(org);
  return deployment;
}
