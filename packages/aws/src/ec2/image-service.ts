import {
  type Clock,
  type CopyImageRequest,
  CopyQuotaExceededError,
  type ImageBlockPublicAccessState,
  ImageNotFoundError,
  type ImageRecord,
  type ImageReference,
  type ImageService,
  type ImageSharingService,
  type LaunchPermissionChange,
  type LaunchPermissions,
  LifecycleTag,
  managedTagValue,
  type ReferenceReading,
  type SnapshotDeletionResult,
  SnapshotInUseError,
} from "@ami-lifecycle/core";
import {
  CopyImageCommand,
  CreateTagsCommand,
  DeleteSnapshotCommand,
  DeregisterImageCommand,
  DescribeImageAttributeCommand,
  DescribeImagesCommand,
  DescribeSnapshotAttributeCommand,
  DisableImageCommand,
  EnableImageDeprecationCommand,
  GetImageBlockPublicAccessStateCommand,
  type LaunchPermission,
  ModifyImageAttributeCommand,
  ModifySnapshotAttributeCommand,
  paginateDescribeImages,
  paginateDescribeSnapshots,
} from "@aws-sdk/client-ec2";
import { hasAwsErrorCode, translateAwsError } from "../errors";
import { tagList, tagRecord, toImageRecord } from "./image-record";
import type { ImageReferenceLookup, ReferenceClients } from "./image-references";

/** Options of Ec2ImageService. */
export interface Ec2ImageServiceOptions {
  /** per-region EC2, SSM and Auto Scaling clients, built once (see createClients) */
  clients: ReferenceClients;
  /** judges deregistration-protection cooldowns; defaults to the system clock */
  clock?: Clock;
  /**
   * What uses images (an `ImageReferenceFinder` over the same clients). Passed in, not built here, so that
   * only the bundles that look references up (the sweep) carry the finder and the Auto Scaling client;
   * without it `findReferences` refuses.
   */
  references?: ImageReferenceLookup;
}

/** EC2 answers these when an image id does not exist (any more) in the region. */
const imageGoneCodes = ["InvalidAMIID.NotFound", "InvalidAMIID.Unavailable"];

/** The managed tag as a DescribeImages/DescribeSnapshots filter. */
const managedFilter = { Name: `tag:${LifecycleTag.managed}`, Values: [managedTagValue] };

const minuteMs = 60_000;

const systemClock: Clock = { now: () => new Date() };

/** The time rounded up to EC2's minute precision (never earlier than given). */
const ceilToMinute = (ms: number) => new Date(Math.ceil(ms / minuteMs) * minuteMs);

/** ImageService over @aws-sdk/client-ec2: one client per region, SDK paginators, errors translated to core's. */
export class Ec2ImageService implements ImageService, ImageSharingService {
  private readonly clients: ReferenceClients;
  private readonly clock: Clock;
  private readonly references: ImageReferenceLookup | undefined;

  constructor(options: Ec2ImageServiceOptions) {
    this.clients = options.clients;
    this.clock = options.clock ?? systemClock;
    this.references = options.references;
  }

  async describeImage(region: string, imageId: string): Promise<ImageRecord | undefined> {
    try {
      const { Images } = await this.clients
        .ec2(region)
        .send(
          new DescribeImagesCommand({ ImageIds: [imageId], IncludeDisabled: true, IncludeDeprecated: true }),
        );
      const image = Images?.find((candidate) => candidate.ImageId === imageId);
      return image ? toImageRecord(region, image, this.clock.now()) : undefined;
    } catch (error) {
      if (hasAwsErrorCode(error, ...imageGoneCodes)) return undefined;
      throw translateAwsError("EC2.DescribeImages", error);
    }
  }

  async listManagedImages(region: string): Promise<ImageRecord[]> {
    return this.listImages(region, [managedFilter]);
  }

  async listOwnedImages(region: string): Promise<ImageRecord[]> {
    return this.listImages(region, []);
  }

