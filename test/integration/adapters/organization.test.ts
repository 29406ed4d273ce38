import {
  AssumedRoleSessions,
  ConsumerReferenceProbe,
  Ec2UsageReports,
  Ec2Watermarks,
  OrganizationsDirectory,
} from "@ami-lifecycle/aws";
import { usageReportIsConclusive } from "@ami-lifecycle/core";
import { fastRetryStrategy, SimulatedOrganization } from "@ami-lifecycle/simulated-account";
import { AutoScalingClient } from "@aws-sdk/client-auto-scaling";
import { EC2Client, ModifyImageAttributeCommand } from "@aws-sdk/client-ec2";
import { OrganizationsClient } from "@aws-sdk/client-organizations";
import { SSMClient } from "@aws-sdk/client-ssm";
import { STSClient } from "@aws-sdk/client-sts";
import { describe, expect, it } from "vitest";
import { consumerRolePolicy } from "../../support/organization-world";
import { pinOldTemplateVersion } from "../../support/pinned-template";

const EAST = "us-east-1";
const OWNER = "111122223333";
const CONSUMER_1 = "222200000001";
const CONSUMER_2 = "222200000002";
const CONSUMER_3 = "222200000003";
const ROLE = "ami-lifecycle-consumer-probe";
const HOUR = 60 * 60 * 1000;
const DAY = 24 * HOUR;
const retries = { retryStrategy: fastRetryStrategy(2) };

const trust = {
  Statement: [
    {
      Effect: "Allow",
      Action: "sts:AssumeRole",
      Principal: { AWS: `arn:aws:iam::${OWNER}:root` },
      Condition: { StringEquals: { "sts:ExternalId": "ami-lifecycle" } },
    },
  ],
};

/**
 * The scenario: an owner and three consumers in two OUs, v1 and v2 shared with the organization;
 * consumer 2 pins v1 through an old version of an Auto Scaling group's launch template; consumer 3 has
 * no probe role.
 */
function setup(versionDepth = 10_000) {
  const org = new SimulatedOrganization({
    managementAccountId: OWNER,
    regions: [EAST],
    organizationalUnits: [
      { name: "workloads", accounts: [{ id: CONSUMER_1 }, { id: CONSUMER_2 }] },
      { name: "sandbox", accounts: [{ id: CONSUMER_3 }] },
    ],
  });
  for (const consumer of [CONSUMER_1, CONSUMER_2]) {
    org.createRole(consumer, ROLE, { trustPolicy: trust, policies: [consumerRolePolicy] });
  }
  const owner = org.client(EC2Client, EAST, { config: retries });
  const sessions = new AssumedRoleSessions(() => org.client(STSClient, EAST, { config: retries }), {
    sessionName: "ami-lifecycle-sweep",
    externalId: "ami-lifecycle",
  });
  const probe = new ConsumerReferenceProbe(
    sessions,
    {
      ec2: (region, credentials) => org.attach(new EC2Client({ region, credentials, ...retries })),
      ssm: (region, credentials) => org.attach(new SSMClient({ region, credentials, ...retries })),
      autoScaling: (region, credentials) =>
        org.attach(new AutoScalingClient({ region, credentials, ...retries })),
    },
    { consumerRoleName: ROLE, versionDepth },
  );
  return { org, owner, probe };
}

async function shareWithOrganization(org: SimulatedOrganization, owner: EC2Client, imageId: string) {
  await owner.send(
    new ModifyImageAttributeCommand({
      ImageId: imageId,
      LaunchPermission: { Add: [{ OrganizationArn: org.organizationArn }] },
    }),
  );
}

/** Consumer 2: template version 1 launches v1, version 2 (default and latest) v2; its group pins version 1. */
const pinOldVersion = (org: SimulatedOrganization, v1: string, v2: string) =>
  pinOldTemplateVersion(org, CONSUMER_2, EAST, v1, [v2]);

