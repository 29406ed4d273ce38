import { CrossAccountEvidence, type FamilyConfig, type ImageEvidence } from "@ami-lifecycle/core";
import { EC2Client, ModifyImageAttributeCommand } from "@aws-sdk/client-ec2";
import { describe, expect, it } from "vitest";
import {
  orgAccounts,
  organizationConfig,
  organizationPorts,
  startOrganization,
} from "../../support/organization-world";
import { pinOldTemplateVersion } from "../../support/pinned-template";

const EAST = "us-east-1";
const dayMs = 24 * 3600_000;

/**
 * Consumer 2's group pins version 1 of its template (image `pinned`); versions 2 and 3, the newest,
 * launch `current`. `unused` is shared too and used by nobody. Only OU workloads (consumers 1 and 2,
 * both with the consumer role) is shared with, so no unreachable account holds every image.
 */
async function pinnedWorld() {
  const org = startOrganization();
  const config = organizationConfig(org);
  const base = config.families[0] as FamilyConfig;
  const family: FamilyConfig = {
    ...base,
    sharing: { ...base.sharing, organizationalUnitArns: [org.ou("workloads").arn] },
  };
  const owner = org.account(orgAccounts.owner);
  const ec2 = org.client(EC2Client, EAST);
  const [pinned, current, unused] = ["web-pinned", "web-current", "web-unused"].map((name) =>
    owner.seedImage(EAST, { name }),
  ) as [string, string, string];
  for (const imageId of [pinned, current, unused])
    await ec2.send(
      new ModifyImageAttributeCommand({
        ImageId: imageId,
        LaunchPermission: { Add: [{ OrganizationalUnitArn: org.ou("workloads").arn }] },
      }),
    );
  ec2.destroy();
  const templateId = await pinOldTemplateVersion(org, orgAccounts.second, EAST, pinned, [current, current]);
  const organization = config.organization;
  if (!organization) throw new Error("organizationConfig has no organization slice");
  return { org, organization, family, pinned, unused, templateId };
}

/**
 * Two sweeps' evidence four days apart through the real adapters at one version depth: the first
 * creates the usage reports, the second reads them past the lag (3 days) and probes the consumers.
 */
async function evidenceAfterLag(
  world: Awaited<ReturnType<typeof pinnedWorld>>,
  versionDepth: number,
): Promise<Map<string, ImageEvidence>> {
  const { org, organization, family, pinned, unused } = world;
  const candidates = [pinned, unused].map((imageId) => ({ family, region: EAST, imageId }));
  const sweep = () =>
    new CrossAccountEvidence(
      organizationPorts(org, versionDepth),
      { ...organization, versionDepth },
      { now: org.clock.now(), ownerAccounts: [orgAccounts.owner] },
    );
  await sweep().gather(candidates);
  org.advance(4 * dayMs);
  const later = sweep();
  await later.gather(candidates);
  return later.evidence;
}

function kinds(evidence: ImageEvidence | undefined) {
  return (evidence?.blocking ?? []).map((item) =>
    item.kind === "reference" || item.kind === "usage" ? [item.kind, item.resourceType] : [item.kind],
  );
}

describe("an image a consumer's Auto Scaling group launches through an old template version", () => {
  it("is kept by the probe's group pin when the version depth hides that version from the usage report", async () => {
    // Prepare: depth 1: the report and DescribeImageReferences look at version 3 only.
    const world = await pinnedWorld();

    // Act
    const evidence = await evidenceAfterLag(world, 1);

    // Assess: the report past the lag counts nothing for the pinned image (conclusive, no usage), yet
    // the group's pin, read in consumer 2, keeps it; the unused image is cleared, so the report is
    // what it seems and the hold is the probe's.
    const pinned = evidence.get(`${EAST}/${world.pinned}`);
    expect(kinds(pinned)).toEqual([["reference", "autoscaling:AutoScalingGroup"]]);
    expect(pinned?.blocking[0]).toMatchObject({
      accountId: orgAccounts.second,
      detail: expect.stringContaining("Auto Scaling group web launches"),
    });
    expect(pinned?.accountsChecked).toEqual([orgAccounts.first, orgAccounts.second]);
    expect(evidence.get(`${EAST}/${world.unused}`)?.blocking).toEqual([]);
  });

  it("is kept by DescribeImageReferences at full depth, though the report past the lag counts nothing", async () => {
    // Prepare
    const world = await pinnedWorld();

    // Act
    const evidence = await evidenceAfterLag(world, 10_000);

    // Assess: the report the first sweep made (reused, now past the lag) was made within the lag of the
    // template's creation, so it never counts it: the real-time probe is what holds the image.
    const pinned = evidence.get(`${EAST}/${world.pinned}`);
    expect(kinds(pinned)).toEqual([["reference", "ec2:LaunchTemplate"]]);
    expect(pinned?.blocking[0]).toMatchObject({
      accountId: orgAccounts.second,
      arn: `arn:aws:ec2:${EAST}:${orgAccounts.second}:launch-template/${world.templateId}`,
      detail: expect.stringContaining("version 1"),
    });
    expect(pinned?.reportAgeDays).toBeGreaterThan(3);
    expect(evidence.get(`${EAST}/${world.unused}`)?.blocking).toEqual([]);
  });
});
