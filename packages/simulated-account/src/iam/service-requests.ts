import { eventBusArnOf, findEventBus } from "../eventbridge";
import { resolveKey } from "../kms";
import { ruleArn } from "../rbin";
import type { CallContext, SimWorld } from "../world";
import { ec2Requests } from "./ec2-requests";
import { defaultTopicPolicy, delegatingKeyPolicy, type IamContext, type IamRequest } from "./request";

// biome-ignore lint/suspicious/noExplicitAny: inputs of many commands, read by field name.
type AnyInput = any;

/**
 * The authorisations one call of the simulated account needs, per SDK service id. Undefined: an
 * operation the model does not know, which the middleware refuses rather than letting it pass.
 */
export function iamRequestsFor(
  world: SimWorld,
  call: CallContext,
  service: string,
  operation: string,
  input: AnyInput,
): IamRequest[] | undefined {
  const { region } = call;
  const account = world.accountId;
  switch (service) {
    case "EC2":
      return ec2Requests(world, call, operation, input);
    case "SSM": {
      const parameter = (name: string) =>
        `arn:aws:ssm:${region}:${account}:parameter/${name.replace(/^\//, "")}`;
      const action = `ssm:${operation}`;
      if (operation === "GetParameter")
        return [{ action, resource: parameter(String(input.Name)), context: {} }];
      if (operation === "PutParameter") {
        return [
          {
            action,
            resource: parameter(String(input.Name)),
            context: { "ssm:Overwrite": input.Overwrite ? "true" : "false" },
          },
          // SSM checks an aws:ec2:image value exists with the caller's own ec2:DescribeImages
          // (Parameter Store, "Native parameter support for Amazon Machine Image IDs").
          ...(input.DataType === "aws:ec2:image"
            ? [
                {
                  action: "ec2:DescribeImages",
                  resource: "*",
                  context: { "aws:CalledVia": ["ssm.amazonaws.com"] },
                },
              ]
            : []),
        ];
      }
      if (operation === "GetParametersByPath") {
        // The root path names no parameter: its ARN is the whole namespace.
        const path = String(input.Path ?? "/").replace(/^\/$/, "/*");
        return [
          {
            action,
            resource: parameter(path),
            context: { "ssm:Recursive": input.Recursive ? "true" : "false" },
          },
        ];
      }
      if (operation === "DescribeParameters") return [{ action, resource: "*", context: {} }];
      return undefined;
    }
    case "SNS":
      if (operation === "Publish")
        return snsPublishRequests(world, call, String(input.TopicArn ?? input.TargetArn));
      if (operation === "ListTopics") return [{ action: "sns:ListTopics", resource: "*", context: {} }];
      return undefined;
    case "EventBridge":
      if (operation !== "PutEvents") return undefined;
      // Each entry is authorised on its bus with its own source and detail-type; a bus of another
      // account also needs its own policy to allow the caller (EventBridge: cross-account PutEvents).
      return ((input.Entries as AnyInput[] | undefined) ?? []).map((entry) => {
        const resource = eventBusArnOf(region, account, entry.EventBusName);
        const busAccount = resource.split(":")[4] ?? account;
        return {
          action: "events:PutEvents",
          resource,
          context: {
            ...(entry.Source !== undefined ? { "events:source": [String(entry.Source)] } : {}),
            ...(entry.DetailType !== undefined ? { "events:detail-type": [String(entry.DetailType)] } : {}),
          },
          ...(busAccount !== account
            ? {
                resourceAccount: busAccount,
                resourcePolicy: findEventBus(world, resource)?.policy ?? noCrossAccountAccess(resource),
              }
            : {}),
        };
      });
    case "KMS": {
      const action = `kms:${operation}`;
      if (operation === "ListAliases") return [{ action, resource: "*", context: {} }];
      if (operation === "DescribeKey") {
        const key = resolveKey(world, region, String(input.KeyId));
        if (!key) return [];
        return [
          {
            action,
            resource: key.arn,
            context: {},
            resourcePolicy: key.policy ?? delegatingKeyPolicy(account),
          },
        ];
      }
      return undefined;
    }
    case "Auto Scaling":
      // The Describe calls support no resource-level permissions; the model's other operations are
      // made by the test world's own principals, which are not evaluated.
      if (operation === "DescribeAutoScalingGroups" || operation === "DescribeLaunchConfigurations") {
        return [{ action: `autoscaling:${operation}`, resource: "*", context: {} }];
      }
      return undefined;
    case "SQS": {
      if (!["GetQueueAttributes", "SendMessage"].includes(operation)) return undefined;
      // The URL's last two segments are the account and the queue name.
      const [owner, name] = String(input.QueueUrl ?? "")
        .split("/")
        .slice(-2);
      return [
        { action: `sqs:${operation}`, resource: `arn:aws:sqs:${region}:${owner}:${name}`, context: {} },
      ];
    }
    case "CloudWatch":
      // DescribeAlarms is scoped to * (composite alarms are only returned then).
      if (operation === "DescribeAlarms")
        return [{ action: "cloudwatch:DescribeAlarms", resource: "*", context: {} }];
      if (operation === "SetAlarmState" || operation === "PutMetricAlarm") {
        const alarm = `arn:aws:cloudwatch:${region}:${account}:alarm:${String(input.AlarmName)}`;
        return [{ action: `cloudwatch:${operation}`, resource: alarm, context: {} }];
      }
      return undefined;
    case "rbin":
      return rbinRequests(world, call, operation, input);
    case "STS":
      // The caller's side of AssumeRole; the role's trust policy is decided for every caller (authorize-call.ts).
      return operation === "AssumeRole"
        ? [{ action: "sts:AssumeRole", resource: String(input.RoleArn), context: {} }]
        : undefined;
    case "Organizations":
      // The List calls the service makes; "*" covers the root and OU resources they are scoped to.
      return operation.startsWith("List")
        ? [{ action: `organizations:${operation}`, resource: "*", context: {} }]
        : undefined;
    default:
      return undefined;
  }
}