describe("ConsumerReferenceProbe (assumed read-only role, DescribeImageReferences on shared images)", () => {
  it("finds a consumer's template version an Auto Scaling group pins, through DescribeImageReferences at full depth", async () => {
    // Prepare
    const { org, owner, probe } = setup();
    const v1 = org.account(OWNER).seedImage(EAST, { name: "web-1" });
    const v2 = org.account(OWNER).seedImage(EAST, { name: "web-2" });
    for (const image of [v1, v2]) await shareWithOrganization(org, owner, image);
    const templateId = await pinOldVersion(org, v1, v2);
    // Act
    const result = await probe.probe(CONSUMER_2, EAST, [v1]);
    // Assess
    expect(result.kind).toBe("probed");
    const references = result.kind === "probed" ? result.references : [];
    expect(references.map((reference) => [reference.resourceType, reference.arn])).toEqual([
      ["ec2:LaunchTemplate", `arn:aws:ec2:${EAST}:${CONSUMER_2}:launch-template/${templateId}`],
    ]);
    // Every version of every template is covered, so the groups need no reading (and no fleets are read).
    const calls = org.account(CONSUMER_2).callCounts();
    expect(calls[`${EAST}:DescribeAutoScalingGroups`]).toBeUndefined();
    expect(calls[`${EAST}:DescribeFleets`]).toBeUndefined();
    expect(calls[`${EAST}:DescribeLaunchConfigurations`]).toBe(1);
  });

  it("reads the groups' pins when the version depth is short of the pinned old version", async () => {
    // Prepare: depth 1 sees only the template's newest version (v2); the group pins version 1 (v1).
    const { org, owner, probe } = setup(1);
    const v1 = org.account(OWNER).seedImage(EAST, { name: "web-1" });
    const v2 = org.account(OWNER).seedImage(EAST, { name: "web-2" });
    for (const image of [v1, v2]) await shareWithOrganization(org, owner, image);
    const templateId = await pinOldVersion(org, v1, v2);
    // Act
    const result = await probe.probe(CONSUMER_2, EAST, [v1]);
    // Assess
    const references = result.kind === "probed" ? result.references : [];
    expect(references.map((reference) => reference.resourceType)).toContain("autoscaling:AutoScalingGroup");
    expect(references.every((reference) => reference.imageId === v1)).toBe(true);
    expect(references.map((reference) => reference.detail)).toContain(
      `Auto Scaling group web launches launch template web (${templateId}) version 1`,
    );
  });

  it("answers a typed failure naming the account when its role is missing", async () => {
    // Prepare
    const { org, probe } = setup();
    const v1 = org.account(OWNER).seedImage(EAST, { name: "web-1" });
    // Act
    const result = await probe.probe(CONSUMER_3, EAST, [v1]);
    // Assess
    expect(result).toMatchObject({
      kind: "unreachable",
      accountId: CONSUMER_3,
      region: EAST,
      reason: "role-unavailable",
    });
    expect(result.kind === "unreachable" && result.message).toContain(CONSUMER_3);
  });

  it("answers a typed failure when the consumer throttles past the SDK's retries, and one when a read is denied", async () => {
    // Prepare
    const { org, owner, probe } = setup();
    const v1 = org.account(OWNER).seedImage(EAST, { name: "web-1" });
    await shareWithOrganization(org, owner, v1);
    org.account(CONSUMER_1).setFaults({ throttleRate: 1, only: ["DescribeImageReferences"] });
    org.createRole(CONSUMER_2, ROLE, {
      trustPolicy: trust,
      policies: [
        {
          name: "too-narrow",
          document: {
            Version: "2012-10-17",
            Statement: [{ Effect: "Allow", Action: "autoscaling:Describe*", Resource: "*" }],
          },
        },
      ],
    });
    // Act
    const throttled = await probe.probe(CONSUMER_1, EAST, [v1]);
    const denied = await probe.probe(CONSUMER_2, EAST, [v1]);
    // Assess
    expect(throttled).toMatchObject({ kind: "unreachable", accountId: CONSUMER_1, reason: "throttled" });
    expect(denied).toMatchObject({ kind: "unreachable", accountId: CONSUMER_2, reason: "access-denied" });
    expect(
      org
        .account(CONSUMER_2)
        .iam.takeDenials()
        .map((denial) => denial.action),
    ).toEqual(["ec2:DescribeImageReferences"]);
  });

  it("assumes the role once per account and region, and asks DescribeImageReferences in batches of 10", async () => {
    // Prepare
    const { org, owner, probe } = setup();
    const images: string[] = [];
    for (let n = 1; n <= 12; n += 1) {
      const image = org.account(OWNER).seedImage(EAST, { name: `web-${n}` });
      await shareWithOrganization(org, owner, image);
      images.push(image);
    }
    // Act
    await probe.probe(CONSUMER_1, EAST, images);
    await probe.probe(CONSUMER_1, EAST, images.slice(0, 1));
    // Assess
    expect(org.account(OWNER).callCounts()[`${EAST}:AssumeRole`]).toBe(1);
    expect(org.account(CONSUMER_1).callCounts()[`${EAST}:DescribeImageReferences`]).toBe(3);
  });
});

