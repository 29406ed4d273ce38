import type { KeepRule } from "../context";
import { isCoolingDown } from "./protection-cooldown";

/**
 * protected: the keep tag (`retention.keepTag.key`, with its value when one is configured) or EC2
 * deregistration protection on any of the version's images keeps the whole version. A protection that is
 * only its cooldown after a lift holds that image's deregistration alone (protection-cooldown.ts).
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
    if (image.deregistrationProtection && !isCoolingDown(image)) {
      causes.push(`${image.imageId} in ${image.region} has deregistration protection`);
    }
  }
  if (causes.length === 0) return undefined;
  return { rule: "protected", message: causes.join("; ") };
};
