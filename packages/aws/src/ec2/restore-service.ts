import type { BinContents, RestoreService } from "@ami-lifecycle/core";
import {
  DeleteTagsCommand,
  DisableImageDeprecationCommand,
  type EC2Client,
  EnableImageCommand,
  ListImagesInRecycleBinCommand,
  ListSnapshotsInRecycleBinCommand,
  paginateDescribeSnapshots,
  RestoreImageFromRecycleBinCommand,
  RestoreSnapshotFromRecycleBinCommand,
} from "@aws-sdk/client-ec2";
import { translateAwsError } from "../errors";

/** The bin listings take at most 20 ids per request. */
const binListingBatch = 20;

/** Runs one EC2 call, translating its errors to core's (keeping `cause`). */
async function ec2Call<T>(operation: string, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    throw translateAwsError(operation, error);
  }
}

/** RestoreService over @aws-sdk/client-ec2: the bin's listings and restores, EnableImage, DisableImageDeprecation. */
export class Ec2RestoreService implements RestoreService {
  constructor(private readonly clients: { ec2(region: string): EC2Client }) {}

  async binContents(region: string, imageId: string, snapshotIds: readonly string[]): Promise<BinContents> {
    const client = this.clients.ec2(region);
    const images = await ec2Call("EC2.ListImagesInRecycleBin", () =>
      client.send(new ListImagesInRecycleBinCommand({ ImageIds: [imageId] })),
    );
    const binnedSnapshots = new Set<string>();
    for (let start = 0; start < snapshotIds.length; start += binListingBatch) {
      const ids = snapshotIds.slice(start, start + binListingBatch);
      let nextToken: string | undefined;
      do {
        const page = await ec2Call("EC2.ListSnapshotsInRecycleBin", () =>
          client.send(
            new ListSnapshotsInRecycleBinCommand({
              SnapshotIds: ids,
              ...(nextToken ? { NextToken: nextToken } : {}),
            }),
          ),
        );
        for (const snapshot of page.Snapshots ?? [])
          if (snapshot.SnapshotId) binnedSnapshots.add(snapshot.SnapshotId);
        nextToken = page.NextToken;
      } while (nextToken);
    }
    return {
      imageBinned: (images.Images ?? []).some((image) => image.ImageId === imageId),
      binnedSnapshots,
    };
  }

  async snapshotStates(region: string, snapshotIds: readonly string[]): Promise<Map<string, string>> {
    const states = new Map<string, string>();
    if (snapshotIds.length === 0) return states;
    // A filter, not SnapshotIds: an id that no longer exists is absent instead of failing the call.
    await ec2Call("EC2.DescribeSnapshots", async () => {
      const pages = paginateDescribeSnapshots(
        { client: this.clients.ec2(region) },
        { OwnerIds: ["self"], Filters: [{ Name: "snapshot-id", Values: [...snapshotIds] }] },
      );
      for await (const page of pages)
        for (const snapshot of page.Snapshots ?? [])
          if (snapshot.SnapshotId) states.set(snapshot.SnapshotId, snapshot.State ?? "unknown");
    });
    return states;
  }

  async restoreSnapshot(region: string, snapshotId: string): Promise<void> {
    await ec2Call("EC2.RestoreSnapshotFromRecycleBin", () =>
      this.clients.ec2(region).send(new RestoreSnapshotFromRecycleBinCommand({ SnapshotId: snapshotId })),
    );
  }

  async restoreImage(region: string, imageId: string): Promise<void> {
    await ec2Call("EC2.RestoreImageFromRecycleBin", () =>
      this.clients.ec2(region).send(new RestoreImageFromRecycleBinCommand({ ImageId: imageId })),
    );
  }

  async enableImage(region: string, imageId: string): Promise<void> {
    await ec2Call("EC2.EnableImage", () =>
      this.clients.ec2(region).send(new EnableImageCommand({ ImageId: imageId })),
    );
  }

  async cancelDeprecation(region: string, imageId: string): Promise<void> {
    await ec2Call("EC2.DisableImageDeprecation", () =>
      this.clients.ec2(region).send(new DisableImageDeprecationCommand({ ImageId: imageId })),
    );
  }

  async removeTag(
    region: string,
    resourceIds: readonly string[],
    tag: { key: string; value: string },
  ): Promise<void> {
    if (resourceIds.length === 0) return;
    await ec2Call("EC2.DeleteTags", () =>
      this.clients
        .ec2(region)
        .send(
          new DeleteTagsCommand({ Resources: [...resourceIds], Tags: [{ Key: tag.key, Value: tag.value }] }),
        ),
    );
  }
}

/** The restore adapter for `createRuntime({ restore })`: only the restore handler's runtime wires it. */
export const ec2RestoreService = (clients: { ec2(region: string): EC2Client }): RestoreService =>
  new Ec2RestoreService(clients);