  /** DescribeImages of the account's own images (disabled and deprecated included), all pages of 1000. */
  private async listImages(
    region: string,
    filters: { Name: string; Values: string[] }[],
  ): Promise<ImageRecord[]> {
    const records: ImageRecord[] = [];
    const now = this.clock.now();
    try {
      const pages = paginateDescribeImages(
        { client: this.clients.ec2(region), pageSize: 1000 },
        {
          Owners: ["self"],
          ...(filters.length > 0 ? { Filters: filters } : {}),
          IncludeDisabled: true,
          IncludeDeprecated: true,
        },
      );
      for await (const page of pages) {
        for (const image of page.Images ?? []) records.push(toImageRecord(region, image, now));
      }
    } catch (error) {
      throw translateAwsError("EC2.DescribeImages", error);
    }
    return records;
  }

  async tagImage(
    region: string,
    imageId: string,
    snapshotIds: readonly string[],
    tags: Record<string, string>,
  ): Promise<void> {
    if (Object.keys(tags).length === 0) return;
    await this.imageCall("EC2.CreateTags", region, imageId, () =>
      this.clients
        .ec2(region)
        .send(new CreateTagsCommand({ Resources: [imageId, ...snapshotIds], Tags: tagList(tags) })),
    );
  }

  async copyImage(request: CopyImageRequest): Promise<{ imageId: string }> {
    const tags = tagList(request.tags);
    try {
      const { ImageId } = await this.clients.ec2(request.destinationRegion).send(
        new CopyImageCommand({
          SourceRegion: request.sourceRegion,
          SourceImageId: request.sourceImageId,
          Name: request.name,
          Description: request.description,
          Encrypted: true,
          KmsKeyId: request.kmsKeyId,
          ClientToken: request.clientToken,
          // Tagging in the same call: CreateTags right after CopyImage often fails with InvalidAMIID.NotFound.
          TagSpecifications: [
            { ResourceType: "image", Tags: tags },
            { ResourceType: "snapshot", Tags: tags },
          ],
        }),
      );
      if (!ImageId) throw new Error("CopyImage answered without an ImageId");
      return { imageId: ImageId };
    } catch (error) {
      if (hasAwsErrorCode(error, "ResourceLimitExceeded")) {
        throw new CopyQuotaExceededError(request.destinationRegion, { cause: error });
      }
      if (hasAwsErrorCode(error, ...imageGoneCodes)) {
        throw new ImageNotFoundError(request.sourceRegion, request.sourceImageId, { cause: error });
      }
      throw translateAwsError("EC2.CopyImage", error);
    }
  }

  async deprecateImage(region: string, imageId: string, deprecateAt: Date): Promise<void> {
    // EC2 keeps minute precision and rejects times in the past: round up, never earlier than asked. A
    // paced client's pacer moves a time its token wait made past (request-pacer.ts); nothing is added here.
    const send = (at: number) =>
      this.clients
        .ec2(region)
        .send(new EnableImageDeprecationCommand({ ImageId: imageId, DeprecateAt: ceilToMinute(at) }));
    await this.imageCall("EC2.EnableImageDeprecation", region, imageId, async () => {
      const sentAt = this.clock.now().getTime();
      try {
        return await send(deprecateAt.getTime());
      } catch (error) {
        // The minute asked for passed before EC2 read it: asked once more, as far past now as the refused
        // call took to be read (its own round trip, the only evidence of how late EC2 reads the time).
        if (!hasAwsErrorCode(error, "InvalidParameterValue")) throw error;
        const now = this.clock.now().getTime();
        if (ceilToMinute(deprecateAt.getTime()).getTime() > now) throw error;
        return await send(now + (now - sentAt));
      }
    });
  }

  async disableImage(region: string, imageId: string): Promise<void> {
    await this.imageCall("EC2.DisableImage", region, imageId, () =>
      this.clients.ec2(region).send(new DisableImageCommand({ ImageId: imageId })),
    );
  }

