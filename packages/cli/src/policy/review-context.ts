import {
  type Config,
  consumerTopicArns,
  type HandlerName,
  organizationPermissionContext,
  type PermissionContext,
  parseKeyRef,
  pointerPathPrefix,
} from "@ami-lifecycle/core";

/**
 * The PermissionContext a security review sees before anything is deployed: everything the config
 * decides (partition, regions, pointer path, configured keys) is filled in; what only a deployment
 * knows (account, stage, physical names) is a `<placeholder>`. Placeholders name the stack's logical
 * resource (`<RegistryTable>` is the physical name SST gives the `RegistryTable`), so a reviewer can
 * find each one in the stack outputs.
 */

/** A deploy-time value the rendered policy leaves as a placeholder, and what replaces it. */
export interface Placeholder {
  placeholder: string;
  meaning: string;
}

/** The account the service is deployed to. */
export const accountPlaceholder = "<account-id>";
/** The SST stage (`sst deploy --stage NAME`). */
export const stagePlaceholder = "<stage>";

/** The partition of the home region: where the stacks deploy and what their ARNs start with. */
export function partitionOf(region: string): string {
  if (region.startsWith("cn-")) return "aws-cn";
  if (region.startsWith("us-gov-")) return "aws-us-gov";
  return "aws";
}

/** The stacks' label of a region (`eu-west-1` → `EuWest1`), as keys.ts names a created copy key. */
function regionLabel(region: string): string {
  return region
    .split("-")
    .map((part) => part.charAt(0).toUpperCase() + part.slice(1))
    .join("");
}

/** The context one principal's policy is rendered with: a handler's role, or the operator (no log group). */
export function reviewPermissionContext(config: Config, handler?: HandlerName): PermissionContext {
  const partition = partitionOf(config.homeRegion);
  const home = config.homeRegion;
  const account = accountPlaceholder;
  const arn = (service: string, resource: string, region = home) =>
    `arn:${partition}:${service}:${region}:${account}:${resource}`;
  const copyTo = config.families.flatMap((family) => family.copyTo);
  const keyArns = copyTo.map(({ region, kmsKeyId }) => copyKeyArn(partition, region, kmsKeyId));
  // The functions are named `${app}-${stage}-${handler}` (stacks/functions.ts), their log groups after them.
  const functionName = (name: string) => `ami-lifecycle-${stagePlaceholder}-${name}`;
  return {
    partition,
    accountId: account,
    homeRegion: home,
    managedRegions: config.regions,
    copyDestinationRegions: [...new Set(copyTo.map((destination) => destination.region))],
    copyKeyArns: [...new Set(keyArns)],
    notificationTopicArns: [
      arn("sns", "<NotificationsTopic>"),
      arn("sns", "<SecurityTopic>"),
      ...consumerTopicArns(config),
    ],
    notificationsKeyArn: arn("kms", "key/<NotificationsKey>"),
    registryTableArn: arn("dynamodb", "table/<RegistryTable>"),
    idempotencyTableArn: arn("dynamodb", "table/<IdempotencyTable>"),
    handlerDeadLetterQueueArn: arn("sqs", "<HandlerDeadLetterQueue>"),
    functionLogGroupArn: arn("logs", `log-group:/aws/lambda/${functionName(handler ?? "operator")}`),
    sweepFunctionArn: arn("lambda", `function:${functionName("retention-sweep")}`),
    scheduleDeadLetterQueueArn: arn("sqs", "<ScheduleDeadLetterQueue>"),
    pointerPathPrefix: pointerPathPrefix(config.pointers.namePattern),
    deploymentParameterArn: arn("ssm", `parameter/ami-lifecycle-deployment/${stagePlaceholder}`),
    ...organizationPermissionContext(config),
  };

  function copyKeyArn(partitionName: string, region: string, kmsKeyId: string): string {
    const ref = parseKeyRef(kmsKeyId);
    switch (ref.kind) {
      case "stackManaged":
        return arn("kms", `key/<CopyKey${regionLabel(region)}>`, region);
      case "keyArn":
        return ref.arn;
      case "keyId":
        return `arn:${partitionName}:kms:${region}:${account}:key/${ref.keyId}`;
      case "alias":
        // IAM can't name a key by alias: keys.ts looks the key up at deploy time.
        return arn("kms", `key/<key behind ${ref.name}>`, region);
    }
  }
}

/** The placeholders that occur in a rendered document, each with what replaces it at deploy time. */
export function placeholdersIn(document: unknown): Placeholder[] {
  const found = new Set(JSON.stringify(document).match(/<[^<>"]+>/g) ?? []);
  return [...found].sort().map((placeholder) => ({ placeholder, meaning: meaningOf(placeholder) }));
}

function meaningOf(placeholder: string): string {
  if (placeholder === accountPlaceholder) return "the AWS account the service is deployed to";
  if (placeholder === stagePlaceholder) return "the SST stage (sst deploy --stage NAME)";
  const behindAlias = /^<key behind (.+)>$/.exec(placeholder);
  if (behindAlias)
    return `the ID of the key ${behindAlias[1]} names in that region, looked up at deploy time`;
  const logical = placeholder.slice(1, -1);
  if (logical.startsWith("CopyKey")) return `the ID of the copy key the stack creates (${logical})`;
  if (logical.endsWith("Key")) return `the ID of the KMS key the stack creates (${logical})`;
  return `the physical name SST gives ${logical} at deploy time`;
}
