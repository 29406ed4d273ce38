import type { Config } from "../config";
import { retiredTag } from "./ports";

/** One Recycle Bin retention rule the stacks create (rbin CreateRule), tag-level on `retiredTag`. */
export interface RecycleBinRuleSpec {
  region: string;
  resourceType: "EC2_IMAGE" | "EBS_SNAPSHOT";
  retentionDays: number;
  resourceTags: { key: string; value: string }[];
  description: string;
}

/**
 * The rules every managed region needs: per distinct `recoverableForDays` (> 0) of the families, one
 * EC2_IMAGE rule and one EBS_SNAPSHOT rule keeping at least as long (a binned image whose snapshots are
 * gone can never be restored). Sorted by region, period, then type.
 */
export function recycleBinRules(config: Config): RecycleBinRuleSpec[] {
  const periods = [...new Set(config.families.map((family) => family.retention.recoverableForDays))]
    .filter((days) => days > 0)
    .sort((a, b) => a - b);
  const tags = [{ key: retiredTag.key, value: retiredTag.value }];
  return config.regions.flatMap((region) =>
    periods.flatMap((days) =>
      (["EC2_IMAGE", "EBS_SNAPSHOT"] as const).map((resourceType) => ({
        region,
        resourceType,
        retentionDays: days,
        resourceTags: tags,
        description: `ami-lifecycle: retired ${resourceType === "EC2_IMAGE" ? "images" : "snapshots"} restorable for ${days} days`,
      })),
    ),
  );
}
