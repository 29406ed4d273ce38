import {
  CreateTagsCommand,
  DeregisterImageCommand,
  DescribeImageAttributeCommand,
  DescribeImagesCommand,
  DescribeSnapshotAttributeCommand,
  DescribeSnapshotsCommand,
  EC2Client,
  ListImagesInRecycleBinCommand,
  ListSnapshotsInRecycleBinCommand,
  ModifyImageAttributeCommand,
  ModifySnapshotAttributeCommand,
  RegisterImageCommand,
  RestoreImageFromRecycleBinCommand,
  RestoreSnapshotFromRecycleBinCommand,
} from "@aws-sdk/client-ec2";
import { CreateRuleCommand, GetRuleCommand, ListRulesCommand, RbinClient } from "@aws-sdk/client-rbin";
import { describe, expect, it } from "vitest";
import { EAST, failure, MINUTE, setup } from "./helpers";

const DAY = 24 * 60 * MINUTE;
const RETIRED = { ResourceTagKey: "ami-lifecycle:retired", ResourceTagValue: "true" };
const CONSUMER = "444455556666";

/** An account with EC2 and Recycle Bin clients in us-east-1. */
function bin() {
  const world = setup();
  const rbin = world.account.client(RbinClient, EAST);
  return { ...world, rbin };
}

/** Creates a tag-level rule on the retired tag. */
async function tagRule(rbin: RbinClient, type: "EC2_IMAGE" | "EBS_SNAPSHOT", days: number) {
  return rbin.send(
    new CreateRuleCommand({
      ResourceType: type,
      RetentionPeriod: { RetentionPeriodValue: days, RetentionPeriodUnit: "DAYS" },
      ResourceTags: [RETIRED],
    }),
  );
}

/** Tags an image and its snapshot as retired, the way a rule expects. */
async function markRetired(ec2: EC2Client, imageId: string, snapshotId: string) {
  await ec2.send(
    new CreateTagsCommand({
      Resources: [imageId, snapshotId],
      Tags: [{ Key: RETIRED.ResourceTagKey, Value: RETIRED.ResourceTagValue }],
    }),
  );
}

const snapshotOf = (account: ReturnType<typeof setup>["account"], imageId: string) =>
  account.image(EAST, imageId)?.BlockDeviceMappings?.[0]?.Ebs?.SnapshotId as string;

const binnedImageIds = async (ec2: EC2Client) =>
  ((await ec2.send(new ListImagesInRecycleBinCommand({}))).Images ?? []).map((image) => image.ImageId);

const binnedSnapshotIds = async (ec2: EC2Client) =>
  ((await ec2.send(new ListSnapshotsInRecycleBinCommand({}))).Snapshots ?? []).map(
    (snapshot) => snapshot.SnapshotId,
  );

