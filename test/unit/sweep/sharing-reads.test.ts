import {
  type ImageBlockPublicAccessState,
  type ImageSharingService,
  type LaunchPermissions,
  runSweep,
} from "@ami-lifecycle/core";
import { describe, expect, it } from "vitest";
import { daysAgo, family, now, scenario } from "../retention/builders";
import { configWith, FakeImages, FakeRegistry, sweepDeps } from "./fakes";

/** EC2 sharing that shares with no one; counts the reads. */
class CountingSharing implements ImageSharingService {
  launchReads = 0;
  snapshotReads = 0;
  async getLaunchPermissions(): Promise<LaunchPermissions> {
    this.launchReads++;
    return { accounts: [], organizationArns: [], organizationalUnitArns: [], public: false };
  }
  async modifyLaunchPermissions() {}
  async getSnapshotVolumePermissions() {
    this.snapshotReads++;
    return { accounts: [], public: false };
  }
  async modifySnapshotVolumePermissions() {}
  async getImageBlockPublicAccessState(): Promise<ImageBlockPublicAccessState> {
    return "block-new-sharing";
  }
}

/** v1 and v2 deprecated 10 days ago and due to be disabled (no grace); v3–v5 kept. */
function deprecatedBacklog() {
  return scenario(
    [40, 30, 20, 10, 5].map((ageDays, index) => ({
      version: index + 1,
      ageDays,
      ...(index < 2
        ? { stage: "deprecated" as const, stageDaysAgo: 10, image: { deprecationTime: daysAgo(10) } }
        : {}),
    })),
  );
}
const policy = { keepLatest: 3, minAgeDays: 1, deprecateAfterDays: 0, disableAfterDays: 0 };

describe("retirement steps read launch permissions only when the family shares", () => {
  it("disables a family's versions without reading sharing when the family shares with no one", async () => {
    // Prepare
    const { versions, images } = deprecatedBacklog();
    const ec2 = new FakeImages(images);
    const sharing = new CountingSharing();
    const { deps } = sweepDeps(configWith([family(policy)], "enforce"), ec2, new FakeRegistry(versions));
    // Act
    await runSweep({ ...deps, sharing }, { now });
    // Assess
    expect(ec2.methods().filter((method) => method === "disableImage")).toHaveLength(2);
    expect(sharing.launchReads).toBe(0);
    expect(sharing.snapshotReads).toBe(0);
  });

  it("still records and revokes sharing before disabling when the family shares with an account", async () => {
    // Prepare
    const { versions, images } = deprecatedBacklog();
    const ec2 = new FakeImages(images);
    const sharing = new CountingSharing();
    const web = family(policy);
    const sharingFamily = { ...web, sharing: { ...web.sharing, accounts: ["222222222222"] } };
    const { deps } = sweepDeps(configWith([sharingFamily], "enforce"), ec2, new FakeRegistry(versions));
    // Act
    await runSweep({ ...deps, sharing }, { now });
    // Assess
    expect(ec2.methods().filter((method) => method === "disableImage")).toHaveLength(2);
    expect(sharing.launchReads).toBeGreaterThanOrEqual(4);
  });
});
