import {
  guardPublicSharing,
  type ImagePermissionChange,
  type ImageSharingService,
  type LaunchPermissionChange,
  type Notification,
} from "@ami-lifecycle/core";
import { describe, expect, it } from "vitest";
import { family, scenario } from "../retention/builders";
import { configWith, FakeImages, FakeRegistry, sweepDeps } from "../sweep/fakes";

/** Launch permissions: every image public; records every modification. */
class PublicEverywhere
  implements Pick<ImageSharingService, "getLaunchPermissions" | "modifyLaunchPermissions">
{
  readonly modified: { region: string; imageId: string; change: LaunchPermissionChange }[] = [];
  async getLaunchPermissions() {
    return { accounts: [], organizationArns: [], organizationalUnitArns: [], public: true };
  }
  async modifyLaunchPermissions(region: string, imageId: string, change: LaunchPermissionChange) {
    this.modified.push({ region, imageId, change });
  }
}

const change = (imageId: string): ImagePermissionChange => ({
  eventId: "event-1",
  cloudTrailEventId: "trail-1",
  eventTime: "2025-06-01T00:00:00Z",
  region: "eu-west-1",
  accountId: "111111111111",
  eventName: "ModifyImageAttribute",
  imageId,
  actor: "arn:aws:iam::111111111111:role/someone",
  userIdentity: { type: "AssumedRole" } as ImagePermissionChange["userIdentity"],
  requestedPublic: true,
});

describe("public-sharing guard and forged lifecycle tags", () => {
  it("only reports an image tagged managed for a family that the registry does not hold, never modifies it", async () => {
    // Prepare: an image of the account, made public, carrying lifecycle tags it was never given by the service.
    const { images } = scenario([{ version: 1, ageDays: 1 }]);
    const forged = { ...(images[0] as (typeof images)[number]), imageId: "ami-0forged000000000" };
    const sharing = new PublicEverywhere();
    const { deps, published } = sweepDeps(
      configWith([family()], "enforce"),
      new FakeImages([forged]),
      new FakeRegistry([]),
    );
    const security: Notification[] = [];

    // Act
    const outcome = await guardPublicSharing(
      {
        ...deps,
        sharing: sharing as unknown as ImageSharingService,
        securityNotifier: { publish: async (notification) => void security.push(notification) },
      },
      change(forged.imageId),
    );

    // Assess
    expect(sharing.modified).toEqual([]);
    expect(outcome).toMatchObject({ outcome: "reported" });
    expect(outcome.family).toBeUndefined();
    expect(published).toEqual([]);
    expect(security).toHaveLength(1);
  });
});
