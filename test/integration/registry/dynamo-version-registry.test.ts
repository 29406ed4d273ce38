import { createRegistryTable, DynamoVersionRegistry } from "@ami-lifecycle/aws";
import {
  AwsOperationError,
  type Clock,
  type NewVersion,
  type RegionImageRecord,
  RegistryConflictError,
} from "@ami-lifecycle/core";
import { dynamoDbLocalClientConfig } from "@ami-lifecycle/simulated-account";
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";

/** A clock the test moves by hand. */
class ManualClock implements Clock {
  constructor(private current: Date) {}
  now(): Date {
    return new Date(this.current);
  }
  set(iso: string): void {
    this.current = new Date(iso);
  }
}

const createdAt = "2025-03-01T10:00:00.000Z";

function newVersion(family: string, imageId: string, overrides: Partial<NewVersion> = {}): NewVersion {
  return {
    family,
    region: "eu-west-1",
    imageId,
    name: `${family}-${imageId}`,
    createdBy: "arn:aws:iam::111122223333:role/builder",
    createdAt,
    state: "pending",
    snapshotIds: [`snap-${imageId}`],
    ...overrides,
  };
}

function copyRecord(region: string, overrides: Partial<RegionImageRecord> = {}): RegionImageRecord {
  return {
    region,
    state: "pending",
    role: "copy",
    kmsKeyId: `arn:aws:kms:${region}:111122223333:key/k`,
    snapshotIds: [],
    copyAttempts: 1,
    updatedAt: "2025-03-01T10:05:00.000Z",
    ...overrides,
  };
}

