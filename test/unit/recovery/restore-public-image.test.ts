import {
  ImageNotFoundError,
  type ImageRecord,
  parseConfig,
  planRestore,
  type RestoreDependencies,
  RestoreRefusedError,
  RestoreStoppedError,
  restoreVersion,
  silentLog,
  type VersionRecord,
} from "@ami-lifecycle/core";
import { describe, expect, it } from "vitest";

const now = new Date("2026-12-01T00:00:00.000Z");
const regions = ["us-east-1", "eu-west-1"] as const;
const config = parseConfig({
  accounts: ["111122223333"],
  homeRegion: "us-east-1",
  regions: [...regions],
  families: [{ name: "web", team: "web", match: { namePattern: "web-*" } }],
});
const imageIdIn = (region: string) =>
  region === "us-east-1" ? "ami-0000000000000000a" : "ami-0000000000000000b";

/** web v1, retired to `stage` in both regions (the registry's region state follows it). */
function retired(stage: "deprecated" | "disabled"): VersionRecord {
  return {
    family: "web",
    version: 1,
    sourceRegion: "us-east-1",
    sourceImageId: imageIdIn("us-east-1"),
    name: "web-1",
    createdAt: "2026-11-01T00:00:00.000Z",
    stage,
    regions: Object.fromEntries(
      regions.map((region) => [
        region,
        {
          region,
          imageId: imageIdIn(region),
          state: stage === "disabled" ? ("disabled" as const) : ("available" as const),
          role: region === "us-east-1" ? ("source" as const) : ("copy" as const),
          snapshotIds: [],
          copyAttempts: 0,
          updatedAt: "2026-11-27T00:00:00.000Z",
        },
      ]),
    ),
  };
}

/**
 * Restore's ports over EC2 images deprecated in both regions; `launch` answers DescribeImageAttribute
 * launchPermission per region (or throws). Records every call that is not a read.
 */
function world(
  stage: "deprecated" | "disabled",
  launch: (region: string) => { public: boolean } | ImageNotFoundError,
) {
  const calls: string[] = [];
  const asked: string[] = [];
  const image = (region: string): ImageRecord => ({
    imageId: imageIdIn(region),
    region,
    name: "web-1",
    ownerId: "111122223333",
    state: stage === "disabled" ? "disabled" : "available",
    creationDate: "2026-11-01T00:00:00.000Z",
    // A tag saying "private" is a hint for people: restore must ask EC2 instead.
    tags: { "ami-lifecycle:retired": "true", visibility: "private" },
    snapshots: [],
    encrypted: false,
    deprecationTime: "2026-11-27T00:00:00.000Z",
    deregistrationProtection: false,
  });
  const record =
    (method: string) =>
    async (...args: unknown[]) =>
      void calls.push(typeof args[0] === "string" ? `${method} ${args[0]}` : method);
  const deps = {
    config,
    registry: { getVersion: async () => retired(stage), putRegionImage: record("putRegionImage") },
    images: { describeImage: async (region: string) => image(region) },
    restore: {
      cancelDeprecation: record("cancelDeprecation"),
      enableImage: record("enableImage"),
      removeTag: record("removeTag"),
    },
    sharing: {
      getLaunchPermissions: async (region: string) => {
        asked.push(region);
        const answer = launch(region);
        if (answer instanceof Error) throw answer;
        return { accounts: [], organizationArns: [], organizationalUnitArns: [], public: answer.public };
      },
      modifyLaunchPermissions: record("modifyLaunchPermissions"),
    },
    notifier: { publish: record("publish") },
    clock: { now: () => now },
    log: silentLog,
  } as unknown as RestoreDependencies;
  return { deps, calls, asked };
}

describe("planRestore of a version whose image is public", () => {
  it("refuses only the region where EC2 reports the image public, with its reason and remedy, and changes nothing", async () => {
    // Prepare
    const { deps, calls } = world("deprecated", (region) => ({ public: region === "eu-west-1" }));

    // Act
    const refused = await planRestore(deps, "web", 1).catch((error: unknown) => error);

    // Assess
    expect(refused).toBeInstanceOf(RestoreRefusedError);
    const [region, ...others] = (refused as RestoreRefusedError).regions;
    expect(others).toEqual([]);
    expect(region).toMatchObject({
      region: "eu-west-1",
      imageId: imageIdIn("eu-west-1"),
      reason: "image-public",
    });
    expect(region?.remedy).toContain(
      `aws ec2 modify-image-attribute --region eu-west-1 --image-id ${imageIdIn("eu-west-1")} --launch-permission "Remove=[{Group=all}]"`,
    );
    expect(calls).toEqual([]);
  });

  it("plans the deprecation's cancellation when EC2 reports the image private, whatever its tags say", async () => {
    // Prepare
    const { deps, asked } = world("deprecated", () => ({ public: false }));

    // Act
    const { plan } = await planRestore(deps, "web", 1);

    // Assess
    expect(asked).toEqual(["eu-west-1", "us-east-1"]);
    expect(plan.regions.map((region) => [region.region, region.actions[0]])).toEqual([
      ["eu-west-1", "cancel-deprecation"],
      ["us-east-1", "cancel-deprecation"],
    ]);
  });

  it("does not ask about a disabled image: DisableImage removed its launch permissions", async () => {
    // Prepare
    const { deps, asked } = world("disabled", () => ({ public: true }));

    // Act
    const { plan } = await planRestore(deps, "web", 1);

    // Assess
    expect(asked).toEqual([]);
    expect(plan.regions.map((region) => region.actions.slice(0, 2))).toEqual([
      ["enable-image", "cancel-deprecation"],
      ["enable-image", "cancel-deprecation"],
    ]);
  });

  it("refuses a region whose image disappears while restore asks about its launch permissions", async () => {
    // Prepare
    const { deps } = world("deprecated", (region) =>
      region === "us-east-1" ? new ImageNotFoundError(region, imageIdIn(region)) : { public: false },
    );

    // Act
    const refused = await planRestore(deps, "web", 1).catch((error: unknown) => error);

    // Assess
    expect((refused as RestoreRefusedError).regions).toEqual([
      {
        region: "us-east-1",
        imageId: imageIdIn("us-east-1"),
        missing: `${imageIdIn("us-east-1")} no longer exists in EC2`,
      },
    ]);
  });

  it("--apply stops with the reason, before EC2's refusal, in a region whose image became public after the plan", async () => {
    // Prepare: us-east-1 answers private to the plan and public when its deprecation is about to be cancelled.
    const answers = new Map<string, number>();
    const { deps, calls } = world("deprecated", (region) => {
      const seen = (answers.get(region) ?? 0) + 1;
      answers.set(region, seen);
      return { public: region === "us-east-1" && seen > 1 };
    });

    // Act
    const stopped = await restoreVersion(deps, "web", 1).catch((error: unknown) => error);

    // Assess: eu-west-1 (first in order) is restored; nothing was asked of EC2 in us-east-1, the version not held
    expect(stopped).toBeInstanceOf(RestoreStoppedError);
    expect((stopped as RestoreStoppedError).stopped).toMatchObject({
      region: "us-east-1",
      imageId: imageIdIn("us-east-1"),
      reason: "image-public",
    });
    expect((stopped as Error).message).toContain("running restore again resumes");
    expect(calls).toEqual(["cancelDeprecation eu-west-1", "removeTag eu-west-1"]);
  });
});
