import {
  adoptionCreator,
  type ImageRecord,
  LifecycleTag,
  parseConfig,
  planAdoption,
  type VersionRecord,
} from "@ami-lifecycle/core";
import { describe, expect, it } from "vitest";

const account = "111122223333";
const config = parseConfig({
  accounts: [account],
  homeRegion: "us-east-1",
  regions: ["us-east-1", "eu-west-1"],
  families: [
    { name: "web", team: "web", match: { namePattern: "web-*" } },
    { name: "base", team: "platform", match: { namePattern: "base-*" } },
    { name: "web-tagged", team: "web", match: { tags: { role: "web" } } },
  ],
});

function image(imageId: string, overrides: Partial<ImageRecord> = {}): ImageRecord {
  return {
    imageId,
    region: "us-east-1",
    name: `web-${imageId}`,
    ownerId: account,
    state: "available",
    creationDate: "2025-01-01T00:00:00.000Z",
    tags: {},
    snapshots: [{ snapshotId: `snap-${imageId}`, sizeGiB: 8 }],
    encrypted: false,
    deregistrationProtection: false,
    ...overrides,
  };
}

function version(
  family: string,
  number: number,
  imageId: string,
  extra: Partial<VersionRecord> = {},
): VersionRecord {
  return {
    family,
    version: number,
    sourceRegion: "us-east-1",
    sourceImageId: imageId,
    name: imageId,
    createdAt: "2026-01-01T00:00:00.000Z",
    stage: "active",
    regions: {
      "us-east-1": {
        region: "us-east-1",
        imageId,
        state: "available",
        role: "source",
        snapshotIds: [],
        copyAttempts: 0,
        updatedAt: "2026-01-01T00:00:00.000Z",
      },
    },
    ...extra,
  };
}

describe("planAdoption", () => {
  it("plans one version per unmanaged image, numbered after the registry's highest in build order", () => {
    // Prepare
    const images = [
      image("ami-new", { creationDate: "2025-03-01T00:00:00.000Z" }),
      image("ami-old", { creationDate: "2024-01-01T00:00:00.000Z" }),
      image("ami-registered"),
    ];

    // Act
    const plan = planAdoption({ config, images, versions: [version("web", 4, "ami-registered")] });

    // Assess
    expect(plan.families).toHaveLength(1);
    expect(plan.families[0]?.versions.map((v) => [v.expectedVersion, v.source.imageId])).toEqual([
      [5, "ami-old"],
      [6, "ami-new"],
    ]);
  });

  it("lets copies in other regions join their source's version, following EC2's lineage", () => {
    const source = image("ami-src");
    const copy = image("ami-copy", {
      region: "eu-west-1",
      sourceImageId: "ami-src",
      sourceImageRegion: "us-east-1",
    });
    const plan = planAdoption({ config, images: [copy, source], versions: [] });
    expect(plan.families[0]?.versions).toHaveLength(1);
    expect(plan.families[0]?.versions[0]?.source.imageId).toBe("ami-src");
    expect(plan.families[0]?.versions[0]?.copies.map((c) => c.imageId)).toEqual(["ami-copy"]);
  });

  it("joins an unmanaged copy to the registered version of its source", () => {
    const copy = image("ami-copy", {
      region: "eu-west-1",
      sourceImageId: "ami-reg",
      sourceImageRegion: "us-east-1",
    });
    const plan = planAdoption({
      config,
      images: [image("ami-reg"), copy],
      versions: [version("web", 2, "ami-reg")],
    });
    expect(plan.families[0]?.versions).toEqual([]);
    expect(plan.families[0]?.joining.map((j) => [j.version, j.image.imageId])).toEqual([[2, "ami-copy"]]);
  });

  it("never makes a copy of a managed image a version: a second copy in its version's region is skipped", () => {
    const registered = version("web", 2, "ami-reg");
    registered.regions["eu-west-1"] = {
      ...(registered.regions["us-east-1"] as VersionRecord["regions"][string]),
      region: "eu-west-1",
      imageId: "ami-svc-copy",
      role: "copy",
    };
    const manual = image("ami-manual", {
      region: "eu-west-1",
      sourceImageId: "ami-reg",
      sourceImageRegion: "us-east-1",
    });
    const plan = planAdoption({ config, images: [image("ami-reg"), manual], versions: [registered] });
    expect(plan.families[0]?.versions).toEqual([]);
    expect(plan.families[0]?.joining).toEqual([]);
    expect(plan.families[0]?.skipped.map((skipped) => skipped.imageId)).toEqual(["ami-manual"]);
  });

  it("treats a copy whose source EC2 no longer lists, but the registry holds, as that version's copy", () => {
    const copy = image("ami-copy", {
      region: "eu-west-1",
      sourceImageId: "ami-gone",
      sourceImageRegion: "us-east-1",
    });
    const plan = planAdoption({ config, images: [copy], versions: [version("web", 3, "ami-gone")] });
    expect(plan.families[0]?.versions).toEqual([]);
    expect(plan.families[0]?.joining.map((j) => [j.version, j.image.imageId])).toEqual([[3, "ami-copy"]]);
  });

  it("refuses an image two families match and names both", () => {
    const both = image("ami-both", { tags: { role: "web" } });
    const plan = planAdoption({ config, images: [both], versions: [] });
    expect(plan.families).toEqual([]);
    expect(plan.conflicts).toEqual([
      { region: "us-east-1", imageId: "ami-both", name: "web-ami-both", families: ["web", "web-tagged"] },
    ]);
  });

  it("never adopts on tags alone: a managed-tagged image the registry lacks is adopted, one it holds is not", () => {
    const forged = image("ami-forged", {
      tags: { [LifecycleTag.managed]: "true", [LifecycleTag.version]: "1" },
    });
    const plan = planAdoption({
      config,
      images: [forged, image("ami-reg")],
      versions: [version("web", 1, "ami-reg")],
    });
    expect(plan.families[0]?.versions.map((v) => v.source.imageId)).toEqual(["ami-forged"]);
  });

  it("skips foreign, pending, unmanaged-region and unmatched images", () => {
    const images = [
      image("ami-foreign", { ownerId: "999999999999" }),
      image("ami-pending", { state: "pending" }),
      image("ami-far", { region: "ap-south-1" }),
      image("ami-other", { name: "scratch" }),
    ];
    expect(planAdoption({ config, images, versions: [] })).toEqual({ families: [], conflicts: [] });
  });

  it("finds the images a killed adoption registered but did not tag", () => {
    const registered = version("web", 1, "ami-half", { createdBy: adoptionCreator });
    const plan = planAdoption({ config, images: [image("ami-half")], versions: [registered] });
    expect(plan.families[0]?.pendingTagging.map((p) => [p.version, p.image.imageId])).toEqual([
      [1, "ami-half"],
    ]);
  });

  it("limits to the families and region asked for", () => {
    const images = [image("ami-a"), image("ami-b", { name: "base-1", region: "eu-west-1" })];
    const onlyBase = planAdoption({ config, images, versions: [], families: ["base"] });
    expect(onlyBase.families.map((family) => family.family)).toEqual(["base"]);
    const onlyEu = planAdoption({ config, images, versions: [], region: "eu-west-1" });
    expect(onlyEu.families.map((family) => family.family)).toEqual(["base"]);
  });
});
