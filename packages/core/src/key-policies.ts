import { copyKeyUsageActions, keyAdministrationActions } from "./permissions";
import { consumerKeyActions, type KeyConsumers } from "./sharing/key-consumers";

/** One statement of a resource policy (a key policy, a topic policy), as JSON. */
export type ResourcePolicyStatement = Record<string, unknown> & { Sid: string };

/** A resource policy document the stacks deploy and the simulated account evaluates. */
export interface ResourcePolicyDocument {
  Version: "2012-10-17";
  Statement: ResourcePolicyStatement[];
}

/**
 * Policy of a copy key the stack creates. The account administers it (explicit actions, no
 * wildcard) and delegates its use to IAM only through EC2 in the key's region: the service's roles
 * use it through their `useCopyKeys` grant, people launching the encrypted copies through theirs.
 * The service's roles are not named here: naming them would allow them twice (key policy alone,
 * and IAM through the delegation), so removing either grant would change nothing.
 */
export function copyKeyPolicyDocument(input: {
  region: string;
  accountId: string;
  partition: string;
  /** the families' sharing consumers, who launch the encrypted copies */
  consumers: KeyConsumers;
}): ResourcePolicyDocument {
  const { accountId, partition } = input;
  const viaEc2 = `ec2.${input.region}.amazonaws.com`;
  const root = `arn:${partition}:iam::${accountId}:root`;
  const useActions = copyKeyUsageActions.filter((action) => action !== "kms:CreateGrant");
  return {
    Version: "2012-10-17",
    Statement: [
      {
        Sid: "AccountAdministersKey",
        Effect: "Allow",
        Principal: { AWS: root },
        Action: [...keyAdministrationActions],
        Resource: "*",
      },
      {
        Sid: "AccountUsesThroughEc2",
        Effect: "Allow",
        Principal: { AWS: root },
        Action: useActions,
        Resource: "*",
        Condition: { StringEquals: { "kms:ViaService": viaEc2, "kms:CallerAccount": accountId } },
      },
      ...consumerStatements(input.consumers, partition),
      {
        Sid: "AccountGrantsEc2",
        Effect: "Allow",
        Principal: { AWS: root },
        Action: ["kms:CreateGrant"],
        Resource: "*",
        Condition: {
          StringEquals: { "kms:ViaService": viaEc2, "kms:CallerAccount": accountId },
          Bool: { "kms:GrantIsForAWSResource": "true" },
        },
      },
    ],
  };
}

/**
 * Key policy statements letting the consumers the images are shared with use the key (EC2 User Guide,
 * "Share an AMI": consumers of encrypted snapshots need the key): accounts by their root principal,
 * organizations and OUs by `aws:PrincipalOrgID` / `aws:PrincipalOrgPaths`. CreateGrant only for AWS
 * resources (EC2 creates the grant when it launches or copies).
 */
export function consumerStatements(consumers: KeyConsumers, partition: string): ResourcePolicyStatement[] {
  const principals: { sid: string; principal: unknown; condition?: Record<string, unknown> }[] = [];
  if (consumers.accounts.length > 0) {
    principals.push({
      sid: "ConsumerAccounts",
      principal: { AWS: consumers.accounts.map((account) => `arn:${partition}:iam::${account}:root`) },
    });
  }
  if (consumers.organizationIds.length > 0) {
    principals.push({
      sid: "ConsumerOrganizations",
      principal: { AWS: "*" },
      condition: { StringEquals: { "aws:PrincipalOrgID": consumers.organizationIds } },
    });
  }
  if (consumers.organizationalUnitPaths.length > 0) {
    principals.push({
      sid: "ConsumerOrganizationalUnits",
      principal: { AWS: "*" },
      condition: { "ForAnyValue:StringLike": { "aws:PrincipalOrgPaths": consumers.organizationalUnitPaths } },
    });
  }
  return principals.flatMap(({ sid, principal, condition }) => [
    {
      Sid: `${sid}UseKey`,
      Effect: "Allow",
      Principal: principal,
      Action: [...consumerKeyActions],
      Resource: "*",
      ...(condition ? { Condition: condition } : {}),
    },
    {
      Sid: `${sid}GrantEc2`,
      Effect: "Allow",
      Principal: principal,
      Action: ["kms:CreateGrant"],
      Resource: "*",
      Condition: { ...(condition ?? {}), Bool: { "kms:GrantIsForAWSResource": "true" } },
    },
  ]);
}

/**
 * Policy of the key encrypting the notification and security topics: the account administers it;
 * publishers are authorised by their IAM policies (`publishNotification`) through SNS in the home
 * region; CloudWatch alarms of the account may publish (alarms can't use the AWS managed `aws/sns` key).
 */
export function notificationsKeyPolicyDocument(input: {
  homeRegion: string;
  accountId: string;
  partition: string;
}): ResourcePolicyDocument {
  const { accountId, partition } = input;
  return {
    Version: "2012-10-17",
    Statement: [
      {
        Sid: "AccountAdministersKey",
        Effect: "Allow",
        Principal: { AWS: `arn:${partition}:iam::${accountId}:root` },
        Action: [...keyAdministrationActions],
        Resource: "*",
      },
      {
        Sid: "AccountPublishesThroughSns",
        Effect: "Allow",
        Principal: { AWS: `arn:${partition}:iam::${accountId}:root` },
        Action: ["kms:GenerateDataKey", "kms:Decrypt"],
        Resource: "*",
        Condition: {
          StringEquals: {
            "kms:ViaService": `sns.${input.homeRegion}.amazonaws.com`,
            "kms:CallerAccount": accountId,
          },
        },
      },
      {
        Sid: "CloudWatchAlarmsPublish",
        Effect: "Allow",
        Principal: { Service: "cloudwatch.amazonaws.com" },
        Action: ["kms:GenerateDataKey", "kms:Decrypt"],
        Resource: "*",
        Condition: { StringEquals: { "aws:SourceAccount": accountId } },
      },
    ],
  };
}