describe("DynamoVersionRegistry on DynamoDB Local", () => {
  const client = new DynamoDBClient(dynamoDbLocalClientConfig(inject("dynamoEndpoint")));
  const tableName = `registry-${Date.now()}-${Math.floor(Math.random() * 1e6)}`;
  const clock = new ManualClock(new Date("2025-03-02T00:00:00.000Z"));
  // Small pages force pagination; the short backoff keeps contention tests quick.
  const registry = new DynamoVersionRegistry({
    client,
    tableName,
    clock,
    pageSize: 3,
    backoff: { maxAttempts: 200 },
  });

  beforeAll(async () => {
    await createRegistryTable(client, tableName);
  });
  afterAll(() => client.destroy());

  describe("registerVersion", () => {
    it("gives 50 concurrent registrations in one family the consecutive versions 1..50", async () => {
      // Prepare
      const inputs = Array.from({ length: 50 }, (_, index) => newVersion("web", `ami-web${index}`));

      // Act
      const results = await Promise.all(inputs.map((input) => registry.registerVersion(input)));

      // Assess
      const numbers = results.map((result) => result.version.version).sort((a, b) => a - b);
      expect(numbers).toEqual(Array.from({ length: 50 }, (_, index) => index + 1));
      expect(results.every((result) => result.created)).toBe(true);
      const listed = await registry.listVersions("web");
      expect(listed.map((version) => version.version)).toEqual(numbers);
      for (const result of results) {
        const stored = listed.find((version) => version.version === result.version.version);
        expect(stored).toEqual(result.version);
      }
    });

    it("records the source image as the version's source region, active from its creation", async () => {
      // Act
      const { version } = await registry.registerVersion(newVersion("shape", "ami-shape1"));

      // Assess
      expect(version).toEqual({
        family: "shape",
        version: 1,
        sourceRegion: "eu-west-1",
        sourceImageId: "ami-shape1",
        name: "shape-ami-shape1",
        createdBy: "arn:aws:iam::111122223333:role/builder",
        createdAt,
        stage: "active",
        stageChangedAt: createdAt,
        regions: {
          "eu-west-1": {
            region: "eu-west-1",
            imageId: "ami-shape1",
            state: "pending",
            role: "source",
            snapshotIds: ["snap-ami-shape1"],
            copyAttempts: 0,
            updatedAt: createdAt,
          },
        },
      });
      expect(await registry.getVersion("shape", 1)).toEqual(version);
    });

    it("registers an image once even when 10 registrations of it race", async () => {
      // Prepare
      await registry.registerVersion(newVersion("dup", "ami-dup-first"));

      // Act
      const results = await Promise.all(
        Array.from({ length: 10 }, () => registry.registerVersion(newVersion("dup", "ami-dup-raced"))),
      );

      // Assess
      expect(results.filter((result) => result.created)).toHaveLength(1);
      expect(new Set(results.map((result) => result.version.version))).toEqual(new Set([2]));
      expect((await registry.listVersions("dup")).map((version) => version.version)).toEqual([1, 2]);
    });

    it("returns the existing version with created false when the image is registered again later", async () => {
      // Prepare
      const first = await registry.registerVersion(newVersion("again", "ami-again"));

      // Act
      const second = await registry.registerVersion(newVersion("again", "ami-again", { name: "renamed" }));

      // Assess
      expect(first.created).toBe(true);
      expect(second).toEqual({ version: first.version, created: false });
    });

    it("numbers two families independently while they register concurrently", async () => {
      // Prepare
      const alpha = Array.from({ length: 10 }, (_, index) => newVersion("alpha", `ami-alpha${index}`));
      const beta = Array.from({ length: 10 }, (_, index) => newVersion("beta", `ami-beta${index}`));

      // Act
      await Promise.all([...alpha, ...beta].map((input) => registry.registerVersion(input)));

      // Assess
      const expected = Array.from({ length: 10 }, (_, index) => index + 1);
      expect((await registry.listVersions("alpha")).map((version) => version.version)).toEqual(expected);
      expect((await registry.listVersions("beta")).map((version) => version.version)).toEqual(expected);
      expect(await registry.listFamilies()).toEqual(expect.arrayContaining(["alpha", "beta", "web"]));
    });
  });

  describe("putRegionImage", () => {
    it("lets only one copy claim an empty region when expectImageId is null", async () => {
      // Prepare
      await registry.registerVersion(newVersion("copies", "ami-copies-src"));

      // Act
      const first = await registry.putRegionImage(
        "copies",
        1,
        copyRecord("us-east-1", { imageId: "ami-copy-a" }),
        { expectImageId: null },
      );
      const second = await registry.putRegionImage(
        "copies",
        1,
        copyRecord("us-east-1", { imageId: "ami-copy-b" }),
        { expectImageId: null },
      );

      // Assess
      expect([first, second]).toEqual([true, false]);
      expect((await registry.getVersion("copies", 1))?.regions["us-east-1"]?.imageId).toBe("ami-copy-a");
      expect(await registry.findByImageId("ami-copy-b")).toBeUndefined();
    });

    it("treats a region that waits for its copy (no image id) as empty", async () => {
      // Prepare
      await registry.registerVersion(newVersion("waiting", "ami-waiting-src"));
      await registry.putRegionImage("waiting", 1, copyRecord("ap-south-1", { state: "copy-waiting" }));

      // Act
      const claimed = await registry.putRegionImage(
        "waiting",
        1,
        copyRecord("ap-south-1", { imageId: "ami-waiting-copy", copyAttempts: 2 }),
        { expectImageId: null },
      );

      // Assess
      expect(claimed).toBe(true);
      expect((await registry.getVersion("waiting", 1))?.regions["ap-south-1"]).toEqual(
        copyRecord("ap-south-1", { imageId: "ami-waiting-copy", copyAttempts: 2 }),
      );
    });

    it("updates a region with expectImageId only when it holds that image or none", async () => {
      // Prepare
      await registry.registerVersion(newVersion("expect", "ami-expect-src"));
      await registry.putRegionImage("expect", 1, copyRecord("us-west-2", { imageId: "ami-expect-copy" }));

      // Act
      const same = await registry.putRegionImage(
        "expect",
        1,
        copyRecord("us-west-2", { imageId: "ami-expect-copy", state: "available", snapshotIds: ["snap-c"] }),
        { expectImageId: "ami-expect-copy" },
      );
      const other = await registry.putRegionImage(
        "expect",
        1,
        copyRecord("us-west-2", { imageId: "ami-expect-other" }),
        { expectImageId: "ami-expect-other" },
      );
      const empty = await registry.putRegionImage(
        "expect",
        1,
        copyRecord("eu-central-1", { imageId: "ami-expect-fresh" }),
        { expectImageId: "ami-expect-fresh" },
      );

      // Assess
      expect([same, other, empty]).toEqual([true, false, true]);
      const regions = (await registry.getVersion("expect", 1))?.regions;
      expect(regions?.["us-west-2"]).toMatchObject({ imageId: "ami-expect-copy", state: "available" });
      expect(regions?.["eu-central-1"]?.imageId).toBe("ami-expect-fresh");
    });

    it("overwrites unconditionally without expectImageId", async () => {
      // Prepare
      await registry.registerVersion(newVersion("upsert", "ami-upsert-src"));
      await registry.putRegionImage("upsert", 1, copyRecord("us-east-2", { imageId: "ami-upsert-copy" }));

      // Act
      const written = await registry.putRegionImage(
        "upsert",
        1,
        copyRecord("us-east-2", { imageId: "ami-upsert-copy", state: "failed", failureReason: "bad key" }),
      );

      // Assess
      expect(written).toBe(true);
      expect((await registry.getVersion("upsert", 1))?.regions["us-east-2"]).toMatchObject({
        state: "failed",
        failureReason: "bad key",
      });
    });

    it("rejects a region image for a version that does not exist", async () => {
      // Act
      const write = registry.putRegionImage("nowhere", 7, copyRecord("us-east-1", { imageId: "ami-orphan" }));

      // Assess
      await expect(write).rejects.toBeInstanceOf(RegistryConflictError);
      expect(await registry.findByImageId("ami-orphan")).toBeUndefined();
    });

    it("rejects an image id that already belongs to another version or region", async () => {
      // Prepare
      await registry.registerVersion(newVersion("owned", "ami-owned-v1"));
      await registry.registerVersion(newVersion("owned", "ami-owned-v2"));

      // Act
      const write = registry.putRegionImage("owned", 2, copyRecord("us-east-1", { imageId: "ami-owned-v1" }));

      // Assess
      await expect(write).rejects.toBeInstanceOf(RegistryConflictError);
      expect((await registry.getVersion("owned", 2))?.regions["us-east-1"]).toBeUndefined();
    });
  });

  describe("findByImageId", () => {
    it("locates source images and copies, and nothing for unknown ids", async () => {
      // Prepare
      await registry.registerVersion(newVersion("find", "ami-find-src"));
      await registry.putRegionImage("find", 1, copyRecord("sa-east-1", { imageId: "ami-find-copy" }));

      // Act
      const source = await registry.findByImageId("ami-find-src");
      const copy = await registry.findByImageId("ami-find-copy");
      const unknown = await registry.findByImageId("ami-unknown");

      // Assess
      expect(source).toEqual({ family: "find", version: 1, region: "eu-west-1", role: "source" });
      expect(copy).toEqual({ family: "find", version: 1, region: "sa-east-1", role: "copy" });
      expect(unknown).toBeUndefined();
    });
  });

  describe("advanceStage", () => {
    it("moves stages forward only and stamps stageChangedAt with the clock", async () => {
      // Prepare
      await registry.registerVersion(newVersion("stages", "ami-stages"));
      clock.set("2025-04-01T00:00:00.000Z");

      // Act
      const deprecated = await registry.advanceStage("stages", 1, "deprecated");
      const deprecatedAgain = await registry.advanceStage("stages", 1, "deprecated");
      const backToActive = await registry.advanceStage("stages", 1, "active");
      clock.set("2025-05-01T00:00:00.000Z");
      const deregistered = await registry.advanceStage("stages", 1, "deregistered");
      const disabledAfterwards = await registry.advanceStage("stages", 1, "disabled");

      // Assess
      expect([deprecated, deprecatedAgain, backToActive, deregistered, disabledAfterwards]).toEqual([
        true,
        false,
        false,
        true,
        false,
      ]);
      expect(await registry.getVersion("stages", 1)).toMatchObject({
        stage: "deregistered",
        stageChangedAt: "2025-05-01T00:00:00.000Z",
      });
    });

    it("remembers when each stage was entered, for the report's lifelines", async () => {
      // Prepare
      await registry.registerVersion(newVersion("stage-dates", "ami-stage-dates"));

      // Act
      clock.set("2025-04-01T00:00:00.000Z");
      await registry.advanceStage("stage-dates", 1, "deprecated");
      clock.set("2025-04-08T00:00:00.000Z");
      await registry.advanceStage("stage-dates", 1, "disabled");
      clock.set("2025-04-09T00:00:00.000Z");
      await registry.advanceStage("stage-dates", 1, "disabled");

      // Assess
      expect((await registry.getVersion("stage-dates", 1))?.stageDates).toEqual({
        deprecated: "2025-04-01T00:00:00.000Z",
        disabled: "2025-04-08T00:00:00.000Z",
      });
    });

    it("fails for a version that does not exist", async () => {
      await expect(registry.advanceStage("stages", 99, "disabled")).rejects.toBeInstanceOf(
        RegistryConflictError,
      );
      await expect(registry.advanceStage("stages", 99, "active")).rejects.toBeInstanceOf(
        RegistryConflictError,
      );
    });
  });

  describe("setWithdrawn", () => {
    it("marks and clears withdrawn, and fails for a missing version", async () => {
      // Prepare
      await registry.registerVersion(newVersion("withdraw", "ami-withdraw"));

      // Act
      await registry.setWithdrawn("withdraw", 1, true);
      const marked = await registry.getVersion("withdraw", 1);
      await registry.setWithdrawn("withdraw", 1, false);
      const cleared = await registry.getVersion("withdraw", 1);

      // Assess
      expect(marked?.withdrawn).toBe(true);
      expect(marked?.withdrawnAt).toBe(clock.now().toISOString());
      expect(cleared?.withdrawn).toBe(false);
      await expect(registry.setWithdrawn("withdraw", 2, true)).rejects.toBeInstanceOf(RegistryConflictError);
    });
  });

  describe("recordCreator", () => {
    it("records a creator the version lacks, once, and never overwrites it", async () => {
      // Prepare: registered from a state change, before CloudTrail said who built it
      const { createdBy: _unknown, ...withoutCreator } = newVersion("creator", "ami-creator-src");
      await registry.registerVersion(withoutCreator);
      const pipeline = "arn:aws:iam::111122223333:role/image-pipeline";

      // Act
      const first = await registry.recordCreator("creator", 1, pipeline);
      const second = await registry.recordCreator("creator", 1, "arn:aws:iam::111122223333:user/alice");
      const stored = await registry.getVersion("creator", 1);

      // Assess
      expect({ first, second, createdBy: stored?.createdBy }).toEqual({
        first: true,
        second: false,
        createdBy: pipeline,
      });
    });

    it("refuses a version that does not exist", async () => {
      // Act
      const write = registry.recordCreator("creator-none", 4, "arn:aws:iam::111122223333:user/alice");

      // Assess
      await expect(write).rejects.toBeInstanceOf(RegistryConflictError);
    });
  });

  describe("sharing mark", () => {
    it("is unset for a family never shared, set and cleared on request", async () => {
      // Act
      const never = await registry.sharingGranted("shared-family");
      await registry.setSharingGranted("shared-family", true);
      await registry.setSharingGranted("shared-family", true);
      const marked = await registry.sharingGranted("shared-family");
      await registry.setSharingGranted("shared-family", false);
      const cleared = await registry.sharingGranted("shared-family");

      // Assess
      expect({ never, marked, cleared }).toEqual({ never: false, marked: true, cleared: false });
      expect(await registry.listVersions("shared-family")).toEqual([]);
    });
  });

  describe("setMarker", () => {
    it("is set by exactly one of 20 concurrent callers, again after it was cleared", async () => {
      // Act
      const racers = await Promise.all(Array.from({ length: 20 }, () => registry.setMarker("notify#web#3")));
      await registry.clearMarker("notify#web#3");
      const afterRelease = await registry.setMarker("notify#web#3");

      // Assess
      expect(racers.filter(Boolean)).toHaveLength(1);
      expect(afterRelease).toBe(true);
    });

    it("reports whether a marker is set without setting it", async () => {
      // Act
      const beforeClaim = await registry.hasMarker("copy-waiting:eu-west-1");
      const claimed = await registry.setMarker("copy-waiting:eu-west-1");
      const whileClaimed = await registry.hasMarker("copy-waiting:eu-west-1");
      await registry.clearMarker("copy-waiting:eu-west-1");
      const afterRelease = await registry.hasMarker("copy-waiting:eu-west-1");

      // Assess
      expect({ beforeClaim, claimed, whileClaimed, afterRelease }).toEqual({
        beforeClaim: false,
        claimed: true,
        whileClaimed: true,
        afterRelease: false,
      });
    });
  });

  describe("reads", () => {
    it("lists versions oldest first with their regions across many small pages", async () => {
      // Prepare: 12 versions, each with two copies: 36 items read 3 at a time
      for (let index = 1; index <= 12; index++) {
        await registry.registerVersion(newVersion("paged", `ami-paged${index}`));
        for (const region of ["us-east-1", "ap-northeast-1"]) {
          await registry.putRegionImage(
            "paged",
            index,
            copyRecord(region, { imageId: `ami-paged${index}-${region}` }),
          );
        }
      }

      // Act
      const versions = await registry.listVersions("paged");
      const tenth = await registry.getVersion("paged", 10);
      const first = await registry.getVersion("paged", 1);

      // Assess
      expect(versions.map((version) => version.version)).toEqual(
        Array.from({ length: 12 }, (_, index) => index + 1),
      );
      for (const version of versions) {
        expect(Object.keys(version.regions).sort()).toEqual(["ap-northeast-1", "eu-west-1", "us-east-1"]);
      }
      expect(tenth?.regions["us-east-1"]?.imageId).toBe("ami-paged10-us-east-1");
      expect(first?.sourceImageId).toBe("ami-paged1");
      expect(Object.keys(first?.regions ?? {})).toHaveLength(3);
    });

    it("returns undefined for an unknown version and an empty list for an unknown family", async () => {
      expect(await registry.getVersion("paged", 13)).toBeUndefined();
      expect(await registry.listVersions("no-such-family")).toEqual([]);
    });
  });

  describe("errors", () => {
    it("translates DynamoDB failures into AwsOperationError with the code and cause", async () => {
      // Prepare
      const missingTable = new DynamoVersionRegistry({ client, tableName: `${tableName}-missing`, clock });

      // Act
      const failure = await missingTable.findByImageId("ami-x").catch((error: unknown) => error);

      // Assess
      expect(failure).toBeInstanceOf(AwsOperationError);
      expect((failure as AwsOperationError).code).toBe("ResourceNotFoundException");
      expect((failure as AwsOperationError).cause).toBeInstanceOf(Error);
    });
  });
});
