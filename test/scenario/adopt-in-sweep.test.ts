import { runSweep } from "@ami-lifecycle/core";
import type { LocalDeployment } from "@ami-lifecycle/simulated-account";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { type PreexistingImages, startAdoptionWorld } from "../support/adoption-world";

const mutating = ["CreateTags", "CopyImage", "DeregisterImage", "DisableImage", "EnableImageDeprecation"];

function mutatingCalls(deployment: LocalDeployment): string[] {
  return Object.keys(deployment.account.callCounts()).filter((key) =>
    mutating.includes(key.split(":")[1] ?? ""),
  );
}

describe("the scheduled sweep adopts families whose config says adopt: true", () => {
  let dryRun: { deployment: LocalDeployment; images: PreexistingImages };
  let enforce: { deployment: LocalDeployment; images: PreexistingImages };

  beforeAll(async () => {
    const endpoint = inject("dynamoEndpoint");
    dryRun = await startAdoptionWorld(endpoint, { adopt: true, mode: "dry-run" });
    enforce = await startAdoptionWorld(endpoint, { adopt: true, mode: "enforce" });
  });
  afterAll(async () => {
    await dryRun.deployment.stop();
    await enforce.deployment.stop();
  });

  it("only plans in dry-run: nothing tagged, nothing recorded", async () => {
    // Prepare
    const { deployment, images } = dryRun;
    deployment.account.resetCallCounts();

    // Act
    const report = await runSweep(deployment.runtime.reactions, { now: deployment.account.clock.now() });

    // Assess
    const web = report.families.find((family) => family.family === "web");
    expect(web?.adoption?.plan.versions.map((version) => version.source.imageId)).toEqual([
      images.oldest,
      images.middle,
      images.newest,
    ]);
    expect(web?.adoption?.adopted).toEqual([]);
    expect(mutatingCalls(deployment)).toEqual([]);
    expect(await deployment.runtime.reactions.registry.listVersions("web")).toEqual([]);
  });

  it("adopts in enforce mode, only the families that opted in, and the next sweep changes nothing", async () => {
    // Prepare
    const { deployment, images } = enforce;
    const now = () => deployment.account.clock.now();

    // Act
    const first = await runSweep(deployment.runtime.reactions, { now: now() });
    deployment.account.resetCallCounts();
    const second = await runSweep(deployment.runtime.reactions, { now: now() });

    // Assess
    expect(first.families.find((family) => family.family === "web")?.adoption?.adopted).toEqual([1, 2, 3]);
    const versions = await deployment.runtime.reactions.registry.listVersions("web");
    expect(versions.map((version) => version.sourceImageId)).toEqual([
      images.oldest,
      images.middle,
      images.newest,
    ]);
    expect(versions[0]?.regions["eu-west-1"]?.imageId).toBe(images.oldestCopy);
    // `legacy` did not opt in: its image stays unmanaged.
    expect(await deployment.runtime.reactions.registry.listVersions("legacy")).toEqual([]);
    expect(second.families.find((family) => family.family === "web")?.adoption).toBeUndefined();
    // Adopted versions are copied only on request: no sweep starts their missing copies.
    expect(mutatingCalls(deployment).filter((key) => key.endsWith(":CopyImage"))).toEqual([]);
    expect(versions[0]?.regions["ap-southeast-2"]).toBeUndefined();
    expect(mutatingCalls(deployment).filter((key) => key.endsWith(":CreateTags"))).toEqual([]);
    expect(first.failures).toEqual([]);
  });
});
