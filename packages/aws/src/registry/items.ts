import type {
  ImageLocation,
  RecordedSharing,
  RegionImageRecord,
  RegionImageState,
  RetentionStage,
  RetiredStage,
  VersionRecord,
} from "@ami-lifecycle/core";

// Key builders and item ↔ record mapping for the layout documented in ./table.ts.

/** A table key. */
export interface RegistryKey {
  pk: string;
  sk: string;
}

/** Width of the zero-padded version number in sort keys (fits every 32-bit version). */
const versionDigits = 10;

/** Key of the family's version counter. */
export const counterKey = (family: string): RegistryKey => ({ pk: familyPartition(family), sk: "COUNTER" });

/** Key of a version's own item. */
export const versionKey = (family: string, version: number): RegistryKey => ({
  pk: familyPartition(family),
  sk: versionSortKey(version),
});

/** Key of one region's image of a version. */
export const regionKey = (family: string, version: number, region: string): RegistryKey => ({
  pk: familyPartition(family),
  sk: `${versionSortKey(version)}#R#${region}`,
});

/** Key of the claim that binds an image id to its version and region. */
export const imageKey = (imageId: string): RegistryKey => ({ pk: `IMAGE#${imageId}`, sk: "IMAGE" });

/** Key of the sharing marker saying the service may have shared the family's images. */
export const sharingMarkKey = (family: string): RegistryKey => ({
  pk: familyPartition(family),
  sk: "SHARING",
});

/** Key of a family's entry in the family list. */
export const familyListKey = (family: string): RegistryKey => ({
  pk: familyListPartition,
  sk: `F#${family}`,
});

/** Key of a rollback request's decision. */
export const rollbackKey = (requestId: string): RegistryKey => ({
  pk: `ROLLBACK#${requestId}`,
  sk: "ROLLBACK",
});

/** Key of a one-time claim. */
export const claimKey = (key: string): RegistryKey => ({ pk: `CLAIM#${key}`, sk: "CLAIM" });

/** Partition of the family list. */
export const familyListPartition = "FAMILIES";

/** Partition of one family's counter, versions and region images. */
export const familyPartition = (family: string): string => `FAMILY#${family}`;

/** Sort-key prefix shared by every version item and region item. */
export const versionPrefix = "V#";

/** Sort key of a version; also the prefix of its region items. */
export function versionSortKey(version: number): string {
  if (!Number.isSafeInteger(version) || version < 1) throw new RangeError(`invalid version ${version}`);
  return `${versionPrefix}${String(version).padStart(versionDigits, "0")}`;
}

/** Retention stages in the only order they may be entered. */
export const stageOrder: readonly RetentionStage[] = ["active", "deprecated", "disabled", "deregistered"];

/** Stages a version may leave to enter `stage` (those strictly before it). */
export function stagesBefore(stage: RetentionStage): RetentionStage[] {
  return stageOrder.slice(0, stageOrder.indexOf(stage));
}

/** The version item's attribute holding when it entered `stage` (`deprecatedAt`, …). */
export function stageDateAttribute(stage: RetiredStage): string {
  return `${stage}At`;
}

/** The stored attributes of a version item. */
export function versionItem(version: Omit<VersionRecord, "regions">): Record<string, unknown> {
  const { stageDates, ...attributes } = version;
  const dates = Object.fromEntries(
    Object.entries(stageDates ?? {}).map(([stage, at]) => [stageDateAttribute(stage as RetiredStage), at]),
  );
  return { ...versionKey(version.family, version.version), entity: "version", ...attributes, ...dates };
}

/** The stored attributes of a region item. */
export function regionItem(
  family: string,
  version: number,
  record: RegionImageRecord,
): Record<string, unknown> {
  return { ...regionKey(family, version, record.region), entity: "region", family, version, ...record };
}

/** The stored attributes of an image claim. */
export function imageClaimItem(imageId: string, location: ImageLocation): Record<string, unknown> {
  return { ...imageKey(imageId), entity: "image", imageId, ...location };
}

/** Reads an image claim back into a location. */
export function toImageLocation(item: Record<string, unknown>): ImageLocation {
  return {
    family: String(item.family),
    version: Number(item.version),
    region: String(item.region),
    role: item.role === "copy" ? "copy" : "source",
  };
}

