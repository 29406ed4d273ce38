import { type RecycleBinReadiness, type RecycleBinService, retiredTag } from "@ami-lifecycle/core";
import { ListImagesInRecycleBinCommand } from "@aws-sdk/client-ec2";
import {
  GetRuleCommand,
  paginateListRules,
  RbinClient,
  type RbinClientConfig,
  type ResourceType,
} from "@aws-sdk/client-rbin";
import type { AwsClients } from "../clients";
import { withAwsErrors } from "../errors";

/** ListImagesInRecycleBin takes at most 20 ids per request. */
const binListingBatch = 20;

/** A tag-level rule on the retired tag, with the status only GetRule reports. */
interface RetiredRule {
  identifier: string;
  days: number;
  active: boolean;
}

/**
 * The Recycle Bin over the rbin API (the stacks' tag-level rules on `ami-lifecycle:retired=true`) and
 * EC2's bin listing. It only reads: rules are the stacks' alone.
 */
export class RbinRecycleBinService implements RecycleBinService {
  constructor(private readonly clients: AwsClients) {}

  /** Both rules present and active, the image rule keeping `days`, the snapshot rule at least as long. */
  async readiness(region: string, days: number): Promise<RecycleBinReadiness> {
    const tag = `${retiredTag.key}=${retiredTag.value}`;
    const images = await this.retiredRules(region, "EC2_IMAGE");
    const snapshots = await this.retiredRules(region, "EBS_SNAPSHOT");
    for (const [type, rules] of [
      ["EC2_IMAGE", images],
      ["EBS_SNAPSHOT", snapshots],
    ] as const) {
      if (rules.length === 0)
        return { ready: false, reason: `no ${type} Recycle Bin rule on ${tag} in ${region}` };
      if (!rules.some((rule) => rule.active)) {
        return {
          ready: false,
          reason: `the ${type} Recycle Bin rule on ${tag} in ${region} is not active yet (a region's first rule takes up to 30 minutes)`,
        };
      }
    }
    // When several rules match, the longest retention applies.
    const imageDays = Math.max(...images.filter((rule) => rule.active).map((rule) => rule.days));
    const snapshotDays = Math.max(...snapshots.filter((rule) => rule.active).map((rule) => rule.days));
    if (imageDays < days) {
      return {
        ready: false,
        reason: `the EC2_IMAGE Recycle Bin rule in ${region} keeps ${imageDays} days; the family needs ${days}`,
      };
    }
    if (snapshotDays < imageDays) {
      return {
        ready: false,
        reason: `the EBS_SNAPSHOT Recycle Bin rule in ${region} keeps ${snapshotDays} days, less than the image rule's ${imageDays}: binned images could not be restored`,
      };
    }
    return { ready: true };
  }

  /** ListImagesInRecycleBin for the ids, 20 per request, all pages. */
  async imagesInBin(region: string, imageIds: readonly string[]): Promise<Set<string>> {
    const binned = new Set<string>();
    for (let start = 0; start < imageIds.length; start += binListingBatch) {
      const ids = imageIds.slice(start, start + binListingBatch);
      let nextToken: string | undefined;
      do {
        const page = await withAwsErrors("ListImagesInRecycleBin", () =>
          this.clients.ec2(region).send(
            new ListImagesInRecycleBinCommand({
              ImageIds: ids,
              ...(nextToken ? { NextToken: nextToken } : {}),
            }),
          ),
        );
        for (const image of page.Images ?? []) if (image.ImageId) binned.add(image.ImageId);
        nextToken = page.NextToken;
      } while (nextToken);
    }
    return binned;
  }

  private async retiredRules(region: string, resourceType: ResourceType): Promise<RetiredRule[]> {
    const client = this.clients.rbin(region);
    const identifiers: string[] = [];
    await withAwsErrors("ListRules", async () => {
      const pages = paginateListRules(
        { client },
        {
          ResourceType: resourceType,
          ResourceTags: [{ ResourceTagKey: retiredTag.key, ResourceTagValue: retiredTag.value }],
        },
      );
      for await (const page of pages) {
        for (const rule of page.Rules ?? []) if (rule.Identifier) identifiers.push(rule.Identifier);
      }
    });
    const rules: RetiredRule[] = [];
    for (const identifier of identifiers) {
      // ListRules summarises without the status; GetRule says whether the rule is active yet.
      const rule = await withAwsErrors("GetRule", () =>
        client.send(new GetRuleCommand({ Identifier: identifier })),
      );
      if (rule.RetentionPeriod?.RetentionPeriodUnit !== "DAYS") continue;
      rules.push({
        identifier,
        days: rule.RetentionPeriod.RetentionPeriodValue ?? 0,
        active: rule.Status === "available",
      });
    }
    return rules;
  }
}

/** The Recycle Bin for `createRuntime({ recycleBin })`: the rbin client and the service over it. */
export const rbinRecycleBin = {
  newClient: (config: RbinClientConfig) => new RbinClient(config),
  service: (clients: AwsClients) => new RbinRecycleBinService(clients),
};
