import { describe, expect, it } from "vitest";
import { floorCalls, regionFloor } from "../../../bench/_backlog-floor";

describe("backlog bench floor", () => {
  it("is the chain's latency, not 0, when the backlog fits in the bursts", () => {
    // Prepare: 100 images in a region, every bucket's burst covers them.
    const calls = floorCalls({ owned: 100, adopted: 100, candidates: 48, retired: 48 });

    // Act
    const floor = regionFloor(calls);

    // Assess: DescribeImages 0.4 + CreateTags 0.15 + references 0.3 + deprecate 0.15 + disable 0.2 + deregister 0.25
    expect(floor.seconds).toBeCloseTo(1.45, 6);
    expect(floor.serialSeconds).toBe(0);
  });

  it("is the slowest bucket plus the calls that follow its last one, not the sum of the buckets", () => {
    // Prepare: 2,500 images, 2,450 retired (the size, one region of four).
    const calls = floorCalls({ owned: 2_500, adopted: 2_500, candidates: 2_450, retired: 2_450 });

    // Act
    const floor = regionFloor(calls);

    // Assess: EnableImageDeprecation and DisableImage share the mutating default (50 burst, 5/s):
    // (2,450 − 50) / 5 = 480 s until the last deprecation is sent; it (0.15 s), its image's disable
    // (0.2 s) and deregistration (0.25 s) follow.
    expect(calls.DescribeImageReferences).toBe(245);
    expect(calls.DescribeImages).toBe(3);
    expect(floor.seconds).toBeCloseTo(480 + 0.15 + 0.2 + 0.25, 6);
    // CreateTags (2,400 / 10) + references (145 / 20) + deprecate, disable (480 each) + deregister (2,350 / 5)
    expect(floor.serialSeconds).toBeCloseTo(240 + 7.25 + 480 + 480 + 470, 6);
  });
});
