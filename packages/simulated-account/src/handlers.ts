import { autoScalingHandlers } from "./autoscaling";
import { cloudWatchHandlers } from "./cloudwatch";
import { copyHandlers } from "./ec2/copy";
import { describeHandlers } from "./ec2/describe";
import { fleetHandlers } from "./ec2/fleets";
import { imageCreationHandlers } from "./ec2/images";
import { lifecycleHandlers } from "./ec2/lifecycle";
import { recycleBinHandlers } from "./ec2/recycle-bin";
import { referenceHandlers } from "./ec2/references";
import { sharingHandlers } from "./ec2/sharing";
import { usageReportHandlers } from "./ec2/usage-reports";
import { watermarkHandlers } from "./ec2/watermarks";
import { eventBridgeHandlers } from "./eventbridge";
import { kmsHandlers } from "./kms";
import { organizationsHandlers } from "./organization/organizations-api";
import { describeImagesAcrossAccounts } from "./organization/shared-images";
import { assumeRole } from "./organization/sts";
import { rbinHandlers } from "./rbin";
import { snsHandlers } from "./sns";
import { sqsHandlers } from "./sqs";
import { ssmHandlers } from "./ssm";
import type { CallContext, SimWorld } from "./world";

/** One simulated operation: typed input in, typed output (without $metadata) out, or a SimApiError. */
// biome-ignore lint/suspicious/noExplicitAny: inputs are typed per handler; the registry is keyed by name.
export type SimHandler = (world: SimWorld, call: CallContext, input: any) => object;

/** Operations per SDK serviceId ("EC2", "SNS", …), keyed by operation name (command name without "Command"). */
export const HANDLERS: Record<string, Record<string, SimHandler>> = {
  EC2: {
    ...imageCreationHandlers,
    ...copyHandlers,
    ...describeHandlers,
    ...lifecycleHandlers,
    ...referenceHandlers,
    ...fleetHandlers,
    ...sharingHandlers,
    ...recycleBinHandlers,
    ...usageReportHandlers,
    ...watermarkHandlers,
    // Shared images of a simulated organization join the account's own (unchanged without one).
    DescribeImages: describeImagesAcrossAccounts,
  },
  STS: { AssumeRole: (world, call, input) => assumeRole(world.organization?.sts, world, call, input) },
  Organizations: organizationsHandlers,
  "Auto Scaling": autoScalingHandlers,
  rbin: rbinHandlers,
  SNS: snsHandlers,
  KMS: kmsHandlers,
  SSM: ssmHandlers,
  EventBridge: eventBridgeHandlers,
  SQS: sqsHandlers,
  CloudWatch: cloudWatchHandlers,
};
