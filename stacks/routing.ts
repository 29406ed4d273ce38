import {
  amiStateChangePattern,
  type Config,
  familySweepRequestPattern,
  imageApiCallPattern,
  imagePermissionChangePattern,
  imageTagChangePattern,
} from "@ami-lifecycle/core";
import { forwardingRegions, regionLabel } from "./config";
import type { Functions } from "./functions";
import { policyFor, trustPolicyFor } from "./iam";
import type { RegionPlacement } from "./regions";

/** How long and how often EventBridge retries delivering one event to a target. */
export const ruleRetryPolicy = { maximumEventAgeInSeconds: 24 * 3600, maximumRetryAttempts: 185 };

/** The EC2 events the service reacts to, by the handler that receives them at home. */
const ec2Routes = [
  { name: "AmiStateChange", pattern: amiStateChangePattern, handler: "image-state-change" },
  { name: "ImageApiCall", pattern: imageApiCallPattern, handler: "image-api-call" },
  // The public-sharing guard: ModifyImageAttribute / ResetImageAttribute in every managed region.
  {
    name: "ImagePermissionChange",
    pattern: imagePermissionChangePattern,
    handler: "image-permission-change",
  },
  // The tamper guard: CreateTags / DeleteTags on lifecycle tags in every managed region.
  { name: "ImageTagChange", pattern: imageTagChangePattern, handler: "image-tag-change" },
] as const;

/**
 * Event routing. Home region: rules on the default bus send both EC2 event kinds and the service's
 * own sweep requests to the handlers. Every other managed region: the same EC2 rules forward the
 * events to the home default bus (EventBridge targets a bus in another region through a role), so
 * that copies, which emit their events in the destination region, are seen at home.
 */
export function createRouting(input: {
  config: Config;
  accountId: $util.Output<string>;
  partition: $util.Output<string>;
  placement: RegionPlacement;
  functions: Functions;
}) {
  const { config, accountId, partition, placement, functions } = input;
  const home = config.homeRegion;
  const homeBusArn = $interpolate`arn:${partition}:events:${home}:${accountId}:event-bus/default`;

  // Delivery failures of home rules (throttled or failing invokes past the retry policy) are kept.
  const deadLetterQueue = new aws.sqs.Queue("RoutingDeadLetterQueue", {
    messageRetentionSeconds: 14 * 24 * 3600,
    sqsManagedSseEnabled: true,
  });

  const homeRoutes = [
    ...ec2Routes,
    { name: "FamilySweepRequest", pattern: familySweepRequestPattern, handler: "retention-sweep" },
  ] as const;
  const homeRules = homeRoutes.map((route) => {
    const fn = functions.handlers[route.handler].fn;
    const rule = new aws.cloudwatch.EventRule(`${route.name}Rule`, {
      description: `ami-lifecycle: ${route.name} → ${route.handler}`,
      eventBusName: "default",
      eventPattern: JSON.stringify(route.pattern),
    });
    const permission = new aws.lambda.Permission(`${route.name}InvokePermission`, {
      action: "lambda:InvokeFunction",
      function: fn.name,
      principal: "events.amazonaws.com",
      sourceArn: rule.arn,
    });
    const target = new aws.cloudwatch.EventTarget(`${route.name}Target`, {
      rule: rule.name,
      eventBusName: "default",
      arn: fn.arn,
      retryPolicy: ruleRetryPolicy,
      deadLetterConfig: { arn: deadLetterQueue.arn },
    });
    return { rule, permission, target, route };
  });

  new aws.sqs.QueuePolicy("RoutingDeadLetterQueuePolicy", {
    queueUrl: deadLetterQueue.url,
    policy: $jsonStringify(
      $resolve(homeRules.map(({ rule }) => rule.arn)).apply((ruleArns) => ({
        Version: "2012-10-17",
        Statement: [
          {
            Sid: "HomeRulesDeadLetter",
            Effect: "Allow",
            Principal: { Service: "events.amazonaws.com" },
            Action: "sqs:SendMessage",
            Resource: deadLetterQueue.arn,
            Condition: { ArnEquals: { "aws:SourceArn": ruleArns } },
          },
        ],
      })),
    ),
  });

  const regions = forwardingRegions(config);
  const forwardingRole =
    regions.length === 0
      ? undefined
      : new aws.iam.Role("ForwardToHomeRole", {
          description: "ami-lifecycle: rules in managed regions put EC2 events on the home default bus",
          assumeRolePolicy: trustPolicyFor("events.amazonaws.com"),
          inlinePolicies: [
            {
              name: "forward-to-home",
              policy: policyFor(["forwardEventsToHome"], { partition, accountId, homeRegion: home }),
            },
          ],
        });

  const forwardingRules = regions.flatMap((region) =>
    ec2Routes.map((route) => {
      const options = placement.inRegion(region);
      const name = `${route.name}Forward${regionLabel(region)}`;
      const rule = new aws.cloudwatch.EventRule(
        `${name}Rule`,
        {
          description: `ami-lifecycle: forward ${route.name} from ${region} to ${home}`,
          eventBusName: "default",
          eventPattern: JSON.stringify(route.pattern),
        },
        options,
      );
      const target = new aws.cloudwatch.EventTarget(
        `${name}Target`,
        {
          rule: rule.name,
          eventBusName: "default",
          arn: homeBusArn,
          roleArn: forwardingRole?.arn,
          retryPolicy: ruleRetryPolicy,
        },
        options,
      );
      return { region, rule, target, route };
    }),
  );

  return { homeRules, forwardingRules, forwardingRole, deadLetterQueue };
}

/** The rules created by createRouting. */
export type Routing = ReturnType<typeof createRouting>;
