import type { KeepRule } from "../context";

/**
 * in-use: anything that uses any of the version's images (instance, launch template, SSM parameter,
 * recipe) keeps the whole version in every region, so no region is left behind the one in use.
 * Withdrawn versions too: a rollback never breaks what still launches from it.
 */
export const inUse: KeepRule = (version, context) => {
  const arns = new Set<string>();
  for (const region of version.regions) {
    for (const reference of context.inventory.referencesByImageId.get(region.imageId) ?? []) {
      arns.add(reference.arn);
    }
  }
  if (arns.size === 0) return undefined;
  return { rule: "in-use", message: `in use by ${[...arns].sort().join(", ")}` };
};
