import { describe, expect, it } from "vitest";
import {
  type ImageRecord,
  LifecycleTag,
  managedTagValue,
  publishLatest,
  type RegionImageRecord,
  type RegionImageState,
  type RegionImageWrite,
  type VersionRecord,
} from "../../../packages/core/src/index";
import { builtVersion } from "../../support/built-version";
import { family as familyWith } from "../retention/builders";
import {
  configWith,
  FakeImages,
  FakePointers,
  FakeProtection,
  FakeRegistry,
  sweepDeps,
} from "../sweep/fakes";

const region = "us-east-1";
const name = "/ami-lifecycle/web/latest";

/** Version `number` of `web`, built 2026-11-20, its image in `state` (a deregistered one's stage too). */
function version(number: number, state: RegionImageState, withdrawn = false): VersionRecord {
  const stage = state === "deregistered" ? "deregistered" : "active";
  return builtVersion(number, "2026-11-20T00:00:00.000Z", { state, withdrawn, stage });
}

/** The version with the registry's record that the service protects its image for a pointer. */
function protectedByService(record: VersionRecord): VersionRecord {
  const own = record.regions[region];
  if (!own) return record;
  return { ...record, regions: { [region]: { ...own, pointerProtectedAt: "2026-11-20T01:00:00.000Z" } } };
}

/** Version `number`'s managed image as EC2 describes it, protected from deregistration as `setting` says. */
function described(number: number, setting?: ImageRecord["deregistrationProtectionSetting"]): ImageRecord {
  return {
    imageId: `ami-${number}`,
    region,
    name: `web-${number}`,
    ownerId: "111111111111",
    state: "available",
    creationDate: "2026-11-20T00:00:00.000Z",
    tags: { [LifecycleTag.managed]: managedTagValue },
    snapshots: [],
    encrypted: false,
    deregistrationProtection: setting !== undefined,
    ...(setting ? { deregistrationProtectionSetting: setting } : {}),
  };
}

/**
 * A registry that counts how many versions publishLatest pulled from newestVersions, and logs each region
 * write ("registry v502 marker") into `order`, the log the protection shares.
 */
class CountingRegistry extends FakeRegistry {
  pulled = 0;
  constructor(
    versions: VersionRecord[],
    private readonly order: string[],
  ) {
    super(versions);
  }
  override async putRegionImage(family: string, number: number, record: RegionImageRecord) {
    this.order.push(`registry v${number} ${record.pointerProtectedAt ? "marker" : "no marker"}`);
    return super.putRegionImage(family, number, record);
  }
  override async putRegionImages(family: string, number: number, writes: readonly RegionImageWrite[]) {
    for (const { record } of writes)
      this.order.push(`registry v${number} ${record.pointerProtectedAt ? "marker" : "no marker"}`);
    return super.putRegionImages(family, number, writes);
  }
  override async *newestVersions(family: string) {
    for await (const stored of super.newestVersions(family)) {
      this.pulled++;
      yield stored;
    }
  }
}

/** Protection that also logs each EC2 call ("EC2 enable ami-502") into the log the registry shares. */
class LoggingProtection extends FakeProtection {
  constructor(private readonly order: string[]) {
    super();
  }
  override async enableProtection(region: string, imageId: string) {
    this.order.push(`EC2 enable ${imageId}`);
    await super.enableProtection(region, imageId);
  }
  override async disableProtection(region: string, imageId: string) {
    this.order.push(`EC2 disable ${imageId}`);
    await super.disableProtection(region, imageId);
  }
}

/**
 * A family with `retired` deregistered versions, then the given newer ones; the pointer held in memory,
 * EC2 describing `ec2Images`, the reaction's ports as the sweep's fakes wire them.
 */
function world(retired: number, newer: VersionRecord[], pointer?: string, ec2Images: ImageRecord[] = []) {
  const history = Array.from({ length: retired }, (_, index) => version(index + 1, "deregistered"));
  const order: string[] = [];
  const registry = new CountingRegistry([...history, ...newer], order);
  const pointers = new FakePointers();
  if (pointer) pointers.values.set(`${region}|${name}`, pointer);
  const protection = new LoggingProtection(order);
  const images = new FakeImages(ec2Images);
  const config = configWith([familyWith()], "enforce");
  const deps = { ...sweepDeps(config, images, registry).deps, pointers, protection };
  const family = config.families[0] as NonNullable<(typeof config.families)[0]>;
  return {
    deps,
    family,
    registry,
    images,
    protection,
    order,
    pointer: () => pointers.values.get(`${region}|${name}`),
  };
}

describe("publishLatest", () => {
  it("moves latest to the version that just became available, reading only it and the version latest leaves", async () => {
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
    // The version latest leaves is read too: its record says whether the service protects its image.
    expect(registry.pulled).toBe(2);
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

  it("protects the image latest moves to and lifts the protection the service recorded on the one it left", async () => {
    // Prepare: the service protects v501's image for latest; v502's image is not protected yet.
    const { deps, family, registry, protection, pointer, order } = world(
      500,
      [protectedByService(version(501, "available")), version(502, "pending")],
      "ami-501",
      [described(501, "enabled-with-cooldown"), described(502)],
    );

    // Act
    const effects = await publishLatest(deps, family, version(502, "available"), region);

    // Assess: EC2 first for the lift, the record after; the new image's record first, EC2 after.
    expect(effects).toEqual([{ kind: "pointer-moved", region, version: 502 }]);
    expect(pointer()).toBe("ami-502");
    expect(protection.enabled).toEqual([`${region}/ami-502`]);
    expect(protection.disabled).toEqual([`${region}/ami-501`]);
    expect(
      registry.regionWrites.map(({ version, record }) => [version, record.pointerProtectedAt !== undefined]),
    ).toEqual([
      [502, true],
      [501, false],
    ]);
    expect(order).toEqual([
      "EC2 disable ami-501",
      "registry v502 marker",
      "EC2 enable ami-502",
      "registry v501 no marker",
    ]);
    expect(registry.pulled).toBe(2);
  });

  it("leaves a protection someone else set on the image latest left, without asking EC2 about it", async () => {
    // Prepare: v501's image is protected, but the registry does not record that the service did it.
    const { deps, family, registry, images, protection } = world(
      500,
      [version(501, "available"), version(502, "pending")],
      "ami-501",
      [described(501, "enabled"), described(502)],
    );

    // Act
    await publishLatest(deps, family, version(502, "available"), region);

    // Assess
    expect(protection.disabled).toEqual([]);
    expect(
      images.calls.filter((call) => call.method === "describeImage").map((call) => call.args[1]),
    ).toEqual(["ami-502"]);
    expect(registry.regionWrites.map(({ version }) => version)).toEqual([502]);
  });
});