  async deregisterImage(
    region: string,
    imageId: string,
  ): Promise<{ snapshotResults: SnapshotDeletionResult[] }> {
    const output = await this.imageCall("EC2.DeregisterImage", region, imageId, () =>
      this.clients
        .ec2(region)
        .send(new DeregisterImageCommand({ ImageId: imageId, DeleteAssociatedSnapshots: true })),
    );
    return {
      snapshotResults: (output.DeleteSnapshotResults ?? []).map((result) => ({
        snapshotId: result.SnapshotId ?? "",
        returnCode: result.ReturnCode ?? "unknown",
      })),
    };
  }

  async deleteSnapshot(region: string, snapshotId: string): Promise<void> {
    try {
      await this.clients.ec2(region).send(new DeleteSnapshotCommand({ SnapshotId: snapshotId }));
    } catch (error) {
      // Already gone is what the caller wanted.
      if (hasAwsErrorCode(error, "InvalidSnapshot.NotFound")) return;
      if (hasAwsErrorCode(error, "InvalidSnapshot.InUse")) {
        throw new SnapshotInUseError(region, snapshotId, { cause: error });
      }
      throw translateAwsError("EC2.DeleteSnapshot", error);
    }
  }

  async listManagedSnapshots(
    region: string,
  ): Promise<{ snapshotId: string; sizeGiB: number; tags: Record<string, string> }[]> {
    const snapshots: { snapshotId: string; sizeGiB: number; tags: Record<string, string> }[] = [];
    try {
      const pages = paginateDescribeSnapshots(
        { client: this.clients.ec2(region), pageSize: 1000 },
        { OwnerIds: ["self"], Filters: [managedFilter] },
      );
      for await (const page of pages) {
        for (const snapshot of page.Snapshots ?? []) {
          if (!snapshot.SnapshotId) continue;
          snapshots.push({
            snapshotId: snapshot.SnapshotId,
            sizeGiB: snapshot.VolumeSize ?? 0,
            tags: tagRecord(snapshot.Tags),
          });
        }
      }
    } catch (error) {
      throw translateAwsError("EC2.DescribeSnapshots", error);
    }
    return snapshots;
  }

  async findReferences(region: string, imageIds: readonly string[]): Promise<ImageReference[]> {
    // Refusing beats answering "no references": an empty answer would let a plan retire images in use.
    if (!this.references) throw new Error("this image service was built without image reference lookups");
    return this.references.find(region, imageIds);
  }

  usesReferenceFallback(region: string): boolean {
    return this.references?.usesFallback(region) ?? false;
  }

  referenceReading(): ReferenceReading {
    const lookup = this.references?.reading?.() ?? this.references;
    return {
      findReferences: async (region, imageIds) => {
        if (!lookup) throw new Error("this image service was built without image reference lookups");
        return lookup.find(region, imageIds);
      },
      usesReferenceFallback: (region) => lookup?.usesFallback(region) ?? false,
    };
  }

  async getLaunchPermissions(region: string, imageId: string): Promise<LaunchPermissions> {
    const output = await this.imageCall("EC2.DescribeImageAttribute", region, imageId, () =>
      this.clients
        .ec2(region)
        .send(new DescribeImageAttributeCommand({ ImageId: imageId, Attribute: "launchPermission" })),
    );
    const permissions: LaunchPermissions = {
      accounts: [],
      organizationArns: [],
      organizationalUnitArns: [],
      public: false,
    };
    for (const permission of output.LaunchPermissions ?? []) {
      if (permission.Group === "all") permissions.public = true;
      if (permission.UserId) permissions.accounts.push(permission.UserId);
      if (permission.OrganizationArn) permissions.organizationArns.push(permission.OrganizationArn);
      if (permission.OrganizationalUnitArn)
        permissions.organizationalUnitArns.push(permission.OrganizationalUnitArn);
    }
    return permissions;
  }

