import { fastRetryStrategy, SimulatedOrganization } from "@ami-lifecycle/simulated-account";
import {
  AttachImageWatermarkCommand,
  CopyImageCommand,
  CreateImageUsageReportCommand,
  DeleteImageUsageReportCommand,
  DescribeImageReferencesCommand,
  DescribeImagesCommand,
  DescribeImageUsageReportEntriesCommand,
  DescribeImageUsageReportsCommand,
  DescribeInstancesCommand,
  EC2Client,
  ModifyImageAttributeCommand,
} from "@aws-sdk/client-ec2";
import {
  ListAccountsCommand,
  ListAccountsForParentCommand,
  ListChildrenCommand,
  ListOrganizationalUnitsForParentCommand,
  OrganizationsClient,
} from "@aws-sdk/client-organizations";
import { AssumeRoleCommand, STSClient } from "@aws-sdk/client-sts";
import { describe, expect, it } from "vitest";
import { EAST, failure, WEST } from "./helpers";

const OWNER = "111122223333";
const CONSUMER_1 = "222200000001";
const CONSUMER_2 = "222200000002";
const CONSUMER_3 = "222200000003";
const HOUR = 60 * 60 * 1000;
const DAY = 24 * HOUR;
const config = { retryStrategy: fastRetryStrategy(1) };
const trustOwner = {
  Statement: [
    {
      Effect: "Allow",
      Action: "sts:AssumeRole",
      Principal: { AWS: `arn:aws:iam::${OWNER}:root` },
      Condition: { StringEquals: { "sts:ExternalId": "sweep" } },
    },
  ],
};

/** An owner (the management account) and three consumers in two OUs; consumers 1 and 2 have the probe role. */
function setupOrganization() {
  const org = new SimulatedOrganization({
    managementAccountId: OWNER,
    regions: [EAST, WEST],
    organizationalUnits: [
      { name: "workloads", accounts: [{ id: CONSUMER_1 }, { id: CONSUMER_2 }] },
      { name: "sandbox", accounts: [{ id: CONSUMER_3 }] },
    ],
  });
  org.createRole(CONSUMER_1, "ami-lifecycle-probe", { trustPolicy: trustOwner });
  org.createRole(CONSUMER_2, "ami-lifecycle-probe", { trustPolicy: trustOwner });
  const owner = org.client(EC2Client, EAST, { config });
  const sts = org.client(STSClient, EAST, { config });
  const image = org.account(OWNER).seedImage(EAST, { name: "golden-1", tags: { team: "platform" } });
  return { org, owner, sts, image };
}

/** An EC2 client in the consumer, from credentials of the probe role assumed by the owner. */
async function consumerEc2(org: SimulatedOrganization, sts: STSClient, accountId: string, region = EAST) {
  const { Credentials } = await sts.send(
    new AssumeRoleCommand({
      RoleArn: `arn:aws:iam::${accountId}:role/ami-lifecycle-probe`,
      RoleSessionName: "sweep",
      ExternalId: "sweep",
    }),
  );
  const credentials = {
    accessKeyId: String(Credentials?.AccessKeyId),
    secretAccessKey: String(Credentials?.SecretAccessKey),
    sessionToken: String(Credentials?.SessionToken),
  };
  return org.attach(new EC2Client({ region, credentials, ...config }));
}

async function shareWith(owner: EC2Client, imageId: string, permission: object) {
  await owner.send(
    new ModifyImageAttributeCommand({ ImageId: imageId, LaunchPermission: { Add: [permission] } }),
  );
}

