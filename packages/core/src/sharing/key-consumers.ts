import type { Config } from "../config";
import { isStackManagedKeyRef } from "../key-refs";

/**
 * What a consumer account needs on the key of an encrypted image it launches or copies: EC2 reads the
 * snapshots' data keys and re-encrypts them for the consumer's volumes, through grants it creates for
 * itself ("Share an AMI", EC2 User Guide: allow the consumers to use the KMS key of encrypted snapshots).
 */
export const consumerKeyActions = [
  "kms:DescribeKey",
  "kms:Decrypt",
  "kms:ReEncryptFrom",
  "kms:ReEncryptTo",
  "kms:GenerateDataKeyWithoutPlaintext",
] as const;

/** Who may use one region's stack-created copy key: account ids, organization ids, organization paths. */
export interface KeyConsumers {
  accounts: string[];
  /** `o-…` ids for `aws:PrincipalOrgID` */
  organizationIds: string[];
  /** `o-…/*\/ou-…/*` patterns for `aws:PrincipalOrgPaths` */
  organizationalUnitPaths: string[];
}

/**
 * The consumers of every family that copies into `region` with the key the stack creates there; their key
 * policy grants lets them launch the encrypted copies. Keys the stack does not own are their owner's to share.
 */
export function copyKeyConsumers(config: Config, region: string): KeyConsumers {
  const accounts = new Set<string>();
  const organizationIds = new Set<string>();
  const organizationalUnitPaths = new Set<string>();
  for (const family of config.families) {
    const usesStackKey = family.copyTo.some(
      (destination) => destination.region === region && isStackManagedKeyRef(destination.kmsKeyId),
    );
    if (!usesStackKey) continue;
    for (const account of family.sharing.accounts) accounts.add(account);
    for (const arn of family.sharing.organizationArns) {
      const id = /organization\/(o-[a-z0-9]+)$/.exec(arn)?.[1];
      if (id) organizationIds.add(id);
    }
    for (const arn of family.sharing.organizationalUnitArns) {
      const match = /ou\/(o-[a-z0-9]+)\/(ou-[0-9a-z-]+)$/.exec(arn);
      if (match) organizationalUnitPaths.add(`${match[1]}/*/${match[2]}/*`);
    }
  }
  return {
    accounts: [...accounts].sort(),
    organizationIds: [...organizationIds].sort(),
    organizationalUnitPaths: [...organizationalUnitPaths].sort(),
  };
}
