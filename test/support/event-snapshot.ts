import { LifecycleTag } from "@ami-lifecycle/core";
import type { LocalDeployment } from "@ami-lifecycle/simulated-account";
import type { Image, Tag } from "@aws-sdk/client-ec2";

/** Everything the event reactions leave behind, with ids replaced by stable names so runs compare. */
export interface ConvergenceSnapshot {
  registry: Record<string, unknown[]>;
  /** per region: image key → state and tags */
  images: Record<string, Record<string, { state: string; tags: Record<string, string> }>>;
  /** per region: snapshot key → tags */
  snapshots: Record<string, Record<string, Record<string, string>>>;
  /** "eventType family vN region" (+ " attempt N final|retry" for copy failures), sorted, duplicates kept */
  notifications: string[];
}

/**
 * Takes the normalized snapshot. Image ids differ between runs whenever the simulator's id sequence does
 * (a throttled attempt draws a request id), so every image is named `region/name#n` (n counts images of
 * that name in the region in creation order: a retried copy has the failed one's name), every snapshot
 * after its image, and ids inside tag values and the registry are replaced by those names.
 */
export async function takeSnapshot(deployment: LocalDeployment): Promise<ConvergenceSnapshot> {
  const { account } = deployment;
  const names = new Map<string, string>();
  const imagesByRegion = new Map<string, Image[]>();
  for (const region of account.regions) {
    const seen = new Map<string, number>();
    const images = allImages(deployment, region);
    imagesByRegion.set(region, images);
    for (const image of images) {
      const ordinal = (seen.get(image.Name ?? "") ?? 0) + 1;
      seen.set(image.Name ?? "", ordinal);
      const key = `${region}/${image.Name}#${ordinal}`;
      names.set(image.ImageId ?? "", key);
      image.BlockDeviceMappings?.forEach((mapping, index) => {
        if (mapping.Ebs?.SnapshotId) names.set(mapping.Ebs.SnapshotId, `${key}/snap${index}`);
      });
    }
  }
  const rename = (text: string) =>
    text.replace(/\b(ami|snap)-[0-9a-f]{8,17}\b/g, (id) => names.get(id) ?? `unknown:${id}`);

  const images: ConvergenceSnapshot["images"] = {};
  const snapshots: ConvergenceSnapshot["snapshots"] = {};
  for (const region of account.regions) {
    images[region] = Object.fromEntries(
      (imagesByRegion.get(region) ?? []).map((image) => [
        names.get(image.ImageId ?? ""),
        { state: image.State ?? "", tags: tagsOf(image.Tags, rename) },
      ]),
    );
    snapshots[region] = Object.fromEntries(
      account
        .snapshots(region)
        .map((snapshot) => [rename(snapshot.SnapshotId ?? ""), tagsOf(snapshot.Tags, rename)]),
    );
  }

  const { registry } = deployment.runtime.reactions;
  const registryView: ConvergenceSnapshot["registry"] = {};
  for (const family of (await registry.listFamilies()).sort()) {
    registryView[family] = (await registry.listVersions(family)).map((version) => ({
      version: version.version,
      name: version.name,
      stage: version.stage,
      sourceRegion: version.sourceRegion,
      sourceImage: rename(version.sourceImageId),
      ...(version.createdBy ? { createdBy: version.createdBy } : {}),
      regions: Object.fromEntries(
        Object.entries(version.regions)
          .sort(([a], [b]) => a.localeCompare(b))
          .map(([region, record]) => [
            region,
            {
              state: record.state,
              role: record.role,
              imageIdSet: record.imageId !== undefined,
              image: record.imageId ? rename(record.imageId) : undefined,
              snapshots: record.snapshotIds.map(rename),
              copyAttempts: record.copyAttempts,
              ...(record.kmsKeyId ? { kmsKeyId: record.kmsKeyId } : {}),
              ...(record.failureReason ? { failureReason: record.failureReason } : {}),
            },
          ]),
      ),
    }));
  }

  return { registry: registryView, images, snapshots, notifications: notificationKeys(deployment) };
}

/** The published notifications as sortable keys (see ConvergenceSnapshot.notifications). */
export function notificationKeys(deployment: LocalDeployment): string[] {
  return deployment.account
    .published(deployment.topicArn)
    .map((message) => {
      const detail = detailOf(message.message);
      const attempt =
        typeof detail.attempt === "number"
          ? ` attempt ${detail.attempt} ${detail.final ? "final" : "retry"}`
          : "";
      return `${detail.eventType} ${detail.family} v${detail.version} ${detail.region}${attempt}`;
    })
    .sort();
}

/** The JSON detail after the separator line of a published message. */
export function detailOf(message: string): Record<string, unknown> {
  const separator = "--- detail (JSON) ---\n";
  const at = message.indexOf(separator);
  if (at < 0) throw new Error(`message without a detail: ${message}`);
  return JSON.parse(message.slice(at + separator.length)) as Record<string, unknown>;
}

/**
 * EC2 does not keep who created an image: `created-by` (tag and registry field) exists only when the
 * CloudTrail record was delivered, so runs without CloudTrail are compared without it.
 */
export function withoutCreator(snapshot: ConvergenceSnapshot): ConvergenceSnapshot {
  const stripTags = (tags: Record<string, string>) => {
    const { [LifecycleTag.createdBy]: _creator, ...rest } = tags;
    return rest;
  };
  const mapValues = <T, U>(record: Record<string, T>, map: (value: T) => U) =>
    Object.fromEntries(Object.entries(record).map(([key, value]) => [key, map(value)]));
  return {
    registry: mapValues(snapshot.registry, (versions) =>
      versions.map((version) => {
        const { createdBy: _creator, ...rest } = version as { createdBy?: string };
        return rest;
      }),
    ),
    images: mapValues(snapshot.images, (images) =>
      mapValues(images, (image) => ({ ...image, tags: stripTags(image.tags) })),
    ),
    snapshots: mapValues(snapshot.snapshots, (snapshots) => mapValues(snapshots, stripTags)),
    notifications: snapshot.notifications,
  };
}

/** Every registered image of the region (disabled and failed included), in creation order. */
function allImages(deployment: LocalDeployment, region: string): Image[] {
  return deployment.account.images(region);
}

function tagsOf(tags: Tag[] | undefined, rename: (text: string) => string): Record<string, string> {
  return Object.fromEntries(
    (tags ?? [])
      .map((tag) => [tag.Key ?? "", rename(tag.Value ?? "")] as const)
      .sort(([a], [b]) => a.localeCompare(b)),
  );
}
