import { fastRetryStrategy, SimulatedOrganization } from "@ami-lifecycle/simulated-account";
import {
  CreateImageUsageReportCommand,
  type CreateImageUsageReportRequest,
  DescribeImageUsageReportEntriesCommand,
  DescribeImageUsageReportsCommand,
  EC2Client,
  ModifyImageAttributeCommand,
} from "@aws-sdk/client-ec2";
import { describe, expect, it } from "vitest";
import { pinOldTemplateVersion } from "../../support/pinned-template";
import { EAST, failure, WEST } from "./helpers";

const OWNER = "111122223333";
const CONSUMER = "222200000002";
const HOUR = 60 * 60 * 1000;
const DAY = 24 * HOUR;

/** An owner and one consumer; images `a` and `b` shared with the organization. */
async function setupShared() {
  const org = new SimulatedOrganization({
    managementAccountId: OWNER,
    regions: [EAST, WEST],
    organizationalUnits: [{ name: "workloads", accounts: [{ id: CONSUMER }] }],
  });
  const owner = org.client(EC2Client, EAST, { config: { retryStrategy: fastRetryStrategy(1) } });
  const a = org.account(OWNER).seedImage(EAST, { name: "golden-a" });
  const b = org.account(OWNER).seedImage(EAST, { name: "golden-b" });
  for (const imageId of [a, b])
    await owner.send(
      new ModifyImageAttributeCommand({
        ImageId: imageId,
        LaunchPermission: { Add: [{ OrganizationArn: org.organizationArn }] },
      }),
    );
  return { org, owner, a, b };
}

/** Creates a report, lets it become available (1 h) and returns its entries as [account, type, count]. */
async function reportEntries(
  org: SimulatedOrganization,
  owner: EC2Client,
  input: CreateImageUsageReportRequest,
): Promise<[string | undefined, string | undefined, number | undefined][]> {
  const { ReportId } = await owner.send(new CreateImageUsageReportCommand(input));
  org.advance(HOUR);
  const { ImageUsageReportEntries = [] } = await owner.send(
    new DescribeImageUsageReportEntriesCommand({ ReportIds: [String(ReportId)] }),
  );
  return ImageUsageReportEntries.map((entry) => [entry.AccountId, entry.ResourceType, entry.UsageCount]);
}

const templatesAtDepth = (depth: number): CreateImageUsageReportRequest["ResourceTypes"] => [
  {
    ResourceType: "ec2:LaunchTemplate",
    ResourceTypeOptions: [{ OptionName: "version-depth", OptionValues: [String(depth)] }],
  },
];

// EC2 User Guide, "View your AMI usage": a report checks "The resource types to check (EC2 instances,
// launch templates, or both)" and "For launch templates, the number of versions to check (defaults to
// the 20 most recent versions)"; "if an AMI is referenced in multiple versions of a launch template,
// the count is only 1"; "launch template activity from the past few days might not appear in the report".
describe("simulated AMI usage report scope (EC2 User Guide: View your AMI usage)", () => {
  it("counts the template whose old version a consumer's Auto Scaling group pins, once made past the lag, not within it", async () => {
    // Prepare: version 1 launches a, version 2 (default, latest) launches b; the group pins version 1.
    const { org, owner, a, b } = await setupShared();
    await pinOldTemplateVersion(org, CONSUMER, EAST, a, [b]);
    const request = { ImageId: a, ResourceTypes: templatesAtDepth(20) };

    // Act
    const withinLag = await reportEntries(org, owner, request);
    org.advance(3 * DAY);
    const pastLag = await reportEntries(org, owner, request);

    // Assess: not the default version alone; the group itself is no resource type of the report.
    expect(withinLag).toEqual([]);
    expect(pastLag).toEqual([[CONSUMER, "ec2:LaunchTemplate", 1]]);
  });

  it("counts a template once however many of its versions use the image, and only within the version depth", async () => {
    // Prepare: versions 1 and 2 launch a, versions 3 and 4 launch b.
    const { org, owner, a, b } = await setupShared();
    const templateId = org.createLaunchTemplate(CONSUMER, EAST, "web", a);
    org.addLaunchTemplateVersion(CONSUMER, EAST, templateId, a);
    org.addLaunchTemplateVersion(CONSUMER, EAST, templateId, b);
    org.addLaunchTemplateVersion(CONSUMER, EAST, templateId, b, { makeDefault: true });
    org.advance(4 * DAY);

    // Act
    const deepEnough = await reportEntries(org, owner, { ImageId: a, ResourceTypes: templatesAtDepth(3) });
    const tooShallow = await reportEntries(org, owner, { ImageId: a, ResourceTypes: templatesAtDepth(2) });
    const byDefault = await reportEntries(org, owner, {
      ImageId: a,
      ResourceTypes: [{ ResourceType: "ec2:LaunchTemplate" }],
    });

    // Assess: the newest 3 include version 2 (counted once, not twice); the newest 2 are b's only.
    expect(deepEnough).toEqual([[CONSUMER, "ec2:LaunchTemplate", 1]]);
    expect(tooShallow).toEqual([]);
    expect(byDefault).toEqual([[CONSUMER, "ec2:LaunchTemplate", 1]]);
  });

  it("counts the consumers' Image Builder recipes when asked (SDK model: imagebuilder:ImageRecipe | imagebuilder:ContainerRecipe)", async () => {
    // Prepare
    const { org, owner, a } = await setupShared();
    org.account(CONSUMER).addImageRecipe(EAST, "web", a, "image");
    org.account(CONSUMER).addImageRecipe(EAST, "api", a, "image");
    org.account(CONSUMER).addImageRecipe(EAST, "sidecar", a, "container");

    // Act
    const entries = await reportEntries(org, owner, {
      ImageId: a,
      ResourceTypes: [
        { ResourceType: "imagebuilder:ImageRecipe" },
        { ResourceType: "imagebuilder:ContainerRecipe" },
      ],
    });

    // Assess
    expect(entries).toEqual([
      [CONSUMER, "imagebuilder:ImageRecipe", 2],
      [CONSUMER, "imagebuilder:ContainerRecipe", 1],
    ]);
  });

  it("refuses a resource type the report does not have, such as an Auto Scaling group, creating nothing", async () => {
    // Prepare
    const { owner, a } = await setupShared();

    // Act
    const refused = await failure(
      owner.send(
        new CreateImageUsageReportCommand({
          ImageId: a,
          ResourceTypes: [{ ResourceType: "autoscaling:AutoScalingGroup" }],
        }),
      ),
    );
    const { ImageUsageReports } = await owner.send(new DescribeImageUsageReportsCommand({ ImageIds: [a] }));

    // Assess
    expect(refused.name).toBe("InvalidParameterValue");
    expect(refused.message).toContain("autoscaling:AutoScalingGroup");
    expect(ImageUsageReports).toEqual([]);
  });
});
