import type { KeepRule } from "../context";

/**
 * in-use: anything that uses any of the version's images (instance, launch template, SSM parameter,
 * recipe) keeps the whole version in every region, so no region is left behind the one in use.
 * Withdrawn versions too: a rollback never breaks what still launches from it.
 */
export const inUse: KeepRule = (version) => {
  let arns: Set<string> | undefined;
  for (const region of version.regions) {
    if (region.references.length === 0) continue;
    arns ??= new Set();
    for (const reference of region.references) arns.add(reference.arn);
  }
  if (!arns) return undefined;
  return { rule: "in-use", message: `in use by ${[...arns].sort().join(", ")}` };
};
