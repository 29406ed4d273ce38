import {
  type AdoptionDependencies,
  adoptAccount,
  type ImageService,
  LifecycleTag,
} from "@ami-lifecycle/core";
import type { LocalDeployment } from "@ami-lifecycle/simulated-account";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { planAccount } from "../../packages/cli/src/planning/account-plan";
import { type PreexistingImages, startAdoptionWorld } from "../support/adoption-world";
import { buildVersions } from "../support/retention-world";

const mutating = ["CreateTags", "CopyImage", "DeregisterImage", "DisableImage", "EnableImageDeprecation"];

describe("adopting the images that existed before the service", () => {
  let deployment: LocalDeployment;
  let images: PreexistingImages;
  /** the CLI operator's ports: its calls are evaluated against the operator policy */
  let operator: AdoptionDependencies;

  beforeAll(async () => {
    ({ deployment, images } = await startAdoptionWorld(inject("dynamoEndpoint")));
    operator = deployment.operatorRuntime.reactions;
    // The service's own first build, made after it was deployed: v1, the newest build of all.
    await buildVersions(deployment, 1);
  });
  afterAll(() => deployment.stop());

  function mutatingCalls(): string[] {
    return Object.keys(deployment.account.callCounts()).filter((key) =>
      mutating.includes(key.split(":")[1] ?? ""),
    );
  }

  it("plans without changing anything: versions in build order, copies with their source, two-family matches refused", async () => {
    // Prepare
    deployment.account.resetCallCounts();

    // Act
    const { plan, applied } = await adoptAccount(operator);

    // Assess
    expect(applied).toBeUndefined();
    expect(mutatingCalls()).toEqual([]);
    const web = plan.families.find((family) => family.family === "web");
    expect(
      web?.versions.map((v) => [v.expectedVersion, v.source.imageId, v.copies.map((c) => c.imageId)]),
    ).toEqual([
      [2, images.oldest, [images.oldestCopy]],
      [3, images.middle, []],
      [4, images.newest, []],
    ]);
    expect(plan.conflicts).toEqual([
      { region: "us-east-1", imageId: images.ambiguous, name: "web-legacy-1", families: ["web", "legacy"] },
    ]);
    expect(await deployment.runtime.reactions.registry.listVersions("legacy")).toEqual([]);
  });

  it("survives a kill half-way and resumes where it stopped", async () => {
    // Prepare: the operator's process dies on its third CreateTags.
    let tagged = 0;
    const dying: ImageService = Object.create(operator.images, {
      tagImage: {
        value: async (...args: Parameters<ImageService["tagImage"]>) => {
          if (++tagged === 3) throw new Error("killed");
          return operator.images.tagImage(...args);
        },
      },
    });

    // Act
    await expect(adoptAccount({ ...operator, images: dying }, { apply: true })).rejects.toThrow("killed");
    const resumed = await adoptAccount(operator, { apply: true });

    // Assess: every image of the plan is adopted exactly once, numbered as planned.
    const versions = await deployment.runtime.reactions.registry.listVersions("web");
    expect(versions.map((v) => [v.version, v.sourceImageId])).toEqual([
      [1, versions[0]?.sourceImageId],
      [2, images.oldest],
      [3, images.middle],
      [4, images.newest],
    ]);
    expect(versions[1]?.regions["eu-west-1"]?.imageId).toBe(images.oldestCopy);
    expect(versions[1]?.createdAt).toBe("2024-01-10T08:00:00.000Z");
    // The family's versions are registered together (one transaction), then tagged: the kill came before
    // v3's and v4's images were tagged, so the resumed run tags them and registers nothing new.
    const resumedWeb = resumed.plan.families.find((family) => family.family === "web");
    expect(resumedWeb?.pendingTagging.map((pending) => [pending.version, pending.image.imageId])).toEqual([
      [3, images.middle],
      [4, images.newest],
    ]);
    expect(resumedWeb?.versions).toEqual([]);
    const legacy = await deployment.runtime.reactions.registry.listVersions("legacy");
    expect(legacy.map((v) => v.sourceImageId)).toEqual([images.legacy]);
  });

  it("tags each adopted image and its snapshots, copies included", () => {
    for (const [region, imageId, version] of [
      ["us-east-1", images.oldest, "2"],
      ["eu-west-1", images.oldestCopy, "2"],
      ["us-east-1", images.newest, "4"],
    ] as const) {
      const image = deployment.account.image(region, imageId);
      const tags = Object.fromEntries((image?.Tags ?? []).map((tag) => [tag.Key, tag.Value]));
      expect(tags).toMatchObject({
        [LifecycleTag.managed]: "true",
        [LifecycleTag.family]: "web",
        [LifecycleTag.version]: version,
        [LifecycleTag.sourceImage]:
          images.oldest === imageId || images.oldestCopy === imageId ? images.oldest : imageId,
      });
      expect(tags[LifecycleTag.adoptedAt]).toBeDefined();
      const snapshotId = image?.BlockDeviceMappings?.[0]?.Ebs?.SnapshotId;
      const snapshot = deployment.account
        .snapshots(region)
        .find((candidate) => candidate.SnapshotId === snapshotId);
      const snapshotTags = Object.fromEntries((snapshot?.Tags ?? []).map((tag) => [tag.Key, tag.Value]));
      expect(snapshotTags[LifecycleTag.version]).toBe(version);
    }
    const ambiguous = deployment.account.image("us-east-1", images.ambiguous);
    expect(ambiguous?.Tags?.some((tag) => tag.Key?.startsWith("ami-lifecycle:"))).toBe(false);
  });

  it("sends one adopted summary per family", () => {
    const adopted = deployment.account
      .published(deployment.topicArn)
      .filter((message) => message.messageAttributes.eventType?.StringValue === "adopted");
    expect(adopted.map((message) => message.messageAttributes.family?.StringValue).sort()).toEqual([
      "legacy",
      "web",
    ]);
  });

  it("changes nothing when run again", async () => {
    // Prepare
    const before = await deployment.runtime.reactions.registry.listVersions("web");
    const published = deployment.account.published(deployment.topicArn).length;
    deployment.account.resetCallCounts();

    // Act
    const again = await adoptAccount(operator, { apply: true });

    // Assess
    expect(again.plan.families).toEqual([]);
    expect(mutatingCalls()).toEqual([]);
    expect(await deployment.runtime.reactions.registry.listVersions("web")).toEqual(before);
    expect(deployment.account.published(deployment.topicArn)).toHaveLength(published);
  });

  it("never counts the older adopted images as the newest: the service's own build stays kept", async () => {
    const { reactions } = deployment.runtime;
    const { plans } = await planAccount({ ...reactions, now: reactions.clock.now() });
    const plan = plans.find((candidate) => candidate.family === "web");
    if (!plan) throw new Error("no plan for web");
    const action = (version: number) =>
      plan.decisions.find((d) => d.version === version && d.region === "us-east-1")?.action;
    // keepLatest 3 by build time: v1 (2026), v4 (2024-06), v3 (2024-03); v2 (2024-01) is the oldest build.
    expect(action(1)).toBe("keep");
    expect(action(4)).toBe("keep");
    expect(action(3)).toBe("keep");
    expect(action(2)).not.toBe("keep");
    expect(plan.decisions.find((d) => d.version === 2)?.reasons[0]?.message).toBe(
      "not among the newest 3 available versions (v1, v4, v3)",
    );
  });
});