describe("simulated Recycle Bin rules", () => {
  it("the region's first rule is pending for 30 minutes and retains nothing meanwhile; later rules share its activation", async () => {
    // Prepare
    const { account, east, rbin } = bin();
    const early = account.seedImage(EAST, { name: "early", tags: { "ami-lifecycle:retired": "true" } });
    const late = account.seedImage(EAST, { name: "late", tags: { "ami-lifecycle:retired": "true" } });
    // Act
    const first = await tagRule(rbin, "EC2_IMAGE", 7);
    account.advance(10 * MINUTE);
    const second = await tagRule(rbin, "EBS_SNAPSHOT", 7);
    const pending = await rbin.send(new GetRuleCommand({ Identifier: second.Identifier }));
    await east.send(new DeregisterImageCommand({ ImageId: early }));
    account.advance(20 * MINUTE);
    const active = await rbin.send(new GetRuleCommand({ Identifier: first.Identifier }));
    await east.send(new DeregisterImageCommand({ ImageId: late }));
    // Assess
    expect(first.Status).toBe("pending");
    expect(pending.Status).toBe("pending");
    expect(active.Status).toBe("available");
    expect(await binnedImageIds(east)).toEqual([late]);
  });

  it("matches at deregistration time: a tag-level rule keeps only tagged images, the longest matching retention wins", async () => {
    // Prepare
    const { account, east, rbin } = bin();
    await tagRule(rbin, "EC2_IMAGE", 7);
    await tagRule(rbin, "EC2_IMAGE", 30);
    account.advance(30 * MINUTE);
    const untagged = account.seedImage(EAST, { name: "untagged" });
    const tagged = account.seedImage(EAST, { name: "tagged" });
    await markRetired(east, tagged, snapshotOf(account, tagged));
    const deregisteredAt = account.clock.nowMs();
    // Act
    await east.send(new DeregisterImageCommand({ ImageId: untagged }));
    await east.send(new DeregisterImageCommand({ ImageId: tagged }));
    const listed = await east.send(new ListImagesInRecycleBinCommand({ ImageIds: [tagged, untagged] }));
    const described = await east.send(new DescribeImagesCommand({ Owners: ["self"] }));
    // Assess
    expect(listed.Images).toEqual([
      {
        ImageId: tagged,
        Name: "tagged",
        RecycleBinEnterTime: new Date(deregisteredAt),
        RecycleBinExitTime: new Date(deregisteredAt + 30 * DAY),
      },
    ]);
    expect(described.Images ?? []).toEqual([]);
  });

  it("a region-level rule keeps every image except those carrying an excluded tag", async () => {
    // Prepare
    const { account, east, rbin } = bin();
    await rbin.send(
      new CreateRuleCommand({
        ResourceType: "EC2_IMAGE",
        RetentionPeriod: { RetentionPeriodValue: 1, RetentionPeriodUnit: "DAYS" },
        ExcludeResourceTags: [{ ResourceTagKey: "scratch" }],
      } as ConstructorParameters<typeof CreateRuleCommand>[0]),
    );
    account.advance(30 * MINUTE);
    const kept = account.seedImage(EAST, { name: "kept" });
    const scratch = account.seedImage(EAST, { name: "scratch", tags: { scratch: "yes" } });
    // Act
    await east.send(new DeregisterImageCommand({ ImageId: kept }));
    await east.send(new DeregisterImageCommand({ ImageId: scratch }));
    // Assess
    expect(await binnedImageIds(east)).toEqual([kept]);
  });

  it("refuses retention outside 1-365 days and a lock on a tag-level rule (ValidationException); ListRules filters by type", async () => {
    // Prepare
    const { rbin } = bin();
    await tagRule(rbin, "EBS_SNAPSHOT", 14);
    // Act
    const zero = await failure(tagRule(rbin, "EC2_IMAGE", 0));
    const tooLong = await failure(tagRule(rbin, "EC2_IMAGE", 366));
    const lockedTagRule = await failure(
      rbin.send(
        new CreateRuleCommand({
          ResourceType: "EC2_IMAGE",
          RetentionPeriod: { RetentionPeriodValue: 7, RetentionPeriodUnit: "DAYS" },
          ResourceTags: [RETIRED],
          LockConfiguration: { UnlockDelay: { UnlockDelayValue: 7, UnlockDelayUnit: "DAYS" } },
        }),
      ),
    );
    const images = await rbin.send(new ListRulesCommand({ ResourceType: "EC2_IMAGE" }));
    const snapshots = await rbin.send(new ListRulesCommand({ ResourceType: "EBS_SNAPSHOT" }));
    // Assess
    expect([zero.name, tooLong.name, lockedTagRule.name]).toEqual([
      "ValidationException",
      "ValidationException",
      "ValidationException",
    ]);
    expect(images.Rules).toEqual([]);
    expect(snapshots.Rules?.map((rule) => rule.RetentionPeriod?.RetentionPeriodValue)).toEqual([14]);
  });
});

