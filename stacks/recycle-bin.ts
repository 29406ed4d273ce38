import { type Config, recycleBinRules } from "@ami-lifecycle/core";
import { regionLabel } from "./config";
import type { RegionPlacement } from "./regions";

/**
 * The Recycle Bin rules that make retirement undoable: per managed region and distinct
 * `recoverableForDays`, a tag-level EC2_IMAGE rule and an EBS_SNAPSHOT rule keeping as long, both on
 * `ami-lifecycle:retired=true` (the sweep tags image and snapshots just before deregistering). Only
 * the stacks create rules; the service reads them and refuses to deregister where they are missing.
 */
export function createRecycleBinRules(input: { config: Config; placement: RegionPlacement }) {
  return recycleBinRules(input.config).map(
    (rule) =>
      new aws.rbin.Rule(
        `RecycleBin${regionLabel(rule.region)}${rule.resourceType === "EC2_IMAGE" ? "Images" : "Snapshots"}${rule.retentionDays}Days`,
        {
          resourceType: rule.resourceType,
          description: rule.description,
          retentionPeriod: { retentionPeriodValue: rule.retentionDays, retentionPeriodUnit: "DAYS" },
          resourceTags: rule.resourceTags.map((tag) => ({
            resourceTagKey: tag.key,
            resourceTagValue: tag.value,
          })),
        },
        input.placement.inRegion(rule.region),
      ),
  );
}
