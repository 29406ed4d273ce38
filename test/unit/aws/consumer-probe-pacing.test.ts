import { describe, expect, it } from "vitest";
import { CONSUMER, EAST, OTHER, pacedProbeWorld } from "../../support/consumer-probe-world";

describe("consumer probes paced like the owner's calls (per account, region and API)", () => {
  it("probes a consumer region with a tiny DescribeImageReferences bucket without throttling, so no fail-safe", async () => {
    // Prepare
    const { org, imageIds, sweep } = await pacedProbeWorld(true);
    const start = org.clock.nowMs();

    // Act
    const result = await sweep.ports.probes.probe(CONSUMER, EAST, imageIds);
    sweep.close();

    // Assess: three batches of ≤ 10 images, the second and third each a refill (2 s) after the one before.
    expect(result).toMatchObject({ kind: "probed", accountId: CONSUMER, references: [] });
    expect(org.clock.nowMs() - start).toBe(4_000);
  });

  it("paces each consumer account on its own buckets: two probed at once take the time of one", async () => {
    // Prepare
    const { org, imageIds, sweep } = await pacedProbeWorld(true);
    const start = org.clock.nowMs();

    // Act
    const results = await Promise.all([
      sweep.ports.probes.probe(CONSUMER, EAST, imageIds),
      sweep.ports.probes.probe(OTHER, EAST, imageIds),
    ]);
    sweep.close();

    // Assess
    expect(results.map((result) => result.kind)).toEqual(["probed", "probed"]);
    expect(org.clock.nowMs() - start).toBe(4_000);
  });

  it("is what keeps it out of the fail-safe: unpaced, the same probe is throttled past the SDK's retries", async () => {
    // Prepare
    const { imageIds, sweep } = await pacedProbeWorld(false);

    // Act
    const result = await sweep.ports.probes.probe(CONSUMER, EAST, imageIds);
    sweep.close();

    // Assess
    expect(result).toMatchObject({ kind: "unreachable", accountId: CONSUMER, reason: "throttled" });
  });
});