describe("simulated organization: accounts, shared images, STS and Organizations", () => {
  it("shows an image in a consumer only once it is shared with the account, its OU or the organization, and never its tags", async () => {
    // Prepare
    const { org, owner, sts, image } = setupOrganization();
    const consumer = await consumerEc2(org, sts, CONSUMER_1);
    // Act
    const before = await consumer.send(new DescribeImagesCommand({}));
    await shareWith(owner, image, { OrganizationalUnitArn: org.ou("workloads").arn });
    const after = await consumer.send(new DescribeImagesCommand({ ImageIds: [image] }));
    const self = await consumer.send(new DescribeImagesCommand({ Owners: ["self"] }));
    // Assess
    expect(before.Images).toEqual([]);
    expect(after.Images?.map((shown) => [shown.ImageId, shown.OwnerId, shown.Tags])).toEqual([
      [image, OWNER, undefined],
    ]);
    expect(self.Images).toEqual([]);
  });

  it("lets a consumer launch from or template a shared image only while it is shared with it", async () => {
    // Prepare
    const { org, owner, image } = setupOrganization();
    // Act
    const unshared = (() => {
      try {
        org.createLaunchTemplate(CONSUMER_3, EAST, "web", image);
      } catch (error) {
        return error as Error;
      }
      return undefined;
    })();
    await shareWith(owner, image, { OrganizationArn: org.organizationArn });
    const templateId = org.createLaunchTemplate(CONSUMER_3, EAST, "web", image);
    const instanceId = org.runInstance(CONSUMER_3, EAST, image);
    // Assess
    expect(unshared?.name).toBe("InvalidAMIID.NotFound");
    expect(templateId).toMatch(/^lt-/);
    expect(instanceId).toMatch(/^i-/);
  });

  it("gives AssumeRole credentials that talk to the role's account, and AccessDenied when the role is missing or does not trust the caller", async () => {
    // Prepare
    const { org, owner, sts, image } = setupOrganization();
    await shareWith(owner, image, { UserId: CONSUMER_1 });
    const consumerInstance = org.runInstance(CONSUMER_1, EAST, image);
    org.runInstance(OWNER, EAST, image);
    // Act
    const consumer = await consumerEc2(org, sts, CONSUMER_1);
    const seen = await consumer.send(new DescribeInstancesCommand({}));
    const missing = await failure(consumerEc2(org, sts, CONSUMER_3));
    const wrongExternalId = await failure(
      sts.send(
        new AssumeRoleCommand({
          RoleArn: `arn:aws:iam::${CONSUMER_1}:role/ami-lifecycle-probe`,
          RoleSessionName: "sweep",
          ExternalId: "guess",
        }),
      ),
    );
    // Assess
    expect(seen.Reservations?.flatMap((r) => r.Instances?.map((i) => i.InstanceId))).toEqual([
      consumerInstance,
    ]);
    expect(seen.Reservations?.[0]?.OwnerId).toBe(CONSUMER_1);
    expect([missing.name, missing.$metadata?.httpStatusCode]).toEqual(["AccessDenied", 403]);
    expect(missing.message).toContain(`arn:aws:iam::${CONSUMER_3}:role/ami-lifecycle-probe`);
    expect(wrongExternalId.name).toBe("AccessDenied");
  });

  it("lists accounts and OUs from the management account or a delegated administrator only", async () => {
    // Prepare
    const { org } = setupOrganization();
    const management = org.client(OrganizationsClient, EAST, { config });
    const member = org.client(OrganizationsClient, EAST, { accountId: CONSUMER_1, config });
    const roots = await management.send(
      new ListChildrenCommand({ ParentId: org.rootId, ChildType: "ORGANIZATIONAL_UNIT" }),
    );
    // Act
    const units = await management.send(
      new ListOrganizationalUnitsForParentCommand({ ParentId: org.rootId }),
    );
    const inWorkloads = await management.send(
      new ListAccountsForParentCommand({ ParentId: org.ou("workloads").id }),
    );
    const all = await management.send(new ListAccountsCommand({}));
    const refused = await failure(member.send(new ListAccountsCommand({})));
    org.delegateAdministrator(CONSUMER_1);
    const delegated = await member.send(new ListAccountsCommand({}));
    // Assess
    expect(roots.Children?.map((child) => child.Id)).toEqual([org.ou("workloads").id, org.ou("sandbox").id]);
    expect(units.OrganizationalUnits?.map((unit) => unit.Name)).toEqual(["workloads", "sandbox"]);
    expect(inWorkloads.Accounts?.map((account) => account.Id)).toEqual([CONSUMER_1, CONSUMER_2]);
    expect(all.Accounts?.map((account) => account.Id)).toEqual([OWNER, CONSUMER_1, CONSUMER_2, CONSUMER_3]);
    expect(refused.name).toBe("AccessDeniedException");
    expect(delegated.Accounts).toHaveLength(4);
  });

  it("finds the consumer's own references to a shared image with DescribeImageReferences run in the consumer", async () => {
    // Prepare
    const { org, owner, sts, image } = setupOrganization();
    await shareWith(owner, image, { UserId: CONSUMER_2 });
    const templateId = org.createLaunchTemplate(CONSUMER_2, EAST, "web", image);
    const instanceId = org.runInstance(CONSUMER_2, EAST, image);
    org.runInstance(OWNER, EAST, image);
    const consumer = await consumerEc2(org, sts, CONSUMER_2);
    // Act
    const { ImageReferences } = await consumer.send(
      new DescribeImageReferencesCommand({ ImageIds: [image], IncludeAllResourceTypes: true }),
    );
    // Assess
    expect(ImageReferences?.map((reference) => reference.Arn)).toEqual([
      `arn:aws:ec2:${EAST}:${CONSUMER_2}:instance/${instanceId}`,
      `arn:aws:ec2:${EAST}:${CONSUMER_2}:launch-template/${templateId}`,
    ]);
  });
});