/** Builds VersionRecords from a Query over `V#` items of one family (versions followed by their regions). */
export function toVersionRecords(items: readonly Record<string, unknown>[]): VersionRecord[] {
  const versions: VersionRecord[] = [];
  let current: VersionRecord | undefined;
  for (const item of items) {
    if (item.entity === "version") {
      current = toVersionRecord(item);
      versions.push(current);
    } else if (item.entity === "region" && current && current.version === Number(item.version)) {
      const record = toRegionImageRecord(item);
      current.regions[record.region] = record;
    }
  }
  return versions;
}

function toVersionRecord(item: Record<string, unknown>): VersionRecord {
  const record: VersionRecord = {
    family: String(item.family),
    version: Number(item.version),
    sourceRegion: String(item.sourceRegion),
    sourceImageId: String(item.sourceImageId),
    name: String(item.name),
    createdAt: String(item.createdAt),
    stage: item.stage as RetentionStage,
    regions: {},
  };
  if (typeof item.createdBy === "string") record.createdBy = item.createdBy;
  if (typeof item.stageChangedAt === "string") record.stageChangedAt = item.stageChangedAt;
  if (typeof item.withdrawn === "boolean") record.withdrawn = item.withdrawn;
  if (typeof item.withdrawnAt === "string") record.withdrawnAt = item.withdrawnAt;
  if (typeof item.restoredAt === "string") record.restoredAt = item.restoredAt;
  if (typeof item.heldUntil === "string") record.heldUntil = item.heldUntil;
  const stageDates: Partial<Record<RetiredStage, string>> = {};
  for (const stage of ["deprecated", "disabled", "deregistered"] as const) {
    const at = item[stageDateAttribute(stage)];
    if (typeof at === "string") stageDates[stage] = at;
  }
  if (Object.keys(stageDates).length > 0) record.stageDates = stageDates;
  return record;
}

function toRegionImageRecord(item: Record<string, unknown>): RegionImageRecord {
  const record: RegionImageRecord = {
    region: String(item.region),
    state: item.state as RegionImageState,
    role: item.role === "copy" ? "copy" : "source",
    snapshotIds: Array.isArray(item.snapshotIds) ? item.snapshotIds.map(String) : [],
    copyAttempts: Number(item.copyAttempts ?? 0),
    updatedAt: String(item.updatedAt),
  };
  if (typeof item.imageId === "string") record.imageId = item.imageId;
  if (typeof item.kmsKeyId === "string") record.kmsKeyId = item.kmsKeyId;
  if (typeof item.sizeGiB === "number") record.sizeGiB = item.sizeGiB;
  if (typeof item.availableAt === "string") record.availableAt = item.availableAt;
  if (typeof item.failureReason === "string") record.failureReason = item.failureReason;
  if (typeof item.copyRefused === "string") record.copyRefused = item.copyRefused;
  if (item.retiredBy === "service") record.retiredBy = "service";
  if (typeof item.recoverableUntil === "string") record.recoverableUntil = item.recoverableUntil;
  if (typeof item.pointerProtectedAt === "string") record.pointerProtectedAt = item.pointerProtectedAt;
  const sharing = toRecordedSharing(item.recordedSharing);
  if (sharing) record.recordedSharing = sharing;
  return record;
}

/** Reads back the sharing recorded before retirement (a map attribute). */
function toRecordedSharing(value: unknown): RecordedSharing | undefined {
  if (typeof value !== "object" || value === null) return undefined;
  const item = value as Record<string, unknown>;
  const strings = (list: unknown) => (Array.isArray(list) ? list.map(String) : []);
  const snapshotAccounts: Record<string, string[]> = {};
  for (const [snapshotId, accounts] of Object.entries((item.snapshotAccounts as object | undefined) ?? {})) {
    snapshotAccounts[snapshotId] = strings(accounts);
  }
  return {
    accounts: strings(item.accounts),
    organizationArns: strings(item.organizationArns),
    organizationalUnitArns: strings(item.organizationalUnitArns),
    snapshotAccounts,
    recordedAt: String(item.recordedAt ?? ""),
  };
}
