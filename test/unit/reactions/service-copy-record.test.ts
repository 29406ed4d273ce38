import {
  type ImageApiCallInput,
  type ImageRecord,
  LifecycleTag,
  parseConfig,
  type RegionImageRecord,
  serviceCopyAlreadyRecorded,
  type VersionRecord,
  versionTags,
} from "@ami-lifecycle/core";
import { describe, expect, it } from "vitest";
import { FakeImages, FakeRegistry } from "../sweep/fakes";

const account = "111122223333";
const sourceId = "ami-0aaaaaaaaaaaaaaa1";
const copyId = "ami-0bbbbbbbbbbbbbbb2";
const creator = "arn:aws:iam::111122223333:role/image-pipeline";

const config = parseConfig({
  accounts: [account],
  homeRegion: "us-east-1",
  regions: ["us-east-1", "eu-west-1"],
  families: [
    {
      name: "web",
      team: "platform",
      match: { namePattern: "web-*" },
      copyTo: [{ region: "eu-west-1", kmsKeyId: "alias/ami-lifecycle" }],
    },
  ],
});

function copyRecord(overrides: Partial<RegionImageRecord> = {}): RegionImageRecord {
  return {
    region: "eu-west-1",
    imageId: copyId,
    state: "pending",
    role: "copy",
    snapshotIds: [],
    copyAttempts: 1,
    updatedAt: "2026-11-20T10:10:00.000Z",
    ...overrides,
  };
}

function versionWith(copy: RegionImageRecord): VersionRecord {
  return {
    family: "web",
    version: 3,
    sourceRegion: "us-east-1",
    sourceImageId: sourceId,
    name: "web-2026.11.20",
    createdAt: "2026-11-20T10:00:00.000Z",
    createdBy: creator,
    stage: "active",
    regions: { "eu-west-1": copy },
  };
}

function copyImage(version: VersionRecord, overrides: Partial<ImageRecord> = {}): ImageRecord {
  return {
    imageId: copyId,
    region: "eu-west-1",
    name: version.name,
    ownerId: account,
    state: "pending",
    creationDate: "2026-11-20T10:10:00.000Z",
    tags: versionTags(version, version.createdBy),
    snapshots: [],
    encrypted: true,
    deregistrationProtection: false,
    ...overrides,
  };
}

function copyCall(overrides: Partial<ImageApiCallInput> = {}): ImageApiCallInput {
  return {
    eventId: "5c7e9a1c-3d5f-4a7b-9e1c-3e5a7c9e1a66",
    eventName: "CopyImage",
    region: "eu-west-1",
    accountId: account,
    imageId: copyId,
    eventTime: "2026-11-20T10:10:00Z",
    ...overrides,
  };
}

/** Runs the check against one recorded version and one image in EC2. */
async function check(options: {
  record?: Partial<RegionImageRecord>;
  image?: (version: VersionRecord) => Partial<ImageRecord>;
  call?: Partial<ImageApiCallInput>;
}) {
  const version = versionWith(copyRecord(options.record));
  const images = new FakeImages([copyImage(version, options.image?.(version))]);
  const reason = await serviceCopyAlreadyRecorded(
    { config, registry: new FakeRegistry([version]), images },
    copyCall(options.call),
  );
  return { reason, ec2Calls: images.methods() };
}

describe("serviceCopyAlreadyRecorded", () => {
  it("answers the record of a pending copy the service started, recorded and fully tagged", async () => {
    // Act
    const { reason, ec2Calls } = await check({});

    // Assess
    expect(reason).toBe("copy started by the service, already recorded as v3 of web");
    expect(ec2Calls).toEqual(["describeImage"]);
  });

  it.each([
    ["another call than CopyImage", { eventName: "CreateImage" as const }],
    ["a call in another account", { accountId: "444455556666" }],
    ["a call in a region the service does not manage", { region: "us-west-2" }],
  ])("leaves %s to the full reaction without calling AWS", async (_case, call) => {
    // Act
    const outcome = await check({ call });

    // Assess
    expect(outcome).toEqual({ reason: undefined, ec2Calls: [] });
  });

  it.each([
    ["a copy adopted rather than started by the service", { record: { copyAttempts: 0 } }],
    ["a copy no longer pending in EC2", { image: () => ({ state: "available" as const }) }],
    ["a copy the registry records in another state", { record: { state: "failed" as const } }],
    ["a region record holding another image", { record: { imageId: "ami-0ccccccccccccccc3" } }],
    [
      "a copy missing the creator learnt after it started",
      {
        image: (version: VersionRecord) => {
          const { [LifecycleTag.createdBy]: _creator, ...tags } = versionTags(version, version.createdBy);
          return { tags };
        },
      },
    ],
    [
      "tags naming a family the config does not have",
      {
        image: (version: VersionRecord) => ({
          tags: { ...versionTags(version, version.createdBy), [LifecycleTag.family]: "api" },
        }),
      },
    ],
  ])("leaves %s to the full reaction", async (_case, options) => {
    // Act
    const { reason } = await check(options);

    // Assess
    expect(reason).toBeUndefined();
  });
});
