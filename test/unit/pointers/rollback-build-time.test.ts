import { describe, expect, it } from "vitest";
import {
  type ImagePointers,
  parseConfig,
  rollback,
  silentLog,
  type VersionRegistry,
} from "../../../packages/core/src/index";
import { builtVersion as version } from "../../support/built-version";
import { FakeImages } from "../sweep/fakes";

describe("rollback orders versions by build time", () => {
  it("rolls back to the previous build and withdraws only the newer builds, not older adopted images", async () => {
    // Prepare: v1 and v2 are the service's builds; v3 is an image of 2024 that adoption numbered after them.
    const versions = [
      version(1, "2026-11-20T00:00:00.000Z"),
      version(2, "2026-11-21T00:00:00.000Z"),
      version(3, "2024-06-10T00:00:00.000Z"),
    ];
    const withdrawn: number[] = [];
    const registry = {
      listVersions: async () => versions.map((v) => ({ ...v, withdrawn: withdrawn.includes(v.version) })),
      getVersion: async (_family: string, number: number) => versions.find((v) => v.version === number),
      // No image is recorded: protection after the move has nothing to protect here.
      findByImageId: async () => undefined,
      setWithdrawn: async (_family: string, number: number, value: boolean) => {
        if (value) withdrawn.push(number);
      },
    } as unknown as VersionRegistry;
    const held = new Map<string, string>();
    const pointers: ImagePointers = {
      getPointer: async (region, name) => held.get(`${region}${name}`),
      putPointer: async (region, name, imageId) => {
        held.set(`${region}${name}`, imageId);
      },
    };
    const config = parseConfig({
      accounts: ["111122223333"],
      homeRegion: "us-east-1",
      regions: ["us-east-1"],
      families: [{ name: "web", team: "web", match: { namePattern: "web-*" } }],
    });

    // Act
    const result = await rollback(
      {
        config,
        registry,
        pointers,
        protection: { enableProtection: async () => {}, disableProtection: async () => {} },
        images: new FakeImages([]),
        clock: { now: () => new Date("2026-11-22T00:00:00.000Z") },
        notifier: { publish: async () => {} },
        log: silentLog,
      },
      "web",
    );

    // Assess
    expect(result.target).toBe(1);
    expect(result.withdrawn).toEqual([2]);
    expect(result.pointers.map((move) => move.imageId)).toEqual(["ami-1"]);
  });
});
