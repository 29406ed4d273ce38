import { LifecycleTag, type VersionRecord } from "@ami-lifecycle/core";
import type { LocalDeployment } from "@ami-lifecycle/simulated-account";
import {
  CreateTagsCommand,
  EC2Client,
  EnableImageDeregistrationProtectionCommand,
  RegisterImageCommand,
} from "@aws-sdk/client-ec2";
import { imageOf, retentionPolicy } from "./retention-world";

/** What the scenario set up around the 30 versions, and so what retention must leave alone. */
export interface RetentionFixture {
  /** versions nothing may retire: in use, protected, or among the newest kept */
  keptVersions: Set<number>;
  /** images the service must never touch (no family, or not managed), by region */
  unmanaged: { region: string; imageId: string }[];
  /** a snapshot of v2 that an unmanaged image also uses: it must survive v2's deregistration */
  sharedSnapshot: { region: string; snapshotId: string };
}

/**
 * Uses and protects some versions the ways the issue lists: an instance (v5), a launch template's
 * default version (v8) and a non-default one (v20), an SSM parameter (v11), the keep tag (v14),
 * deregistration protection (v17); registers an unmanaged image on v2's snapshot; seeds unmanaged images.
 */
export async function useAndProtect(
  deployment: LocalDeployment,
  versions: readonly VersionRecord[],
): Promise<RetentionFixture> {
  const { account } = deployment;
  const version = (number: number) => versions.find((candidate) => candidate.version === number);
  account.runInstance("us-east-1", imageOf(version(5), "us-east-1"));
  account.createLaunchTemplate("eu-west-1", "web-frontend", imageOf(version(8), "eu-west-1"));
  const template = account.createLaunchTemplate("us-east-1", "web-canary");
  account.addLaunchTemplateVersion("us-east-1", template, imageOf(version(20), "us-east-1"));
  account.putParameter(
    "ap-southeast-2",
    "/web/golden-ami",
    imageOf(version(11), "ap-southeast-2"),
    "aws:ec2:image",
  );

  const useast = account.client(EC2Client, "us-east-1");
  const euwest = account.client(EC2Client, "eu-west-1");
  await useast.send(
    new CreateTagsCommand({
      Resources: [imageOf(version(14), "us-east-1")],
      Tags: [{ Key: "ami-lifecycle:keep", Value: "release-2026" }],
    }),
  );
  await euwest.send(
    new EnableImageDeregistrationProtectionCommand({ ImageId: imageOf(version(17), "eu-west-1") }),
  );

  const v2 = account.image("us-east-1", imageOf(version(2), "us-east-1"));
  const snapshotId = v2?.BlockDeviceMappings?.[0]?.Ebs?.SnapshotId ?? "";
  const { ImageId: shared = "" } = await useast.send(
    new RegisterImageCommand({
      Name: "forensics-root",
      RootDeviceName: "/dev/xvda",
      BlockDeviceMappings: [{ DeviceName: "/dev/xvda", Ebs: { SnapshotId: snapshotId } }],
    }),
  );
  useast.destroy();
  euwest.destroy();
  const handmade = account.seedImage("us-east-1", { name: "web-handmade" });
  const foreign = account.seedImage("eu-west-1", {
    name: "db-base",
    tags: { [LifecycleTag.family]: "db", team: "data" },
  });
  await deployment.pump();

  const newest = versions.slice(-retentionPolicy.keepLatest).map((record) => record.version);
  return {
    keptVersions: new Set([5, 8, 11, 14, 17, 20, ...newest]),
    unmanaged: [
      { region: "us-east-1", imageId: shared },
      { region: "us-east-1", imageId: handmade },
      { region: "eu-west-1", imageId: foreign },
    ],
    sharedSnapshot: { region: "us-east-1", snapshotId },
  };
}
