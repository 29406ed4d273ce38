import { adoptAccount, copyAdoptedVersions, silentLog } from "@ami-lifecycle/core";
import type { LocalDeployment } from "@ami-lifecycle/simulated-account";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { type PreexistingImages, startAdoptionWorld } from "../support/adoption-world";

describe("adopt --copy starts the copies the family's copyTo is missing", () => {
  let deployment: LocalDeployment;
  let images: PreexistingImages;

  beforeAll(async () => {
    ({ deployment, images } = await startAdoptionWorld(inject("dynamoEndpoint")));
  });
  afterAll(() => deployment.stop());

  it("copies each adopted version only where it has no image, as the operator, once", async () => {
    // Prepare
    const { reactions } = deployment.operatorRuntime;
    const { applied = [] } = await adoptAccount(reactions, { apply: true, families: ["web"] });
    deployment.account.resetCallCounts();

    // Act
    const actions = await copyAdoptedVersions({ ...reactions, log: silentLog }, applied);
    const again = await copyAdoptedVersions({ ...reactions, log: silentLog }, applied);
    await deployment.pump();
    await deployment.advance(30 * 60_000);

    // Assess: v1 has its own copy in eu-west-1, so only ap-southeast-2; v2 and v3 both regions.
    const copyCalls = Object.entries(deployment.account.callCounts())
      .filter(([key]) => key.endsWith(":CopyImage"))
      .map(([key, count]) => [key.split(":")[0], count]);
    expect(copyCalls.sort()).toEqual([
      ["ap-southeast-2", 3],
      ["eu-west-1", 2],
    ]);
    expect(actions.filter((entry) => entry.effect.kind === "copy-started").length).toBe(5);
    expect(again.filter((entry) => entry.effect.kind === "copy-started")).toEqual([]);
    const versions = await deployment.runtime.reactions.registry.listVersions("web");
    expect(versions[0]?.regions["eu-west-1"]?.imageId).toBe(images.oldestCopy);
    expect(versions.map((version) => version.regions["ap-southeast-2"]?.state)).toEqual([
      "available",
      "available",
      "available",
    ]);
  });
});
