import { Ec2ImageService } from "@ami-lifecycle/aws";
import { ImageNotFoundError, LifecycleTag, SnapshotInUseError } from "@ami-lifecycle/core";
import { DescribeImagesCommand, DescribeSnapshotsCommand, paginateDescribeImages } from "@aws-sdk/client-ec2";
import { afterEach, describe, expect, it } from "vitest";
import { expectedOn } from "./support/gaps";
import { away, home, type Target, targets } from "./support/targets";

const managed = { [LifecycleTag.managed]: "true", [LifecycleTag.family]: "web" };

const opened: Target[] = [];
afterEach(() => {
  for (const target of opened.splice(0)) target.destroy();
});

/** The copy of version 1 of family web to the second region, as the copies capability asks for it. */
function copyRequest(target: Target, sourceImageId: string, clientToken: string) {
  return {
    sourceRegion: home,
    sourceImageId,
    destinationRegion: away,
    name: "web-1",
    description: "web version 1",
    kmsKeyId: `arn:aws:kms:${away}:${target.accountId}:alias/ami-lifecycle`,
    clientToken,
    tags: managed,
  };
}

/** A target and the real EC2 adapter on its clients. */
function setup(make: () => Target) {
  const target = make();
  opened.push(target);
  return { target, service: new Ec2ImageService({ clients: target }) };
}

