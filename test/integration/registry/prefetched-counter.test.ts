import type { Clock, NewVersion } from "@ami-lifecycle/core";
import { describe, expect, it } from "vitest";
import { useCountedRegistry } from "../../support/counted-registry";
import { builtInVirginia, registeredAt } from "../../support/registry-versions";

const clock: Clock = { now: () => registeredAt };

const newVersion = (family: string, imageId: string): NewVersion =>
  builtInVirginia(family, imageId, "pending");

describe("the image lookup of a new image reads its family's version counter in the same round trip", () => {
  const { calls, registry, other } = useCountedRegistry("prefetched-counter", clock);

  it("looks up and registers a new image in two round trips", async () => {
    // Prepare
    await registry.registerVersion(newVersion("batched", "ami-0batched00000001"));
    calls.length = 0;

    // Act
    const found = await registry.findByImageId("ami-0batched00000002", { familyHint: "batched" });
    const { version, created } = await registry.registerVersion(
      newVersion("batched", "ami-0batched00000002"),
    );

    // Assess
    expect(found).toBeUndefined();
    expect(created).toBe(true);
    expect(version.version).toBe(2);
    expect(calls).toEqual(["BatchGetItemCommand", "TransactWriteItemsCommand"]);
  });

  it("still numbers versions in order when another registration moved the counter after the lookup", async () => {
    // Prepare
    await registry.findByImageId("ami-0stale000000001", { familyHint: "stale" });
    await other.registerVersion(newVersion("stale", "ami-0stale000000002"));

    // Act
    const { version, created } = await registry.registerVersion(newVersion("stale", "ami-0stale000000001"));
    const again = await other.registerVersion(newVersion("stale", "ami-0stale000000003"));

    // Assess
    expect(created).toBe(true);
    expect(version.version).toBe(2);
    expect(again.version.version).toBe(3);
    expect(
      (await registry.listVersions("stale")).map((record) => record.regions["us-east-1"]?.imageId),
    ).toEqual(["ami-0stale000000002", "ami-0stale000000001", "ami-0stale000000003"]);
  });

  it("finds an image already registered, whatever family the hint names", async () => {
    // Prepare
    const { version } = await registry.registerVersion(newVersion("known", "ami-0known000000001"));

    // Act
    const found = await registry.findByImageId("ami-0known000000001", { familyHint: "other-family" });

    // Assess
    expect(found).toEqual({ family: "known", version: version.version, region: "us-east-1", role: "source" });
  });
});
