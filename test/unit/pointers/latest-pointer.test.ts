import { describe, expect, it } from "vitest";
import {
  assertLatestPointer,
  type ImagePointers,
  latestVersionIn,
  type RegionImageState,
  type VersionRecord,
} from "../../../packages/core/src/index";
import { builtVersion } from "../../support/built-version";

const pattern = "/ami-lifecycle/{family}/{channel}";
const name = "/ami-lifecycle/web/latest";

/** Version `number` of `web`, built 2026-11-20, its us-east-1 image in `state`. */
function version(number: number, state: RegionImageState, withdrawn = false): VersionRecord {
  return builtVersion(number, "2026-11-20T00:00:00.000Z", { state, withdrawn });
}

/** Pointers in memory that count writes. */
function memoryPointers(initial: Record<string, string> = {}) {
  const held = new Map(Object.entries(initial));
  const writes: string[] = [];
  const pointers: ImagePointers = {
    getPointer: async (region, key) => held.get(`${region}${key}`),
    putPointer: async (region, key, imageId) => {
      held.set(`${region}${key}`, imageId);
      writes.push(imageId);
    },
  };
  return { pointers, writes, held: (region: string) => held.get(`${region}${name}`) };
}

describe("latestVersionIn", () => {
  it("is the newest available version that is not withdrawn", () => {
    const versions = [version(1, "available"), version(2, "available"), version(3, "available", true)];
    expect(latestVersionIn(versions, "us-east-1")?.version).toBe(2);
    expect(latestVersionIn([version(1, "pending")], "us-east-1")).toBeUndefined();
    expect(latestVersionIn(versions, "eu-west-1")).toBeUndefined();
  });
});

describe("assertLatestPointer", () => {
  it("writes the newest version once and then leaves an equal pointer alone", async () => {
    // Prepare
    const memory = memoryPointers();
    const versions = [version(1, "available"), version(2, "available")];

    // Act
    const first = await assertLatestPointer(memory.pointers, pattern, "web", versions, "us-east-1");
    const second = await assertLatestPointer(memory.pointers, pattern, "web", versions, "us-east-1");

    // Assess
    expect(first).toEqual({ region: "us-east-1", name, version: 2, imageId: "ami-2" });
    expect(second).toBeUndefined();
    expect(memory.writes).toEqual(["ami-2"]);
  });

  it("does not move back from a newer version a stale view still sees pending", async () => {
    // Prepare: another reaction already pointed latest at v2
    const memory = memoryPointers({ [`us-east-1${name}`]: "ami-2" });
    const stale = [version(1, "available"), version(2, "pending")];

    // Act
    const move = await assertLatestPointer(memory.pointers, pattern, "web", stale, "us-east-1");

    // Assess
    expect(move).toBeUndefined();
    expect(memory.held("us-east-1")).toBe("ami-2");
  });

  it("moves back from a withdrawn or retired version", async () => {
    // Prepare
    const withdrawn = memoryPointers({ [`us-east-1${name}`]: "ami-2" });
    const retired = memoryPointers({ [`us-east-1${name}`]: "ami-2" });

    // Act
    await assertLatestPointer(
      withdrawn.pointers,
      pattern,
      "web",
      [version(1, "available"), version(2, "available", true)],
      "us-east-1",
    );
    await assertLatestPointer(
      retired.pointers,
      pattern,
      "web",
      [version(1, "available"), version(2, "disabled")],
      "us-east-1",
    );

    // Assess
    expect(withdrawn.held("us-east-1")).toBe("ami-1");
    expect(retired.held("us-east-1")).toBe("ami-1");
  });
});
