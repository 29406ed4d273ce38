import { describe, expect, it } from "vitest";
import {
  type ImagePointers,
  publishLatest,
  type ReactionDependencies,
  type RegionImageState,
  silentLog,
  type VersionRecord,
} from "../../../packages/core/src/index";
import { builtVersion } from "../../support/built-version";
import { configWith, FakeImages, FakeRegistry } from "../sweep/fakes";

const region = "us-east-1";
const name = "/ami-lifecycle/web/latest";

/** Version `number` of `web`, built 2026-11-20, its image in `state` (a deregistered one's stage too). */
function version(number: number, state: RegionImageState, withdrawn = false): VersionRecord {
  const stage = state === "deregistered" ? "deregistered" : "active";
  return builtVersion(number, "2026-11-20T00:00:00.000Z", { state, withdrawn, stage });
}

/** A registry that counts how many versions publishLatest pulled from newestVersions. */
class CountingRegistry extends FakeRegistry {
  pulled = 0;
  override async *newestVersions(family: string) {
    for await (const stored of super.newestVersions(family)) {
      this.pulled++;
      yield stored;
    }
  }
}

/** A family with `retired` deregistered versions, then the given newer ones; the pointer held in memory. */
function world(retired: number, newer: VersionRecord[], pointer?: string) {
  const history = Array.from({ length: retired }, (_, index) => version(index + 1, "deregistered"));
  const registry = new CountingRegistry([...history, ...newer]);
  const held = new Map<string, string>(pointer ? [[`${region}${name}`, pointer]] : []);
  const pointers: ImagePointers = {
    getPointer: async (at, key) => held.get(`${at}${key}`),
    putPointer: async (at, key, imageId) => void held.set(`${at}${key}`, imageId),
  };
  const config = configWith(
    [
      {
        name: "web",
        team: "web",
        match: { namePattern: "web-*" },
      } as never,
    ],
    "enforce",
  );
  const deps = {
    config,
    registry,
    pointers,
    images: new FakeImages([]),
    log: silentLog,
  } as unknown as ReactionDependencies;
  const family = config.families[0] as NonNullable<(typeof config.families)[0]>;
  return { deps, family, registry, pointer: () => held.get(`${region}${name}`) };
}

describe("publishLatest", () => {
  it("moves latest to the version that just became available, reading only that version", async () => {
    // Prepare: 500 retired versions and the previous latest; the registry still says v502 is pending.
    const { deps, family, registry, pointer } = world(
      500,
      [version(501, "available"), version(502, "pending")],
      "ami-501",
    );

    // Act
    const effects = await publishLatest(deps, family, version(502, "available"), region);

    // Assess
    expect(effects).toEqual([{ kind: "pointer-moved", region, version: 502 }]);
    expect(pointer()).toBe("ami-502");
    expect(registry.pulled).toBe(1);
  });

  it("leaves latest on a newer version and reads no further than it", async () => {
    // Prepare: a late event of v501 while v502 is already latest.
    const { deps, family, registry, pointer } = world(
      500,
      [version(501, "available"), version(502, "available")],
      "ami-502",
    );

    // Act
    const effects = await publishLatest(deps, family, version(501, "available"), region);

    // Assess
    expect(effects).toEqual([]);
    expect(pointer()).toBe("ami-502");
    expect(registry.pulled).toBe(1);
  });

  it("skips a version withdrawn since the reaction read it, down to the newest one still good", async () => {
    // Prepare: a rollback withdrew v502 in the registry; this reaction's view of it is older.
    const { deps, family, registry, pointer } = world(
      500,
      [version(501, "available"), version(502, "pending", true)],
      "ami-501",
    );

    // Act
    const effects = await publishLatest(deps, family, version(502, "available"), region);

    // Assess
    expect(effects).toEqual([]);
    expect(pointer()).toBe("ami-501");
    expect(registry.pulled).toBe(2);
  });
});
