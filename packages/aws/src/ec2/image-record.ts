import type { ImageRecord, ImageState } from "@ami-lifecycle/core";
import type { Image, Tag } from "@aws-sdk/client-ec2";

/** Tags as a record; EC2 omits the tag list when an image has none. */
export function tagRecord(tags: readonly Tag[] | undefined): Record<string, string> {
  const record: Record<string, string> = {};
  for (const tag of tags ?? []) if (tag.Key !== undefined) record[tag.Key] = tag.Value ?? "";
  return record;
}

/** A record of tags as EC2's tag list. */
export function tagList(tags: Record<string, string>): Tag[] {
  return Object.entries(tags).map(([Key, Value]) => ({ Key, Value }));
}

/**
 * Reads `Image.DeregistrationProtection`, which the SDK types as a string: "disabled", "enabled",
 * "enabled-with-cooldown", or "disabled-until-<ISO time>" while the cooldown after disabling runs (EC2
 * still refuses to deregister then). Anything unrecognised counts as protected: the safe side.
 */
export function isDeregistrationProtected(value: string | undefined, now: Date): boolean {
  if (value === undefined || value === "" || value === "disabled") return false;
  const cooldown = /^disabled-until-(.+)$/.exec(value);
  if (cooldown?.[1]) {
    const until = Date.parse(cooldown[1]);
    return Number.isNaN(until) || until > now.getTime();
  }
  return true;
}

/** Which protection EC2 reports: set now (with or without cooldown) or a cooldown running after disabling. */
function protectionSetting(value: string | undefined): ImageRecord["deregistrationProtectionSetting"] {
  if (value === "enabled" || value === "enabled-with-cooldown") return value;
  if (value?.startsWith("disabled-until-")) return "cooling-down";
  return undefined;
}

/** Maps DescribeImages' Image to the service's ImageRecord (`now` judges a protection cooldown). */
export function toImageRecord(region: string, image: Image, now: Date): ImageRecord {
  const snapshots = (image.BlockDeviceMappings ?? []).flatMap((mapping) =>
    mapping.Ebs?.SnapshotId
      ? [{ snapshotId: mapping.Ebs.SnapshotId, sizeGiB: mapping.Ebs.VolumeSize ?? 0 }]
      : [],
  );
  const ebs = (image.BlockDeviceMappings ?? []).flatMap((mapping) => (mapping.Ebs ? [mapping.Ebs] : []));
  const record: ImageRecord = {
    imageId: image.ImageId ?? "",
    region,
    name: image.Name ?? "",
    ownerId: image.OwnerId ?? "",
    state: (image.State ?? "pending") as ImageState,
    creationDate: image.CreationDate ?? "",
    tags: tagRecord(image.Tags),
    snapshots,
    // An image is encrypted when its EBS volumes are; instance-store images have none.
    encrypted: ebs.length > 0 && ebs.every((device) => device.Encrypted === true),
    deregistrationProtection: isDeregistrationProtected(image.DeregistrationProtection, now),
  };
  const setting = protectionSetting(image.DeregistrationProtection);
  if (setting && record.deregistrationProtection) record.deregistrationProtectionSetting = setting;
  // The cooldown's end: the planner holds only this image's deregistration until then.
  const until = /^disabled-until-(.+)$/.exec(image.DeregistrationProtection ?? "")?.[1];
  if (until && setting === "cooling-down" && record.deregistrationProtection)
    record.deregistrationProtectionUntil = until;
  const keys = [...new Set(ebs.flatMap((device) => (device.KmsKeyId ? [device.KmsKeyId] : [])))].sort();
  if (keys.length > 0) record.kmsKeyIds = keys;
  const watermarks = (image.ImageWatermarks ?? []).flatMap((mark) =>
    mark.WatermarkKey ? [mark.WatermarkKey] : [],
  );
  if (watermarks.length > 0) record.watermarkKeys = watermarks;
  if (image.SourceImageId) record.sourceImageId = image.SourceImageId;
  if (image.SourceImageRegion) record.sourceImageRegion = image.SourceImageRegion;
  if (image.DeprecationTime) record.deprecationTime = image.DeprecationTime;
  if (image.LastLaunchedTime) record.lastLaunchedTime = image.LastLaunchedTime;
  // Code and message together: the code (e.g. Client.InvalidKMSKey.NotFound) is what operators search for.
  const reason = [image.StateReason?.Code, image.StateReason?.Message].filter(Boolean).join(": ");
  if (reason) record.stateReason = reason;
  return record;
}