describe("simulated Recycle Bin contents and restore", () => {
  it("removes sharing on entry, restores snapshots before the image, and gives the sharing back on restore", async () => {
    // Prepare
    const { account, east, rbin } = bin();
    await tagRule(rbin, "EC2_IMAGE", 7);
    await tagRule(rbin, "EBS_SNAPSHOT", 8);
    account.advance(30 * MINUTE);
    const image = account.seedImage(EAST, { name: "shared" });
    const snapshotId = snapshotOf(account, image);
    await east.send(
      new ModifyImageAttributeCommand({ ImageId: image, LaunchPermission: { Add: [{ UserId: CONSUMER }] } }),
    );
    await east.send(
      new ModifySnapshotAttributeCommand({
        SnapshotId: snapshotId,
        Attribute: "createVolumePermission",
        OperationType: "add",
        UserIds: [CONSUMER],
      }),
    );
    await markRetired(east, image, snapshotId);
    // Act
    const deregistered = await east.send(
      new DeregisterImageCommand({ ImageId: image, DeleteAssociatedSnapshots: true }),
    );
    const describedWhileBinned = await east.send(new DescribeSnapshotsCommand({ OwnerIds: ["self"] }));
    const binnedSnapshots = await binnedSnapshotIds(east);
    const beforeSnapshot = await failure(
      east.send(new RestoreImageFromRecycleBinCommand({ ImageId: image })),
    );
    const restoredSnapshot = await east.send(
      new RestoreSnapshotFromRecycleBinCommand({ SnapshotId: snapshotId }),
    );
    const whileRecovering = await failure(
      east.send(new RestoreImageFromRecycleBinCommand({ ImageId: image })),
    );
    account.advance(5 * MINUTE);
    await east.send(new RestoreImageFromRecycleBinCommand({ ImageId: image }));
    const launchPermissions = await east.send(
      new DescribeImageAttributeCommand({ ImageId: image, Attribute: "launchPermission" }),
    );
    const volumePermissions = await east.send(
      new DescribeSnapshotAttributeCommand({ SnapshotId: snapshotId, Attribute: "createVolumePermission" }),
    );
    // Assess
    expect(deregistered.DeleteSnapshotResults).toEqual([{ SnapshotId: snapshotId, ReturnCode: "success" }]);
    expect(describedWhileBinned.Snapshots ?? []).toEqual([]);
    expect(binnedSnapshots).toEqual([snapshotId]);
    expect(beforeSnapshot.name).toBe("IncorrectState");
    expect(beforeSnapshot.message).toContain("still in the Recycle Bin");
    expect(restoredSnapshot.State).toBe("recovering");
    expect(whileRecovering.name).toBe("IncorrectState");
    expect(account.image(EAST, image)?.State).toBe("available");
    expect(await binnedImageIds(east)).toEqual([]);
    expect(launchPermissions.LaunchPermissions).toEqual([{ UserId: CONSUMER }]);
    expect(volumePermissions.CreateVolumePermissions).toEqual([{ UserId: CONSUMER }]);
  });

  it("a binned image is not shared while binned, and snapshots without their own rule are gone for good", async () => {
    // Prepare
    const { account, east, rbin } = bin();
    await tagRule(rbin, "EC2_IMAGE", 7);
    account.advance(30 * MINUTE);
    const image = account.seedImage(EAST, { name: "no-snapshot-rule" });
    const snapshotId = snapshotOf(account, image);
    await east.send(
      new ModifyImageAttributeCommand({ ImageId: image, LaunchPermission: { Add: [{ UserId: CONSUMER }] } }),
    );
    await markRetired(east, image, snapshotId);
    // Act
    await east.send(new DeregisterImageCommand({ ImageId: image, DeleteAssociatedSnapshots: true }));
    const restore = await failure(east.send(new RestoreImageFromRecycleBinCommand({ ImageId: image })));
    // Assess
    expect(account.image(EAST, image)?.Public).toBe(false);
    expect(await binnedSnapshotIds(east)).toEqual([]);
    expect(restore.name).toBe("IncorrectState");
    expect(restore.message).toContain(`${snapshotId} no longer exists`);
  });

  it("deletes for good when the retention ends: nothing to list or restore", async () => {
    // Prepare
    const { account, east, rbin } = bin();
    await tagRule(rbin, "EC2_IMAGE", 1);
    await tagRule(rbin, "EBS_SNAPSHOT", 1);
    account.advance(30 * MINUTE);
    const image = account.seedImage(EAST, { name: "expiring" });
    const snapshotId = snapshotOf(account, image);
    await markRetired(east, image, snapshotId);
    await east.send(new DeregisterImageCommand({ ImageId: image, DeleteAssociatedSnapshots: true }));
    // Act
    account.advance(DAY - MINUTE);
    const stillBinned = await binnedImageIds(east);
    account.advance(MINUTE);
    const snapshot = await failure(
      east.send(new RestoreSnapshotFromRecycleBinCommand({ SnapshotId: snapshotId })),
    );
    const restore = await failure(east.send(new RestoreImageFromRecycleBinCommand({ ImageId: image })));
    // Assess
    expect(stillBinned).toEqual([image]);
    expect(await binnedImageIds(east)).toEqual([]);
    expect(await binnedSnapshotIds(east)).toEqual([]);
    expect(snapshot.name).toBe("InvalidSnapshot.NotFound");
    expect(restore.name).toBe("InvalidAMIID.NotFound");
  });

  it("binned images count toward the AMI quota (ResourceLimitExceeded)", async () => {
    // Prepare
    const { account, east } = setup({ amiQuota: 2 });
    const rbin = account.client(RbinClient, EAST);
    await tagRule(rbin, "EC2_IMAGE", 7);
    account.advance(30 * MINUTE);
    const binned = account.seedImage(EAST, { name: "binned", tags: { "ami-lifecycle:retired": "true" } });
    const kept = account.seedImage(EAST, { name: "kept" });
    const snapshotId = snapshotOf(account, kept);
    await east.send(new DeregisterImageCommand({ ImageId: binned }));
    // Act
    const refused = await failure(
      east.send(
        new RegisterImageCommand({
          Name: "third",
          BlockDeviceMappings: [{ DeviceName: "/dev/xvda", Ebs: { SnapshotId: snapshotId } }],
        }),
      ),
    );
    // Assess
    expect(refused.name).toBe("ResourceLimitExceeded");
  });
});

