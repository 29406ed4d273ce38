import { LifecycleTag, reassertTags } from "@ami-lifecycle/core";
import { describe, expect, it } from "vitest";
import { family, imageIdOf, scenario, snapshotIdOf } from "../retention/builders";
import { configWith, FakeImages, FakeRegistry, sweepDeps } from "./fakes";

const web = family();
const region = "eu-west-1";

/** Two available versions; the view lists their images and, unless told otherwise, their tagged snapshots. */
function world(options: { mode?: "dry-run" | "enforce"; snapshotsListed?: boolean } = {}) {
  const { versions, images } = scenario([
    { version: 1, ageDays: 10 },
    { version: 2, ageDays: 5 },
  ]);
  const ec2 = new FakeImages(images);
  const { deps } = sweepDeps(configWith([web], options.mode ?? "enforce"), ec2, new FakeRegistry(versions));
  const snapshots =
    options.snapshotsListed === false
      ? undefined
      : images.flatMap((image) =>
          image.snapshots.map((snapshot) => ({ ...snapshot, region: image.region, tags: { ...image.tags } })),
        );
  const view = {
    images,
    present: new Set(images.map((image) => `${image.region}/${image.imageId}`)),
    snapshots,
    managedSnapshots: snapshots ? new Set(snapshots.map((s) => `${s.region}/${s.snapshotId}`)) : undefined,
  };
  return { versions, images, ec2, deps, view };
}

describe("reassertTags", () => {
  it("calls nothing when every managed image and snapshot carries the registry's tags", async () => {
    // Prepare
    const { versions, ec2, deps, view } = world();

    // Act
    const result = await reassertTags(deps, web, versions, view);

    // Assess
    expect(result).toEqual({ reconciled: [], failures: [] });
    expect(ec2.methods()).toEqual([]);
  });

  it("puts back a changed version tag from the registry, never the tag's value, on the image and its snapshot", async () => {
    // Prepare
    const { versions, images, ec2, deps, view } = world();
    const forged = images.find((image) => image.imageId === imageIdOf(1, region));
    if (forged) forged.tags[LifecycleTag.version] = "2";

    // Act
    const result = await reassertTags(deps, web, versions, view);

    // Assess
    expect(ec2.calls).toEqual([
      {
        method: "tagImage",
        args: [
          region,
          imageIdOf(1, region),
          [snapshotIdOf(1, region)],
          expect.objectContaining({ [LifecycleTag.version]: "1" }),
        ],
      },
    ]);
    expect(result.reconciled).toEqual([
      {
        kind: "tags-reasserted",
        region,
        version: 1,
        imageId: imageIdOf(1, region),
        detail: LifecycleTag.version,
      },
    ]);
  });

  it("re-tags an image whose recorded snapshot lost the managed tag (it is no longer listed as managed)", async () => {
    // Prepare
    const { versions, ec2, deps, view } = world();
    view.snapshots = view.snapshots?.filter((snapshot) => snapshot.snapshotId !== snapshotIdOf(2, region));

    // Act
    const result = await reassertTags(deps, web, versions, view);

    // Assess
    expect(ec2.calls.map((call) => call.args.slice(0, 3))).toEqual([
      [region, imageIdOf(2, region), [snapshotIdOf(2, region)]],
    ]);
    expect(result.reconciled[0]).toMatchObject({ kind: "tags-reasserted", detail: "snapshots" });
  });

  it("checks only the images when the snapshot listing failed", async () => {
    // Prepare
    const { versions, ec2, deps, view } = world({ snapshotsListed: false });

    // Act
    await reassertTags(deps, web, versions, view);

    // Assess
    expect(ec2.methods()).toEqual([]);
  });

  it("in dry-run reports the drift and changes nothing", async () => {
    // Prepare
    const { versions, images, ec2, deps, view } = world({ mode: "dry-run" });
    const stripped = images.find((image) => image.imageId === imageIdOf(2, region));
    if (stripped) delete stripped.tags[LifecycleTag.managed];

    // Act
    const result = await reassertTags(deps, web, versions, view);

    // Assess
    expect(ec2.methods()).toEqual([]);
    expect(result.reconciled).toEqual([
      {
        kind: "tags-drifted",
        region,
        version: 2,
        imageId: imageIdOf(2, region),
        detail: LifecycleTag.managed,
      },
    ]);
  });

  it("leaves images this sweep already reconciled, and images EC2 does not list, alone", async () => {
    // Prepare
    const { versions, images, ec2, deps, view } = world();
    for (const image of images) delete image.tags[LifecycleTag.managed];
    view.images = images.filter((image) => image.imageId !== imageIdOf(2, region));

    // Act
    await reassertTags(deps, web, versions, view, new Set([imageIdOf(1, region)]));

    // Assess
    expect(ec2.methods()).toEqual([]);
  });
});
