import {
  type Config,
  copyKeyConsumers,
  copyKeyPolicyDocument,
  isStackManagedKeyRef,
  notificationsKeyPolicyDocument,
  type ResourcePolicyDocument,
} from "@ami-lifecycle/core";
import type { SimulatedAccount } from "../account";

/** The resource policies the stacks deploy, by name: `notifications key`, `copy key <region>`. */
export type ResourcePolicyName = "notifications key" | `copy key ${string}`;

/** Lets a test change a resource policy before it is deployed (the removed-grant proof drops statements). */
export type AdjustResourcePolicy = (
  name: ResourcePolicyName,
  policy: ResourcePolicyDocument,
) => ResourcePolicyDocument;

/**
 * Deploys into the simulated account the key policies the stacks render (stacks/keys.ts,
 * stacks/notifications.ts): creates the notifications key and gives each stack-managed copy key that
 * exists in the account its policy. A copy key a test creates after this keeps the default
 * (delegating) policy. Returns the notifications key's ARN, for the topics and the roles.
 */
export function deployKeyPolicies(
  config: Config,
  account: SimulatedAccount,
  adjust: AdjustResourcePolicy = (_, policy) => policy,
): { notificationsKeyArn: string } {
  const { accountId } = account;
  const home = config.homeRegion;
  const notificationsKeyArn = account.createKey(home, {
    description: "ami-lifecycle: encrypts the notification and security topics",
  });
  account.putKeyPolicy(
    home,
    notificationsKeyArn,
    adjust(
      "notifications key",
      notificationsKeyPolicyDocument({ homeRegion: home, accountId, partition: "aws" }),
    ),
  );
  // One policy per stack-managed key, as the stack creates one key per region.
  const stackKeys = new Map<string, string>();
  for (const family of config.families) {
    for (const { region, kmsKeyId } of family.copyTo) {
      if (isStackManagedKeyRef(kmsKeyId) && !stackKeys.has(region)) stackKeys.set(region, kmsKeyId);
    }
  }
  for (const [region, kmsKeyId] of stackKeys) {
    const consumers = copyKeyConsumers(config, region);
    const policy = copyKeyPolicyDocument({ region, accountId, partition: "aws", consumers });
    account.putKeyPolicy(region, kmsKeyId, adjust(`copy key ${region}`, policy));
  }
  return { notificationsKeyArn };
}
