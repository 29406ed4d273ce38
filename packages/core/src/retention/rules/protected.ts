import type { KeepRule } from "../context";

/**
 * protected: the keep tag (`retention.keepTag.key`, with its value when one is configured) or EC2
 * deregistration protection on any of the version's images keeps the whole version.
 */
export const protectedVersion: KeepRule = (version, context) => {
  const { key, value } = context.policy.keepTag;
  const causes: string[] = [];
  for (const image of version.images) {
    const tagValue = image.tags[key];
    if (tagValue !== undefined && (value === undefined || tagValue === value)) {
      causes.push(
        `${image.imageId} in ${image.region} has tag ${key}${value === undefined ? "" : `=${value}`}`,
      );
    }
    if (image.deregistrationProtection) {
      causes.push(`${image.imageId} in ${image.region} has deregistration protection`);
    }
  }
  if (causes.length === 0) return undefined;
  return { rule: "protected", message: causes.join("; ") };
};
