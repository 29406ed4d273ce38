import {
  parseConfig,
  silentLog,
  startCopies,
  TransientAwsError,
  type VersionRecord,
} from "@ami-lifecycle/core";
import { describe, expect, it } from "vitest";
import { FakeImages, FakeRegistry } from "../sweep/fakes";

const config = parseConfig({
  accounts: ["111111111111"],
  homeRegion: "eu-west-1",
  regions: ["eu-west-1", "us-east-1", "ap-southeast-2"],
  families: [
    {
      name: "web",
      team: "platform",
      match: { namePattern: "web-*" },
      copyTo: [
        { region: "us-east-1", kmsKeyId: "arn:aws:kms:us-east-1:111111111111:key/a" },
        { region: "ap-southeast-2", kmsKeyId: "arn:aws:kms:ap-southeast-2:111111111111:key/b" },
      ],
    },
  ],
});
const family = config.families[0] as (typeof config.families)[number];
const version: VersionRecord = {
  family: "web",
  version: 1,
  name: "web-1",
  sourceRegion: "eu-west-1",
  sourceImageId: "ami-00000000000source",
  createdAt: "2025-05-01T00:00:00.000Z",
  stage: "active",
  regions: {
    "eu-west-1": {
      region: "eu-west-1",
      imageId: "ami-00000000000source",
      state: "available",
      role: "source",
      snapshotIds: [],
      copyAttempts: 0,
      updatedAt: "2025-05-01T00:00:00.000Z",
    },
  },
} as VersionRecord;

/** EC2 whose CopyImage into one region is throttled past the SDK's retries. */
class ThrottledIn extends FakeImages {
  constructor(private readonly region: string) {
    super([]);
  }
  override async copyImage(...args: unknown[]): Promise<{ imageId: string }> {
    const request = args[0] as { destinationRegion: string };
    if (request.destinationRegion === this.region)
      throw new TransientAwsError("EC2.CopyImage", "RequestLimitExceeded");
    return super.copyImage(...args);
  }
}

function depsOver(images: FakeImages, registry: FakeRegistry) {
  return {
    config,
    images,
    registry,
    notifier: { publish: async () => {} },
    sweeps: { requestFamilySweep: async () => {} },
    clock: { now: () => new Date("2025-06-01T00:00:00.000Z") },
    log: silentLog,
  };
}

describe("startCopies", () => {
  it("records a copy EC2 started even when the next destination's CopyImage fails, then rethrows", async () => {
    // Prepare
    const registry = new FakeRegistry([version]);
    const images = new ThrottledIn("ap-southeast-2");

    // Act
    const started = startCopies(depsOver(images, registry), family, version);

    // Assess
    await expect(started).rejects.toBeInstanceOf(TransientAwsError);
    expect(registry.regionWrites.map((write) => [write.record.region, write.record.state])).toEqual([
      ["us-east-1", "pending"],
    ]);
  });
});
