import {
  copyKeyConsumers,
  copyKeyPolicyDocument,
  type HandlerName,
  notificationsKeyPolicyDocument,
  type ResourcePolicyDocument,
} from "@ami-lifecycle/core";
import type { AdjustResourcePolicy, ResourcePolicyName } from "@ami-lifecycle/simulated-account";
import { grantFlowConfig } from "./removed-grant-flows";

/** One statement of a key policy the stacks deploy, with the KMS actions it allows. */
export interface ResourceStatement {
  policy: ResourcePolicyName;
  sid: string;
  actions: readonly string[];
}

const accountId = "111122223333";

/** The key policies the flows deploy (the config's stack-managed copy key, the notifications key). */
function flowResourcePolicies(): { name: ResourcePolicyName; document: ResourcePolicyDocument }[] {
  const config = grantFlowConfig();
  return [
    {
      name: "copy key eu-west-1",
      document: copyKeyPolicyDocument({
        region: "eu-west-1",
        accountId,
        partition: "aws",
        consumers: copyKeyConsumers(config, "eu-west-1"),
      }),
    },
    {
      name: "notifications key",
      document: notificationsKeyPolicyDocument({
        homeRegion: config.homeRegion,
        accountId,
        partition: "aws",
      }),
    },
  ];
}

/** Every statement of every key policy the flows deploy. */
export function resourceStatements(): ResourceStatement[] {
  return flowResourcePolicies().flatMap(({ name, document }) =>
    document.Statement.map((statement) => ({
      policy: name,
      sid: statement.Sid,
      actions: [statement.Action as string | string[]].flat(),
    })),
  );
}

/** The deployed policy `policy` without its statement `sid`; other policies as rendered. */
export function withoutResourceStatement(policy: ResourcePolicyName, sid: string): AdjustResourcePolicy {
  return (name, document) =>
    name !== policy
      ? document
      : { ...document, Statement: document.Statement.filter((statement) => statement.Sid !== sid) };
}

/** The handler whose flow is denied without each caught statement (the first that uses it). */
export const resourceStatementFlows: Record<string, HandlerName> = {
  "copy key eu-west-1 AccountUsesThroughEc2": "image-api-call",
  "copy key eu-west-1 AccountGrantsEc2": "image-api-call",
  "notifications key AccountPublishesThroughSns": "rollback",
};

const administration =
  "key administration by the account's people: no flow administers the key, and the service calls KMS only through EC2 or SNS";
const consumers =
  "used by the consumer accounts launching the shared encrypted copies: the simulated account is one account and no flow launches as a consumer (cross-account evaluation comes with the simulated organization, #16)";

/** Key-policy statements no flow catches, each with why (docs/permissions.md). */
export const uncaughtResourceStatements: Record<string, string> = {
  "copy key eu-west-1 AccountAdministersKey": administration,
  "copy key eu-west-1 ConsumerAccountsUseKey": consumers,
  "copy key eu-west-1 ConsumerAccountsGrantEc2": consumers,
  "notifications key AccountAdministersKey": administration,
  "notifications key CloudWatchAlarmsPublish":
    "used by CloudWatch alarm actions publishing to the topic: the simulated CloudWatch sets alarm states but runs no alarm actions",
};