describe("simulated AMI usage reports (EC2 API reference: CreateImageUsageReport, DescribeImageUsageReports)", () => {
  it("is pending, then available with the consumers' usage older than the lag, and expires after 30 days", async () => {
    // Prepare
    const { org, owner, image } = setupOrganization();
    await shareWith(owner, image, { OrganizationArn: org.organizationArn });
    org.runInstance(CONSUMER_1, EAST, image);
    org.createLaunchTemplate(CONSUMER_2, EAST, "old", image);
    org.advance(4 * DAY);
    org.runInstance(CONSUMER_1, EAST, image); // within the 24 h instance lag
    org.createLaunchTemplate(CONSUMER_3, EAST, "new", image); // within the 3-day template lag
    // Act
    const { ReportId } = await owner.send(
      new CreateImageUsageReportCommand({
        ImageId: image,
        ResourceTypes: [
          { ResourceType: "ec2:Instance" },
          {
            ResourceType: "ec2:LaunchTemplate",
            ResourceTypeOptions: [{ OptionName: "version-depth", OptionValues: ["10000"] }],
          },
        ],
        ClientToken: "report-1",
      }),
    );
    const pending = await owner.send(new DescribeImageUsageReportsCommand({ ImageIds: [image] }));
    const earlyEntries = await owner.send(
      new DescribeImageUsageReportEntriesCommand({ ReportIds: [String(ReportId)] }),
    );
    org.advance(HOUR);
    const available = await owner.send(
      new DescribeImageUsageReportsCommand({ ReportIds: [String(ReportId)] }),
    );
    const { ImageUsageReportEntries } = await owner.send(
      new DescribeImageUsageReportEntriesCommand({ ReportIds: [String(ReportId)] }),
    );
    org.advance(30 * DAY);
    const expired = await owner.send(new DescribeImageUsageReportsCommand({ ImageIds: [image] }));
    // Assess
    expect(pending.ImageUsageReports?.map((report) => report.State)).toEqual(["pending"]);
    expect(earlyEntries.ImageUsageReportEntries).toEqual([]);
    const report = available.ImageUsageReports?.[0];
    expect(report?.State).toBe("available");
    expect(Number(report?.ExpirationTime) - Number(report?.CreationTime)).toBe(30 * DAY);
    expect(
      ImageUsageReportEntries?.map((entry) => [entry.AccountId, entry.ResourceType, entry.UsageCount]),
    ).toEqual([
      [CONSUMER_1, "ec2:Instance", 1],
      [CONSUMER_2, "ec2:LaunchTemplate", 1],
    ]);
    expect(expired.ImageUsageReports).toEqual([]);
  });

  it("returns the same report for a repeated ClientToken, refuses it with other parameters, deletes, and is owner-only", async () => {
    // Prepare
    const { org, owner, sts, image } = setupOrganization();
    await shareWith(owner, image, { UserId: CONSUMER_1 });
    const request = { ImageId: image, ResourceTypes: [{ ResourceType: "ec2:Instance" }], ClientToken: "t" };
    const consumer = await consumerEc2(org, sts, CONSUMER_1);
    // Act
    const first = await owner.send(new CreateImageUsageReportCommand(request));
    const again = await owner.send(new CreateImageUsageReportCommand(request));
    const mismatch = await failure(
      owner.send(new CreateImageUsageReportCommand({ ...request, AccountIds: [CONSUMER_1] })),
    );
    const inConsumer = await failure(
      consumer.send(new CreateImageUsageReportCommand({ ...request, ClientToken: "c" })),
    );
    await owner.send(new DeleteImageUsageReportCommand({ ReportId: first.ReportId }));
    const afterDelete = await owner.send(new DescribeImageUsageReportsCommand({}));
    // Assess
    expect(again.ReportId).toBe(first.ReportId);
    expect(mismatch.name).toBe("IdempotentParameterMismatch");
    expect(inConsumer.name).toBe("InvalidAMIID.NotFound");
    expect(afterDelete.ImageUsageReports).toEqual([]);
  });
});

