import {
  type FamilyConfig,
  familySchema,
  type ImageRecord,
  type ImageReference,
  LifecycleTag,
  lifecycleTags,
  type RetentionPolicy,
  type RetentionStage,
  type VersionRecord,
} from "@ami-lifecycle/core";

/** The fixed planning instant of the example tests. */
export const now = new Date("2025-06-01T00:00:00.000Z");
export const account = "111111111111";
export const foreignAccount = "999999999999";
export const familyName = "web";

/** ISO time `days` (fractions allowed) before `now`. */
export function daysAgo(days: number): string {
  return new Date(now.getTime() - days * 86_400_000).toISOString();
}

/** A validated family with the given retention overrides. */
export function family(retention: Partial<RetentionPolicy> = {}, name = familyName): FamilyConfig {
  // Deregistration is final unless a test turns the Recycle Bin on: the unit fakes have no bin, and a
  // sweep refuses a recoverable family without one (MissingPortError).
  return familySchema.parse({
    name,
    team: "platform",
    match: { namePattern: `${name}-*` },
    retention: { recoverableForDays: 0, ...retention },
  });
}

/** One version to put in a scenario; images are created in every listed region unless `gone`. */
export interface VersionSpec {
  version: number;
  ageDays: number;
  stage?: RetentionStage;
  stageDaysAgo?: number;
  withdrawn?: boolean;
  regions?: string[];
  /** per-region overrides of the EC2 image; `null` = the image is gone from EC2 */
  image?: Partial<ImageRecord> | null | ((region: string) => Partial<ImageRecord> | null);
}

export function imageIdOf(version: number, region: string, name = familyName): string {
  return `ami-${name}-v${version}-${region}`;
}

export function snapshotIdOf(version: number, region: string, name = familyName): string {
  return `snap-${name}-v${version}-${region}`;
}

/** Registry versions and their EC2 images, consistent with each other. */
export function scenario(
  specs: VersionSpec[],
  name = familyName,
): { versions: VersionRecord[]; images: ImageRecord[] } {
  const versions: VersionRecord[] = [];
  const images: ImageRecord[] = [];
  for (const spec of specs) {
    const regions = spec.regions ?? ["eu-west-1"];
    const sourceRegion = regions[0] ?? "eu-west-1";
    const createdAt = daysAgo(spec.ageDays);
    const record: VersionRecord = {
      family: name,
      version: spec.version,
      sourceRegion,
      sourceImageId: imageIdOf(spec.version, sourceRegion, name),
      name: `${name}-${spec.version}`,
      createdAt,
      stage: spec.stage ?? "active",
      stageChangedAt: daysAgo(spec.stageDaysAgo ?? spec.ageDays),
      withdrawn: spec.withdrawn,
      regions: {},
    };
    for (const region of regions) {
      const imageId = imageIdOf(spec.version, region, name);
      const overrides =
        typeof spec.image === "function" ? spec.image(region) : spec.image === undefined ? {} : spec.image;
      record.regions[region] = {
        region,
        imageId,
        state: overrides === null ? "deregistered" : "available",
        role: region === sourceRegion ? "source" : "copy",
        snapshotIds: [snapshotIdOf(spec.version, region, name)],
        copyAttempts: region === sourceRegion ? 0 : 1,
        updatedAt: createdAt,
      };
      if (overrides === null) continue;
      images.push({
        imageId,
        region,
        name: `${name}-${spec.version}`,
        ownerId: account,
        state: "available",
        creationDate: createdAt,
        tags: lifecycleTags({
          family: name,
          version: spec.version,
          sourceImageId: record.sourceImageId,
          sourceRegion,
          createdAt,
        }),
        snapshots: [{ snapshotId: snapshotIdOf(spec.version, region, name), sizeGiB: 8 }],
        encrypted: true,
        deregistrationProtection: false,
        ...overrides,
      });
    }
    versions.push(record);
  }
  return { versions, images };
}

/** A reference to an image by an instance. */
export function instanceUsing(
  imageId: string,
  region = "eu-west-1",
  id = "i-0123456789abcdef0",
): ImageReference {
  return {
    imageId,
    region,
    resourceType: "ec2:Instance",
    arn: `arn:aws:ec2:${region}:${account}:instance/${id}`,
  };
}

/** Tags of an image that is not the service's. */
export function unmanagedTags(): Record<string, string> {
  return { Name: "hand-made" };
}

export { LifecycleTag };