describe("IAM of the simulated Recycle Bin", () => {
  it("evaluates rbin rules and the EC2 bin calls: a role allowed to list may not create rules or restore", async () => {
    // Prepare
    const { account } = setup();
    const principalArn = `arn:aws:sts::${account.accountId}:assumed-role/lister/session`;
    account.iam.govern(principalArn, {
      name: "lister",
      policies: () => [
        {
          name: "list",
          document: {
            Version: "2012-10-17",
            Statement: [
              {
                Effect: "Allow",
                Action: ["ec2:ListImagesInRecycleBin", "ec2:ListSnapshotsInRecycleBin", "rbin:ListRules"],
                Resource: "*",
              },
            ],
          },
        },
      ],
    });
    const ec2 = account.client(EC2Client, EAST, { principalArn });
    const rbin = account.client(RbinClient, EAST, { principalArn });
    const image = account.seedImage(EAST, { name: "app" });
    // Act
    const listed = await ec2.send(new ListImagesInRecycleBinCommand({}));
    const rules = await rbin.send(new ListRulesCommand({ ResourceType: "EC2_IMAGE" }));
    const create = await failure(tagRule(rbin, "EC2_IMAGE", 7));
    const restore = await failure(ec2.send(new RestoreImageFromRecycleBinCommand({ ImageId: image })));
    // Assess
    expect(listed.Images).toEqual([]);
    expect(rules.Rules).toEqual([]);
    expect(create.name).toBe("AccessDeniedException");
    expect(restore.name).toBe("UnauthorizedOperation");
    expect(account.iam.denials().map((denial) => denial.action)).toEqual([
      "rbin:CreateRule",
      "ec2:RestoreImageFromRecycleBin",
    ]);
  });
});