describe("simulated image watermarks (EC2 API reference: AttachImageWatermark)", () => {
  it("is visible to consumers through the image-watermark filter, carried to copies, at most 5, and blocks public sharing", async () => {
    // Prepare
    const { org, owner, sts, image } = setupOrganization();
    await shareWith(owner, image, { UserId: CONSUMER_1 });
    const west = org.client(EC2Client, WEST, { config });
    // Act
    const { WatermarkKey } = await owner.send(
      new AttachImageWatermarkCommand({ ImageId: image, WatermarkName: "family-web" }),
    );
    const consumer = await consumerEc2(org, sts, CONSUMER_1);
    const seen = await consumer.send(
      new DescribeImagesCommand({
        Filters: [{ Name: "image-watermark.watermark-key", Values: [`${OWNER}:family-web`] }],
      }),
    );
    const { ImageId: copyId } = await west.send(
      new CopyImageCommand({ Name: "golden-1-copy", SourceImageId: image, SourceRegion: EAST }),
    );
    org.advance(HOUR);
    const copy = org.account(OWNER).image(WEST, String(copyId));
    for (const name of ["two", "three", "four", "five"]) {
      await owner.send(new AttachImageWatermarkCommand({ ImageId: image, WatermarkName: name }));
    }
    const sixth = await failure(
      owner.send(new AttachImageWatermarkCommand({ ImageId: image, WatermarkName: "six" })),
    );
    const makePublic = await failure(shareWith(owner, image, { Group: "all" }));
    // Assess
    expect(WatermarkKey).toBe(`${OWNER}:family-web`);
    expect(
      seen.Images?.map((shown) => [shown.ImageId, shown.ImageWatermarks?.map((mark) => mark.WatermarkKey)]),
    ).toEqual([[image, [`${OWNER}:family-web`]]]);
    expect(copy?.ImageWatermarks?.map((mark) => [mark.WatermarkKey, mark.SourceImageId])).toEqual([
      [`${OWNER}:family-web`, image],
    ]);
    expect(sixth.name).toBe("ResourceLimitExceeded");
    expect(makePublic.name).toBe("OperationNotPermitted");
  });

  it("carries the owner's watermark to a consumer's own copy of a shared image, which the consumer finds by the filter", async () => {
    // Prepare
    const { org, owner, sts, image } = setupOrganization();
    await shareWith(owner, image, { UserId: CONSUMER_1 });
    await owner.send(new AttachImageWatermarkCommand({ ImageId: image, WatermarkName: "family-web" }));
    const consumer = await consumerEc2(org, sts, CONSUMER_1);
    // Act
    const { ImageId: copyId } = await consumer.send(
      new CopyImageCommand({
        Name: "my-copy",
        SourceImageId: image,
        SourceRegion: EAST,
        CopyImageTags: true,
      }),
    );
    org.advance(HOUR);
    const found = await consumer.send(
      new DescribeImagesCommand({
        Owners: ["self"],
        Filters: [{ Name: "image-watermark.watermark-key", Values: [`${OWNER}:family-web`] }],
      }),
    );
    // Assess
    expect(
      found.Images?.map((shown) => [shown.ImageId, shown.OwnerId, shown.SourceImageId, shown.Tags]),
    ).toEqual([[copyId, CONSUMER_1, image, undefined]]);
  });
});