  async modifyLaunchPermissions(
    region: string,
    imageId: string,
    change: LaunchPermissionChange,
  ): Promise<void> {
    const add = launchPermissionList(change.add);
    const remove = launchPermissionList(change.remove);
    if (change.remove.public) remove.push({ Group: "all" });
    if (add.length === 0 && remove.length === 0) return;
    await this.imageCall("EC2.ModifyImageAttribute", region, imageId, () =>
      this.clients.ec2(region).send(
        new ModifyImageAttributeCommand({
          ImageId: imageId,
          LaunchPermission: {
            ...(add.length > 0 ? { Add: add } : {}),
            ...(remove.length > 0 ? { Remove: remove } : {}),
          },
        }),
      ),
    );
  }

  async getSnapshotVolumePermissions(
    region: string,
    snapshotId: string,
  ): Promise<{ accounts: string[]; public: boolean }> {
    try {
      const output = await this.clients.ec2(region).send(
        new DescribeSnapshotAttributeCommand({
          SnapshotId: snapshotId,
          Attribute: "createVolumePermission",
        }),
      );
      const permissions = output.CreateVolumePermissions ?? [];
      return {
        accounts: permissions.flatMap((permission) => (permission.UserId ? [permission.UserId] : [])),
        public: permissions.some((permission) => permission.Group === "all"),
      };
    } catch (error) {
      // A snapshot deleted since it was recorded is shared with nobody.
      if (hasAwsErrorCode(error, "InvalidSnapshot.NotFound")) return { accounts: [], public: false };
      throw translateAwsError("EC2.DescribeSnapshotAttribute", error);
    }
  }

  async modifySnapshotVolumePermissions(
    region: string,
    snapshotId: string,
    change: { add: string[]; remove: string[] },
  ): Promise<void> {
    if (change.add.length === 0 && change.remove.length === 0) return;
    try {
      await this.clients.ec2(region).send(
        new ModifySnapshotAttributeCommand({
          SnapshotId: snapshotId,
          Attribute: "createVolumePermission",
          CreateVolumePermission: {
            ...(change.add.length > 0 ? { Add: change.add.map((UserId) => ({ UserId })) } : {}),
            ...(change.remove.length > 0 ? { Remove: change.remove.map((UserId) => ({ UserId })) } : {}),
          },
        }),
      );
    } catch (error) {
      throw translateAwsError("EC2.ModifySnapshotAttribute", error);
    }
  }

  async getImageBlockPublicAccessState(region: string): Promise<ImageBlockPublicAccessState> {
    try {
      const output = await this.clients.ec2(region).send(new GetImageBlockPublicAccessStateCommand({}));
      return output.ImageBlockPublicAccessState === "unblocked" ? "unblocked" : "block-new-sharing";
    } catch (error) {
      throw translateAwsError("EC2.GetImageBlockPublicAccessState", error);
    }
  }

  /** Runs a call on one image: a missing image becomes ImageNotFoundError, anything else is translated. */
  private async imageCall<T>(
    operation: string,
    region: string,
    imageId: string,
    call: () => Promise<T>,
  ): Promise<T> {
    try {
      return await call();
    } catch (error) {
      if (hasAwsErrorCode(error, ...imageGoneCodes))
        throw new ImageNotFoundError(region, imageId, { cause: error });
      throw translateAwsError(operation, error);
    }
  }
}

/** Account, organization and OU grants as EC2 LaunchPermission entries (never group `all`). */
function launchPermissionList(grants: Omit<LaunchPermissions, "public">): LaunchPermission[] {
  return [
    ...grants.accounts.map((UserId) => ({ UserId })),
    ...grants.organizationArns.map((OrganizationArn) => ({ OrganizationArn })),
    ...grants.organizationalUnitArns.map((OrganizationalUnitArn) => ({ OrganizationalUnitArn })),
  ];
}
