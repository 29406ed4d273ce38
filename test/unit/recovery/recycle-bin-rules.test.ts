import { parseConfig, recycleBinRules } from "@ami-lifecycle/core";
import { describe, expect, it } from "vitest";

/** Three families: two share a period, one turns recovery off. */
function config() {
  const family = (name: string, recoverableForDays: number) => ({
    name,
    team: "platform",
    match: { namePattern: `${name}-*` },
    retention: { recoverableForDays },
  });
  return parseConfig({
    accounts: ["111122223333"],
    homeRegion: "us-east-1",
    regions: ["us-east-1", "eu-west-1"],
    families: [family("web", 7), family("api", 30), family("batch", 7), family("scratch", 0)],
  });
}

describe("the Recycle Bin rules the stacks create", () => {
  it("pairs an image and a snapshot rule per distinct period and managed region, keyed on the retired tag; none for period 0", () => {
    // Act
    const rules = recycleBinRules(config());

    // Assess
    expect(rules.map((rule) => `${rule.region} ${rule.retentionDays} ${rule.resourceType}`)).toEqual([
      "us-east-1 7 EC2_IMAGE",
      "us-east-1 7 EBS_SNAPSHOT",
      "us-east-1 30 EC2_IMAGE",
      "us-east-1 30 EBS_SNAPSHOT",
      "eu-west-1 7 EC2_IMAGE",
      "eu-west-1 7 EBS_SNAPSHOT",
      "eu-west-1 30 EC2_IMAGE",
      "eu-west-1 30 EBS_SNAPSHOT",
    ]);
    for (const rule of rules) {
      expect(rule.resourceTags).toEqual([{ key: "ami-lifecycle:retired", value: "true" }]);
    }
  });
});
