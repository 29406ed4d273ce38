/** Values of the request context, keyed by condition key (`aws:ResourceTag/team`, `ec2:CreateAction`…). */
export type IamContext = Record<string, string | string[]>;

/** One authorisation AWS makes for a call: an action on one resource ARN (or `*`) with its context. */
export interface IamRequest {
  action: string;
  resource: string;
  context: IamContext;
  /**
   * A resource policy that decides together with the identity policies (a KMS key policy); absent:
   * only identity policies decide (same-account SNS, SSM, EC2, DynamoDB).
   */
  resourcePolicy?: object;
  /**
   * The account owning the resource when it is not the caller's (an event bus of a consumer account):
   * IAM then needs both the caller's identity policies and the resource policy to allow.
   */
  resourceAccount?: string;
}

/** `aws:ResourceTag/<key>` for each tag of an existing resource. */
export function resourceTagContext(tags: ReadonlyMap<string, string> | undefined): IamContext {
  const context: IamContext = {};
  for (const [key, value] of tags ?? []) context[`aws:ResourceTag/${key}`] = value;
  return context;
}

/** `aws:RequestTag/<key>` for each tag of the request, and `aws:TagKeys` (absent when no tags are sent). */
export function requestTagContext(tags: readonly { Key?: string; Value?: string }[] | undefined): IamContext {
  const context: IamContext = {};
  const keys: string[] = [];
  for (const tag of tags ?? []) {
    if (tag.Key === undefined) continue;
    context[`aws:RequestTag/${tag.Key}`] = tag.Value ?? "";
    keys.push(tag.Key);
  }
  if (keys.length > 0) context["aws:TagKeys"] = keys;
  return context;
}

/** A KMS key policy that delegates to IAM (the default key policy: the account root may do everything). */
export function delegatingKeyPolicy(accountId: string): object {
  return {
    Version: "2012-10-17",
    Statement: [
      {
        Sid: "EnableIamPolicies",
        Effect: "Allow",
        Principal: { AWS: `arn:aws:iam::${accountId}:root` },
        Action: "kms:*",
        Resource: "*",
      },
    ],
  };
}

/**
 * The access policy SNS gives a topic created without one: every principal, for requests SNS
 * attributes to the owner account (`AWS:SourceOwner`: CloudWatch alarms, S3 events). IAM principals of
 * the account are not such requests: they still need their own grant ("By default, the topic owner has
 * permissions to publish": SNS Developer Guide).
 */
export function defaultTopicPolicy(topicArn: string, accountId: string): object {
  return {
    Version: "2012-10-17",
    Statement: [
      {
        Sid: "__default_statement_ID",
        Effect: "Allow",
        Principal: { AWS: "*" },
        Action: [
          "SNS:GetTopicAttributes",
          "SNS:SetTopicAttributes",
          "SNS:AddPermission",
          "SNS:RemovePermission",
          "SNS:DeleteTopic",
          "SNS:Subscribe",
          "SNS:ListSubscriptionsByTopic",
          "SNS:Publish",
        ],
        Resource: topicArn,
        Condition: { StringEquals: { "AWS:SourceOwner": accountId } },
      },
    ],
  };
}
