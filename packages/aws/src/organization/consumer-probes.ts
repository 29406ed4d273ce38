import type { ConsumerImageCopy, ConsumerProbePort, ConsumerProbeResult } from "@ami-lifecycle/core";
import type { AutoScalingClient } from "@aws-sdk/client-auto-scaling";
import { type EC2Client, paginateDescribeImages } from "@aws-sdk/client-ec2";
import type { SSMClient } from "@aws-sdk/client-ssm";
import {
  defaultLaunchTemplateVersionDepth,
  ImageReferenceFinder,
  partitionOf,
} from "../ec2/image-references";
import {
  type AssumedRoleSessions,
  type AwsCredentialIdentity,
  roleArnIn,
  unreachableReason,
} from "./assumed-roles";

/** Builds the read clients of one consumer account and region from its assumed credentials. */
export interface ConsumerClientFactory {
  /** `accountId`: whose EC2 buckets the client's calls draw on (the session paces each account apart) */
  ec2(region: string, credentials: AwsCredentialIdentity, accountId: string): EC2Client;
  ssm(region: string, credentials: AwsCredentialIdentity): SSMClient;
  autoScaling(region: string, credentials: AwsCredentialIdentity): AutoScalingClient;
}

/**
 * Probes a consumer account through its read-only role: DescribeImageReferences on the shared image ids
 * (batches of 10, launch template versions to the configured depth) plus what that API does not cover:
 * launch configurations, and the template versions Auto Scaling groups pin when the depth is short of
 * every version. Fleets are not read (see the constructor's note). Any failure is a result naming the account, never an exception: the sweep keeps
 * every candidate such an account could use.
 */
export class ConsumerReferenceProbe implements ConsumerProbePort {
  constructor(
    private readonly sessions: AssumedRoleSessions,
    private readonly clients: ConsumerClientFactory,
    private readonly options: { consumerRoleName: string; versionDepth: number },
  ) {}

  /** What in the consumer account and region uses any of the images. */
  async probe(
    accountId: string,
    region: string,
    imageIds: readonly string[],
    watermarkKeys: readonly string[] = [],
  ): Promise<ConsumerProbeResult> {
    try {
      const roleArn = roleArnIn(accountId, this.options.consumerRoleName, partitionOf(region));
      const credentials = await this.sessions.credentials(roleArn, region);
      const finder = new ImageReferenceFinder(
        {
          ec2: (r) => this.clients.ec2(r, credentials, accountId),
          ssm: (r) => this.clients.ssm(r, credentials),
          autoScaling: (r) => this.clients.autoScaling(r, credentials),
        },
        this.options.versionDepth,
        {
          // At full depth DescribeImageReferences sees every version of every template (AWS allows
          // 10,000), so the version a group pins is covered; a group is read only when the depth is shorter.
          autoScalingGroups: this.options.versionDepth < defaultLaunchTemplateVersionDepth,
          // The consumer role is least privilege (issue #16): references, templates, Auto Scaling. EC2
          // Fleet / Spot Fleet requests naming an image directly are not read in consumer accounts.
          fleets: false,
        },
      );
      const references = await finder.find(region, imageIds);
      if (watermarkKeys.length === 0) return { kind: "probed", accountId, region, references };
      const copies = await ownWatermarkedImages(
        this.clients.ec2(region, credentials, accountId),
        watermarkKeys,
      );
      return { kind: "probed", accountId, region, references, copies };
    } catch (error) {
      return {
        kind: "unreachable",
        accountId,
        region,
        reason: unreachableReason(error),
        message: `consumer account ${accountId} in ${region}: ${error instanceof Error ? error.message : String(error)}`,
      };
    }
  }
}

/**
 * The account's own images carrying any of the watermarks (its copies of the families' images): one
 * DescribeImages with the `image-watermark.watermark-key` filter (aws-facts §5), disabled ones included.
 */
async function ownWatermarkedImages(
  ec2: EC2Client,
  watermarkKeys: readonly string[],
): Promise<ConsumerImageCopy[]> {
  const copies: ConsumerImageCopy[] = [];
  const wanted = new Set(watermarkKeys);
  const input = {
    Owners: ["self"],
    IncludeDisabled: true,
    Filters: [{ Name: "image-watermark.watermark-key", Values: [...watermarkKeys] }],
  };
  for await (const page of paginateDescribeImages({ client: ec2 }, input)) {
    for (const image of page.Images ?? []) {
      if (!image.ImageId) continue;
      const keys = (image.ImageWatermarks ?? [])
        .map((mark) => mark.WatermarkKey ?? "")
        .filter((key) => wanted.has(key));
      copies.push({
        imageId: image.ImageId,
        ...(image.Name ? { name: image.Name } : {}),
        watermarkKeys: keys,
      });
    }
  }
  return copies;
}
