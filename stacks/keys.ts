import {
  type Config,
  consumerKeyActions,
  copyKeyConsumers,
  copyKeyUsageActions,
  type HandlerName,
  handlerActions,
  type KeyConsumers,
  keyAdministrationActions,
  parseKeyRef,
  stackManagedKeyAlias,
} from "@ami-lifecycle/core";
import { regionLabel } from "./config";
import type { Functions } from "./functions";
import { handlerLabel, policyFor } from "./iam";
import type { RegionPlacement } from "./regions";

/**
 * The KMS keys copies are encrypted with, one per destination region and configured key. A
 * `kmsKeyId` of `alias/ami-lifecycle` (or its alias ARN) asks the stack to create a symmetric key with
 * rotation and that alias in the region; any other value names an existing key, only granted in IAM
 * (its owner must let this account's IAM policies use it).
 */
export function createCopyKeys(input: {
  config: Config;
  accountId: $util.Output<string>;
  partition: $util.Output<string>;
  placement: RegionPlacement;
  functions: Functions;
  copyDestinationRegions: string[];
  production: boolean;
}) {
  const { config, accountId, partition, placement, functions, production } = input;
  const copyingHandlers = (Object.keys(handlerActions) as HandlerName[]).filter((handler) =>
    (handlerActions[handler] as readonly string[]).includes("useCopyKeys"),
  );
  const copyingRoleArns = copyingHandlers.map((handler) => functions.handlers[handler].role.arn);

  const created = new Map<string, { key: aws.kms.Key; alias: aws.kms.Alias }>();
  const keyArns = new Map<string, $util.Output<string>>();

  for (const family of config.families) {
    for (const { region, kmsKeyId } of family.copyTo) {
      const id = `${region} ${kmsKeyId}`;
      if (keyArns.has(id)) continue;
      const ref = parseKeyRef(kmsKeyId);
      // Deleting a copy key makes every copy encrypted with it unusable: production keeps its keys.
      const options = { ...placement.inRegion(region), retainOnDelete: production };
      switch (ref.kind) {
        case "stackManaged": {
          const label = regionLabel(region);
          const key = new aws.kms.Key(
            `CopyKey${label}`,
            {
              description: `ami-lifecycle: encrypts image copies in ${region}`,
              keyUsage: "ENCRYPT_DECRYPT",
              customerMasterKeySpec: "SYMMETRIC_DEFAULT",
              enableKeyRotation: true,
              policy: copyKeyPolicy({
                region,
                accountId,
                partition,
                serviceRoleArns: copyingRoleArns,
                consumers: copyKeyConsumers(config, region),
              }),
            },
            options,
          );
          const alias = new aws.kms.Alias(
            `CopyKeyAlias${label}`,
            { name: stackManagedKeyAlias, targetKeyId: key.keyId },
            options,
          );
          created.set(region, { key, alias });
          keyArns.set(id, key.arn);
          break;
        }
        case "keyArn":
          keyArns.set(id, $output(ref.arn));
          break;
        case "keyId":
          keyArns.set(id, $interpolate`arn:${partition}:kms:${region}:${accountId}:key/${ref.keyId}`);
          break;
        case "alias":
          // IAM can't name a key by alias: look the key up in its region at deploy time.
          keyArns.set(
            id,
            aws.kms.getAliasOutput({ name: ref.name }, placement.inRegion(region)).targetKeyArn,
          );
          break;
      }
    }
  }

  const copyKeyArns = [...keyArns.values()];
  const grants =
    copyKeyArns.length === 0
      ? []
      : copyingHandlers.map(
          (handler) =>
            new aws.iam.RolePolicy(`${handlerLabel(handler)}CopyKeysPolicy`, {
              role: functions.handlers[handler].role.name,
              policy: policyFor(["useCopyKeys"], {
                copyKeyArns,
                copyDestinationRegions: input.copyDestinationRegions,
              }),
            }),
        );

  return { created, copyKeyArns, grants };
}

/**
 * Policy of a key the stack creates: the account administers it (explicit actions, no wildcard); the
 * service's roles use it only through EC2 in its region; and the account's IAM policies may let people
 * use it through EC2 too, which launching instances from the encrypted copies needs.
 */
function copyKeyPolicy(input: {
  region: string;
  accountId: $util.Output<string>;
  partition: $util.Output<string>;
  serviceRoleArns: $util.Output<string>[];
  /** the families' sharing consumers, who launch the encrypted copies */
  consumers: KeyConsumers;
}): $util.Output<string> {
  const viaEc2 = `ec2.${input.region}.amazonaws.com`;
  const useActions = copyKeyUsageActions.filter((action) => action !== "kms:CreateGrant");
  return $jsonStringify(
    $resolve({
      accountId: input.accountId,
      partition: input.partition,
      roles: $resolve(input.serviceRoleArns),
    }).apply(({ accountId, partition, roles }) => {
      const root = `arn:${partition}:iam::${accountId}:root`;
      return {
        Version: "2012-10-17",
        Statement: [
          {
            Sid: "AccountAdministersKey",
            Effect: "Allow",
            Principal: { AWS: root },
            Action: keyAdministrationActions,
            Resource: "*",
          },
          {
            Sid: "ServiceEncryptsCopiesThroughEc2",
            Effect: "Allow",
            Principal: { AWS: roles },
            Action: useActions,
            Resource: "*",
            Condition: { StringEquals: { "kms:ViaService": viaEc2 } },
          },
          {
            Sid: "ServiceGrantsEc2",
            Effect: "Allow",
            Principal: { AWS: roles },
            Action: ["kms:CreateGrant"],
            Resource: "*",
            Condition: {
              StringEquals: { "kms:ViaService": viaEc2 },
              Bool: { "kms:GrantIsForAWSResource": "true" },
            },
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
    }),
  );
}

/**
 * Key policy statements letting the consumers the images are shared with use the key (EC2 User Guide,
 * "Share an AMI": consumers of encrypted snapshots need the key): accounts by their root principal,
 * organizations and OUs by `aws:PrincipalOrgID` / `aws:PrincipalOrgPaths`. CreateGrant only for AWS
 * resources (EC2 creates the grant when it launches or copies).
 */
export function consumerStatements(consumers: KeyConsumers, partition: string): Record<string, unknown>[] {
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