describe.each(targets)("Ec2ImageService on $name", ({ make, skip }) => {
  describe.skipIf(skip)("images", () => {
    it("describeImage reads name, owner, state, tags, snapshots, encryption and protection", async () => {
      // Prepare
      const { target, service } = setup(make);
      const { imageId, snapshotIds } = await target.seedImage(home, "web-1", managed);

      // Act
      const record = await service.describeImage(home, imageId);

      // Assess
      expect(record).toMatchObject({
        imageId,
        region: home,
        name: "web-1",
        ownerId: target.accountId,
        state: "available",
        tags: managed,
        encrypted: false,
        deregistrationProtection: false,
      });
      expect(record?.snapshots.map((snapshot) => snapshot.snapshotId)).toEqual(snapshotIds);
      expect(record?.snapshots[0]?.sizeGiB).toBeGreaterThan(0);
      expect(Date.parse(record?.creationDate ?? "")).not.toBeNaN();
    });

    it("describeImage of an id the region never had is undefined (InvalidAMIID.NotFound)", async () => {
      // Prepare
      const { target, service } = setup(make);

      // Act
      const missing = await service.describeImage(home, "ami-0123456789abcdef0");
      const error = await target
        .ec2(home)
        .send(new DescribeImagesCommand({ ImageIds: ["ami-0123456789abcdef0"] }))
        .catch((caught: Error) => caught);

      // Assess
      expect(missing).toBeUndefined();
      expect(error).toMatchObject({ name: "InvalidAMIID.NotFound" });
    });

    it("a malformed image id is InvalidAMIID.Malformed", async () => {
      // Prepare
      const { target } = setup(make);

      // Act
      const error = await target
        .ec2(home)
        .send(new DescribeImagesCommand({ ImageIds: ["not-an-image"] }))
        .catch((caught: Error) => caught);

      // Assess
      expect(error).toMatchObject({ name: "InvalidAMIID.Malformed" });
    });

    it("listManagedImages selects by the managed tag among the account's own images only", async () => {
      // Prepare
      const { target, service } = setup(make);
      const first = await target.seedImage(home, "web-1", managed);
      const second = await target.seedImage(home, "web-2", managed);
      await target.seedImage(home, "unmanaged-1", { team: "web" });
      await target.seedImage(away, "web-elsewhere", managed);

      // Act
      const managedImages = await service.listManagedImages(home);
      const owned = await service.listOwnedImages(home);
      const amazons = await target.ec2(home).send(new DescribeImagesCommand({ Owners: ["amazon"] }));

      // Assess
      expect(managedImages.map((image) => image.imageId).sort()).toEqual(
        [first.imageId, second.imageId].sort(),
      );
      expect(owned.map((image) => image.name).sort()).toEqual(["unmanaged-1", "web-1", "web-2"]);
      expect(amazons.Images ?? []).toEqual([]);
    });

    it("DescribeImages filters by name glob and owner-id", async () => {
      // Prepare
      const { target } = setup(make);
      await target.seedImage(home, "web-1", managed);
      await target.seedImage(home, "api-1", managed);

      // Act
      const byName = await target
        .ec2(home)
        .send(
          new DescribeImagesCommand({ Owners: ["self"], Filters: [{ Name: "name", Values: ["web-*"] }] }),
        );
      const byOwner = await target
        .ec2(home)
        .send(new DescribeImagesCommand({ Filters: [{ Name: "owner-id", Values: [target.accountId] }] }));

      // Assess
      expect(byName.Images?.map((image) => image.Name)).toEqual(["web-1"]);
      expect(byOwner.Images?.map((image) => image.Name).sort()).toEqual(["api-1", "web-1"]);
    });

    it("DescribeImages pages with MaxResults and NextToken until every image is seen once", async () => {
      // Prepare
      const { target } = setup(make);
      const seeded = [];
      for (let index = 1; index <= 7; index += 1)
        seeded.push(await target.seedImage(home, `web-${index}`, managed));

      // Act
      const pages: number[] = [];
      const seen: string[] = [];
      for await (const page of paginateDescribeImages(
        { client: target.ec2(home), pageSize: 5 },
        { Owners: ["self"] },
      )) {
        pages.push(page.Images?.length ?? 0);
        seen.push(...(page.Images ?? []).map((image) => image.ImageId ?? ""));
      }

      // Assess
      // moto ignores DescribeImages' MaxResults and answers one page (docs/conformance.md).
      expect(pages).toEqual(expectedOn(target, { aws: [5, 2], moto: [7] }));
      expect(seen.sort()).toEqual(seeded.map((image) => image.imageId).sort());
    });
  });

  describe.skipIf(skip)("tags", () => {
    it("tagImage tags the image and its snapshots in one CreateTags", async () => {
      // Prepare
      const { target, service } = setup(make);
      const { imageId, snapshotIds } = await target.seedImage(home, "web-1");

      // Act
      await service.tagImage(home, imageId, snapshotIds, managed);

      // Assess
      expect((await service.describeImage(home, imageId))?.tags).toEqual(managed);
      const snapshots = await service.listManagedSnapshots(home);
      expect(snapshots.map((snapshot) => snapshot.snapshotId)).toEqual(snapshotIds);
      expect(snapshots[0]?.tags).toEqual(managed);
      expect(snapshots[0]?.sizeGiB).toBeGreaterThan(0);
    });

    it("tagImage on an image the region does not have is ImageNotFoundError", async () => {
      // Prepare
      const { service } = setup(make);

      // Act
      const error = await service
        .tagImage(home, "ami-0123456789abcdef0", [], managed)
        .catch((caught: Error) => caught);

      // Assess
      expect(error).toBeInstanceOf(ImageNotFoundError);
    });
  });

  describe.skipIf(skip)("copies", () => {
    it("copyImage sends the destination-region request (Encrypted, KmsKeyId, ClientToken, tags) and gets an image id", async () => {
      // Prepare
      const { target, service } = setup(make);
      const source = await target.seedImage(home, "web-1", managed);

      // Act
      const { imageId } = await service.copyImage(copyRequest(target, source.imageId, "web-1-us-east-1"));

      // Assess
      expect(imageId).toMatch(/^ami-[0-9a-f]+$/);
      const copy = await service.describeImage(away, imageId);
      expect(copy?.name).toBe("web-1");
      // moto drops TagSpecifications, lineage and encryption of a copy, and finishes it at once (docs/conformance.md).
      expect(copy?.tags).toEqual(expectedOn<Record<string, string>>(target, { aws: managed, moto: {} }));
      expect(copy?.sourceImageId).toBe(expectedOn(target, { aws: source.imageId, moto: undefined }));
      expect(copy?.sourceImageRegion).toBe(expectedOn(target, { aws: home, moto: undefined }));
      expect(copy?.encrypted).toBe(expectedOn(target, { aws: true, moto: false }));
      expect(copy?.state).toBe(expectedOn(target, { aws: "pending", moto: "available" }));
      const snapshots = await service.listManagedSnapshots(away);
      expect(snapshots.map((snapshot) => snapshot.tags)).toEqual(
        expectedOn(target, { aws: [managed], moto: [] }),
      );
    });

    it("copyImage with the same ClientToken answers the same image", async () => {
      // Prepare
      const { target, service } = setup(make);
      const source = await target.seedImage(home, "web-1", managed);
      const first = await service.copyImage(copyRequest(target, source.imageId, "web-1-us-east-1"));

      // Act
      const second = await service.copyImage(copyRequest(target, source.imageId, "web-1-us-east-1"));

      // Assess: moto ignores ClientToken and starts a second copy (docs/conformance.md).
      expect(second.imageId === first.imageId).toBe(expectedOn(target, { aws: true, moto: false }));
    });

    it("copyImage of a source the region does not have is ImageNotFoundError", async () => {
      // Prepare
      const { target, service } = setup(make);

      // Act
      const error = await service
        .copyImage(copyRequest(target, "ami-0123456789abcdef0", "web-1-us-east-1-missing"))
        .catch((caught: Error) => caught);

      // Assess
      expect(error).toBeInstanceOf(ImageNotFoundError);
    });
  });

  describe.skipIf(skip)("retirement", () => {
    it("deregisterImage, then deleteSnapshot for every snapshot not reported deleted, leaves no snapshot", async () => {
      // Prepare
      const { target, service } = setup(make);
      const { imageId, snapshotIds } = await target.seedImage(home, "web-1", managed);
      await service.tagImage(home, imageId, snapshotIds, managed);

      // Act: what the sweep does (packages/core/src/sweep/execute.ts): deregister with
      // DeleteAssociatedSnapshots, then delete each managed snapshot EC2 did not report deleted.
      const { snapshotResults } = await service.deregisterImage(home, imageId);
      const deleted = new Set(
        snapshotResults
          .filter((result) => result.returnCode === "success")
          .map((result) => result.snapshotId),
      );
      for (const snapshotId of snapshotIds) {
        if (!deleted.has(snapshotId)) await service.deleteSnapshot(home, snapshotId);
      }

      // Assess
      expect(await service.describeImage(home, imageId)).toBeUndefined();
      expect(await service.listManagedSnapshots(home)).toEqual([]);
      const error = await target
        .ec2(home)
        .send(new DescribeSnapshotsCommand({ SnapshotIds: snapshotIds }))
        .catch((caught: Error) => caught);
      expect(error).toMatchObject({ name: "InvalidSnapshot.NotFound" });
    });

    it("DescribeImages by the id of an image just deregistered answers no image, not an error", async () => {
      // Prepare
      const { target, service } = setup(make);
      const { imageId } = await target.seedImage(home, "web-1", managed);
      await service.deregisterImage(home, imageId);

      // Act
      const outcome = await target
        .ec2(home)
        .send(new DescribeImagesCommand({ ImageIds: [imageId] }))
        .then(
          (output) => output.Images?.filter((image) => image.State !== "deregistered") ?? [],
          (error: Error) => error.name,
        );

      // Assess: "recently deregistered images appear in the returned results for a short interval and
      // then return empty results" (DescribeImages API reference); NotFound comes much later.
      expect(outcome).toEqual([]);
    });

    it("deregisterImage of an image already deregistered is ImageNotFoundError", async () => {
      // Prepare
      const { target, service } = setup(make);
      const { imageId } = await target.seedImage(home, "web-1", managed);
      await service.deregisterImage(home, imageId);

      // Act
      const error = await service.deregisterImage(home, imageId).catch((caught: Error) => caught);

      // Assess
      expect(error).toBeInstanceOf(ImageNotFoundError);
    });

    it("deleteSnapshot of a snapshot a registered image uses is SnapshotInUseError (InvalidSnapshot.InUse)", async () => {
      // Prepare
      const { target, service } = setup(make);
      const { snapshotIds } = await target.seedImage(home, "web-1", managed);

      // Act
      const error = await service.deleteSnapshot(home, snapshotIds[0] ?? "").catch((caught: Error) => caught);

      // Assess
      expect(error).toBeInstanceOf(SnapshotInUseError);
      expect((error as Error).cause).toMatchObject({ name: "InvalidSnapshot.InUse" });
    });

    it("deleteSnapshot of a snapshot already gone succeeds (InvalidSnapshot.NotFound is what the caller wanted)", async () => {
      // Prepare
      const { service } = setup(make);

      // Act
      const result = await service.deleteSnapshot(home, "snap-0123456789abcdef0");

      // Assess
      expect(result).toBeUndefined();
    });
  });
});