describe("Ec2UsageReports (AMI usage reports of the owner account)", () => {
  it("creates one report per image, reuses it, reads the consumers' usage once available, and deletes idempotently", async () => {
    // Prepare
    const { org, owner } = setup();
    const reports = new Ec2UsageReports(() => owner, { versionDepth: 10_000, now: () => org.clock.now() });
    const v1 = org.account(OWNER).seedImage(EAST, { name: "web-1" });
    const v2 = org.account(OWNER).seedImage(EAST, { name: "web-2" });
    for (const image of [v1, v2]) await shareWithOrganization(org, owner, image);
    await pinOldVersion(org, v1, v2);
    org.advance(4 * DAY);
    // Act
    const created = await reports.ensureReport(EAST, v1);
    const reused = await reports.ensureReport(EAST, v1);
    org.advance(HOUR);
    const available = await reports.readReport(EAST, created.reportId);
    const entries = await reports.entries(EAST, created.reportId);
    await reports.deleteReport(EAST, created.reportId);
    await reports.deleteReport(EAST, created.reportId);
    const gone = await reports.readReport(EAST, created.reportId);
    // Assess
    expect(created.state).toBe("pending");
    expect(reused.reportId).toBe(created.reportId);
    expect(org.account(OWNER).callCounts()[`${EAST}:CreateImageUsageReport`]).toBe(1);
    expect(available?.state).toBe("available");
    expect(entries).toEqual([{ accountId: CONSUMER_2, resourceType: "ec2:LaunchTemplate", usageCount: 1 }]);
    expect(gone).toBeUndefined();
  });

  it("counts a report showing no use as evidence only once it is older than the lag", async () => {
    // Prepare
    const { org, owner } = setup();
    const reports = new Ec2UsageReports(() => owner, { versionDepth: 10_000, now: () => org.clock.now() });
    const v1 = org.account(OWNER).seedImage(EAST, { name: "web-1" });
    const { reportId } = await reports.ensureReport(EAST, v1);
    // Act
    org.advance(HOUR);
    const fresh = await reports.readReport(EAST, reportId);
    const freshVerdict = fresh && usageReportIsConclusive(fresh, org.clock.now(), 3);
    org.advance(3 * DAY);
    const aged = await reports.readReport(EAST, reportId);
    const agedVerdict = aged && usageReportIsConclusive(aged, org.clock.now(), 3);
    // Assess
    expect([fresh?.state, freshVerdict]).toEqual(["available", false]);
    expect([aged?.state, agedVerdict]).toEqual(["available", true]);
  });
});

describe("OrganizationsDirectory (AWS Organizations from the management account)", () => {
  it("lists the accounts under an OU by ARN, nested OUs included, and every account", async () => {
    // Prepare
    const org = new SimulatedOrganization({
      managementAccountId: OWNER,
      regions: [EAST],
      organizationalUnits: [
        { name: "workloads", accounts: [{ id: CONSUMER_1 }] },
        { name: "prod", parent: "workloads", accounts: [{ id: CONSUMER_2 }] },
        { name: "sandbox", accounts: [{ id: CONSUMER_3 }] },
      ],
    });
    const directory = new OrganizationsDirectory(async () => org.client(OrganizationsClient, EAST));
    // Act
    const workloads = await directory.accountsUnder(org.ou("workloads").arn);
    const all = await directory.allAccounts();
    // Assess
    expect(workloads.kind === "listed" && workloads.accounts.map((a) => a.accountId)).toEqual([
      CONSUMER_1,
      CONSUMER_2,
    ]);
    expect(all.kind === "listed" && all.accounts.map((a) => a.accountId)).toEqual([
      OWNER,
      CONSUMER_1,
      CONSUMER_2,
      CONSUMER_3,
    ]);
  });

  it("answers a typed failure from an account that is neither management nor delegated administrator", async () => {
    // Prepare
    const org = new SimulatedOrganization({
      managementAccountId: OWNER,
      regions: [EAST],
      organizationalUnits: [{ name: "workloads", accounts: [{ id: CONSUMER_1 }] }],
    });
    const directory = new OrganizationsDirectory(async () =>
      org.client(OrganizationsClient, EAST, { accountId: CONSUMER_1 }),
    );
    // Act
    const listing = await directory.allAccounts();
    // Assess
    expect(listing).toMatchObject({ kind: "unlisted", parent: "organization", reason: "access-denied" });
  });
});

describe("Ec2Watermarks", () => {
  it("attaches a watermark once, whatever the retries, and returns its key", async () => {
    // Prepare
    const { org, owner } = setup();
    const watermarks = new Ec2Watermarks(() => owner);
    const v1 = org.account(OWNER).seedImage(EAST, { name: "web-1" });
    // Act
    const first = await watermarks.attach(EAST, v1, "ami-lifecycle-web");
    const again = await watermarks.attach(EAST, v1, "ami-lifecycle-web");
    // Assess
    expect([first, again]).toEqual([`${OWNER}:ami-lifecycle-web`, `${OWNER}:ami-lifecycle-web`]);
    expect(org.account(OWNER).image(EAST, v1)?.ImageWatermarks).toHaveLength(1);
  });
});
