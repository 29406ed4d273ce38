import type { KeepRule } from "../context";

/**
 * in-use: anything that uses any of the version's images (instance, launch template version, Auto Scaling
 * group or launch configuration, SSM parameter, recipe) keeps the whole version in every region, so no
 * region is left behind the one in use. Withdrawn versions too: a rollback never breaks what still launches from it.
 */
export const inUse: KeepRule = (version) => {
  let users: Set<string> | undefined;
  for (const region of version.regions) {
    if (region.references.length === 0) continue;
    users ??= new Set();
    // The ARN alone does not say which launch template version or which group: the detail does.
    for (const reference of region.references)
      users.add(reference.detail ? `${reference.arn} (${reference.detail})` : reference.arn);
  }
  if (!users) return undefined;
  return { rule: "in-use", message: `in use by ${[...users].sort().join(", ")}` };
};
