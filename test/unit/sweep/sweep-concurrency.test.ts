import {
  ConfigError,
  parseConfig,
  type SweepProgress,
  type SweepProgressStore,
  sweepPartOnRequest,
} from "@ami-lifecycle/core";
import { describe, expect, it } from "vitest";
import { family, scenario } from "../retention/builders";
import { configWith, FakeImages, FakeRegistry, sweepDeps } from "./fakes";

/** A registry that counts how many families' versions are being read at once. */
class CountingRegistry extends FakeRegistry {
  inFlight = 0;
  mostInFlight = 0;

  override async listVersions(name: string) {
    this.inFlight++;
    this.mostInFlight = Math.max(this.mostInFlight, this.inFlight);
    // A DynamoDB round trip: the other families' reads start meanwhile when they may.
    await new Promise((resolve) => setImmediate(resolve));
    this.inFlight--;
    return super.listVersions(name);
  }
}

/** The sweep's progress item in memory, with the epoch check the registry's conditional write makes. */
class ProgressInMemory implements SweepProgressStore {
  private readonly items = new Map<string, SweepProgress>();
  async get(runId: string) {
    return this.items.get(runId);
  }
  async put(progress: SweepProgress, expectedEpoch: number | undefined) {
    if (this.items.get(progress.runId)?.epoch !== expectedEpoch) return false;
    this.items.set(progress.runId, progress);
    return true;
  }
}

describe("the deployed sweep's families in flight", () => {
  it("follows `sweep.concurrency` from the config", async () => {
    // Prepare: six families with one version each.
    const families = Array.from({ length: 6 }, (_, index) => family({}, `fam-${index}`));
    const { versions, images } = scenario([{ version: 1, ageDays: 1 }]);
    const registry = new CountingRegistry(
      families.flatMap((each) => versions.map((version) => ({ ...version, family: each.name }))),
    );
    const config = configWith(families, "dry-run");
    const { deps } = sweepDeps(
      { ...config, sweep: { ...config.sweep, concurrency: 3 } },
      new FakeImages(images),
      registry,
    );
    // Act
    await sweepPartOnRequest(
      {
        sweep: deps,
        progress: new ProgressInMemory(),
        continuations: { requestContinuation: async () => {} },
      },
      { requestId: "r-1", reason: "scheduled" },
      { remainingMs: () => 15 * 60_000 },
    );
    // Assess
    expect(registry.mostInFlight).toBe(3);
  });

  it("defaults to 8 and refuses a value below 1, naming the field", () => {
    // Prepare
    const base = {
      accounts: ["111111111111"],
      homeRegion: "eu-west-1",
      regions: ["eu-west-1"],
      families: [{ name: "web", team: "t", match: { namePattern: "web-*" } }],
    };
    // Act
    const parsed = parseConfig(base);
    const refused = () => parseConfig({ ...base, sweep: { concurrency: 0 } });
    // Assess
    expect(parsed.sweep.concurrency).toBe(8);
    expect(refused).toThrow(ConfigError);
    expect(refused).toThrow(/sweep\.concurrency/);
  });
});
