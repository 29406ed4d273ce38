import type { Clock, NewVersion } from "@ami-lifecycle/core";
import { beforeEach, describe, expect, it } from "vitest";
import { useCountedRegistry } from "../../support/counted-registry";
import { builtInVirginia, registeredAt } from "../../support/registry-versions";

const clock: Clock = { now: () => registeredAt };

const newVersion = (family: string, imageId: string): NewVersion =>
  builtInVirginia(family, imageId, "available");

/** Image ids ami-0<family>…<n> padded to a valid length. */
function imageIds(prefix: string, count: number): string[] {
  return Array.from({ length: count }, (_, index) => `ami-0${prefix}${String(index + 1).padStart(8, "0")}`);
}

describe("registering many versions of a family (adoption)", () => {
  const { calls, registry, other } = useCountedRegistry("register-versions", clock);
  beforeEach(() => {
    calls.length = 0;
  });

  it("reads the counter once for registrations one after another", async () => {
    // Act
    await registry.registerVersion(newVersion("serial", "ami-0serial00000001"));
    await registry.registerVersion(newVersion("serial", "ami-0serial00000002"));
    await registry.registerVersion(newVersion("serial", "ami-0serial00000003"));

    // Assess: the counter each registration wrote is the next one's condition, no read in between.
    expect(calls).toEqual([
      "GetItemCommand",
      "TransactWriteItemsCommand",
      "TransactWriteItemsCommand",
      "TransactWriteItemsCommand",
    ]);
    expect((await registry.listVersions("serial")).map((version) => version.version)).toEqual([1, 2, 3]);
  });

  it("registers 40 images as consecutive versions in their order in one counter read and two transactions", async () => {
    // Prepare
    const ids = imageIds("batch", 40);

    // Act
    const results = await registry.registerVersions(ids.map((id) => newVersion("batch", id)));

    // Assess
    expect(calls).toEqual(["GetItemCommand", "TransactWriteItemsCommand", "TransactWriteItemsCommand"]);
    expect(results.map(({ version, created }) => [version.version, created])).toEqual(
      ids.map((_, index) => [index + 1, true]),
    );
    const stored = await registry.listVersions("batch");
    expect(stored.map((version) => version.regions["us-east-1"]?.imageId)).toEqual(ids);
    expect(stored[0]?.regions["us-east-1"]?.snapshotIds).toEqual(["snap-0batch00000001"]);
    for (const [index, id] of ids.entries()) {
      expect(await registry.findByImageId(id)).toEqual({
        family: "batch",
        version: index + 1,
        region: "us-east-1",
        role: "source",
      });
    }
    expect(await registry.listFamilies()).toContain("batch");
  });

  it("keeps the version of an image registered before and numbers the others after it", async () => {
    // Prepare: one of the images was registered by an earlier (killed) run.
    const ids = imageIds("resume", 4);
    await other.registerVersion(newVersion("resume", ids[1] as string));

    // Act
    const results = await registry.registerVersions(ids.map((id) => newVersion("resume", id)));

    // Assess
    expect(results.map(({ version, created }) => [version.version, created])).toEqual([
      [2, true],
      [1, false],
      [3, true],
      [4, true],
    ]);
    expect(
      (await registry.listVersions("resume")).map((version) => version.regions["us-east-1"]?.imageId),
    ).toEqual([ids[1], ids[0], ids[2], ids[3]]);
  });

  it("still numbers consecutively when another registry moved the counter after its own last write", async () => {
    // Prepare: this registry remembers counter 1; the other moves it to 2.
    await registry.registerVersion(newVersion("raced", "ami-0raced000000001"));
    await other.registerVersion(newVersion("raced", "ami-0raced000000002"));

    // Act
    const results = await registry.registerVersions(
      imageIds("racedb", 3).map((id) => newVersion("raced", id)),
    );
    const next = await registry.registerVersion(newVersion("raced", "ami-0raced000000009"));

    // Assess
    expect(results.map(({ version }) => version.version)).toEqual([3, 4, 5]);
    expect(next.version.version).toBe(6);
    expect((await registry.listVersions("raced")).map((version) => version.version)).toEqual([
      1, 2, 3, 4, 5, 6,
    ]);
  });
});