/** Recycle Bin rules: CreateRule on `rule/*` with the requested resource type, others on the rule itself. */
function rbinRequests(
  world: SimWorld,
  call: CallContext,
  operation: string,
  input: AnyInput,
): IamRequest[] | undefined {
  const action = `rbin:${operation}`;
  const type: IamContext =
    input.ResourceType !== undefined ? { "rbin:Request/ResourceType": String(input.ResourceType) } : {};
  if (operation === "ListRules") return [{ action, resource: "*", context: type }];
  if (operation === "CreateRule")
    return [{ action, resource: ruleArn(call.region, world.accountId, "*"), context: type }];
  if (operation === "GetRule" || operation === "DeleteRule") {
    const rule = world.regions
      .get(call.region)
      ?.recycleBinRules.find((r) => r.identifier === input.Identifier);
    const context: IamContext = rule ? { "rbin:Attribute/ResourceType": rule.resourceType } : {};
    return [{ action, resource: ruleArn(call.region, world.accountId, String(input.Identifier)), context }];
  }
  return undefined;
}

/**
 * Publish is decided by the caller's IAM and the topic's access policy; to an encrypted topic it
 * also needs `kms:GenerateDataKey` and `kms:Decrypt` on the topic's key, through SNS, decided by the
 * key policy ("Encrypting message publishing": the publisher needs both, SNS Developer Guide).
 */
function snsPublishRequests(world: SimWorld, call: CallContext, topicArn: string): IamRequest[] {
  const topic = world.regions.get(call.region)?.topics.get(topicArn);
  const requests: IamRequest[] = [
    {
      action: "sns:Publish",
      resource: topicArn,
      context: {},
      ...(topic ? { resourcePolicy: topic.policy ?? defaultTopicPolicy(topicArn, world.accountId) } : {}),
    },
  ];
  const key = topic?.kmsKeyArn ? resolveKey(world, call.region, topic.kmsKeyArn) : undefined;
  // A topic whose key is gone fails the publish on KMS, not on IAM.
  if (!key) return requests;
  const viaSns: IamContext = {
    "kms:ViaService": `sns.${call.region}.amazonaws.com`,
    "kms:CallerAccount": world.accountId,
  };
  const keyPolicy = key.policy ?? delegatingKeyPolicy(world.accountId);
  for (const action of ["kms:GenerateDataKey", "kms:Decrypt"]) {
    requests.push({ action, resource: key.arn, context: viaSns, resourcePolicy: keyPolicy });
  }
  return requests;
}

/** A bus without a policy: no other account may put events on it (a statement that matches nobody). */
function noCrossAccountAccess(busArn: string): object {
  const owner = busArn.split(":")[4] ?? "";
  return {
    Version: "2012-10-17",
    Statement: [
      {
        Effect: "Allow",
        Principal: { AWS: `arn:aws:iam::${owner}:root` },
        Action: "events:PutEvents",
        Resource: busArn,
      },
    ],
  };
}
