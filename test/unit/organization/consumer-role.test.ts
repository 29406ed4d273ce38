import { ImageReferenceFinder } from "@ami-lifecycle/aws";
import {
  ConfigError,
  consumerRoleTargets,
  consumerRoleTemplate,
  organizationReaderTemplate,
  parseConfig,
  sweepTrustFor,
} from "@ami-lifecycle/core";
import { fastRetryStrategy, type SimulatedOrganization } from "@ami-lifecycle/simulated-account";
import { AutoScalingClient } from "@aws-sdk/client-auto-scaling";
import { CreateTagsCommand, DeregisterImageCommand, EC2Client } from "@aws-sdk/client-ec2";
import { ListAccountsCommand, OrganizationsClient } from "@aws-sdk/client-organizations";
import { SSMClient } from "@aws-sdk/client-ssm";
import { AssumeRoleCommand, STSClient } from "@aws-sdk/client-sts";
import { describe, expect, it } from "vitest";
import {
  configFor,
  consumer,
  deployedRole,
  deployedTemplate,
  orgWithConsumer,
  owner,
  region,
  sweepRole,
} from "../../support/consumer-role-world";

const sweepSession = `arn:aws:sts::${owner}:assumed-role/ami-lifecycle-prod-retention-sweep/retention-sweep`;
const retries = { retryStrategy: fastRetryStrategy(1) };

/** Assumes the consumer role as `principalArn`; the session's clients land in the consumer account. */
async function assume(org: SimulatedOrganization, principalArn: string, externalId: string) {
  const sts = org.client(STSClient, region, { principalArn, config: retries });
  const { Credentials } = await sts.send(
    new AssumeRoleCommand({
      RoleArn: `arn:aws:iam::${consumer}:role/ami-lifecycle-consumer`,
      RoleSessionName: "ami-lifecycle-sweep",
      ExternalId: externalId,
    }),
  );
  sts.destroy();
  return {
    accessKeyId: String(Credentials?.AccessKeyId),
    secretAccessKey: String(Credentials?.SecretAccessKey),
    sessionToken: String(Credentials?.SessionToken),
  };
}

describe("consumerRoleTemplate", () => {
  it("lets the sweep's role probe the consumer account and nothing else write there", async () => {
    // Prepare
    const { org } = deployedTemplate(consumerRoleTemplate, consumer);
    const image = org.account(consumer).seedImage(region, { name: "consumer-own" });
    org.runInstance(consumer, region, image);
    org.createLaunchTemplate(consumer, region, "web", image);
    const credentials = await assume(org, sweepSession, "sweep-external-id");
    const client = <C extends { destroy(): void }>(Client: new (config: object) => C) =>
      org.attach(new Client({ region, credentials, ...retries }) as never) as C;
    const ec2 = client(EC2Client);

    // Act
    const finder = new ImageReferenceFinder(
      { ec2: () => ec2, ssm: () => client(SSMClient), autoScaling: () => client(AutoScalingClient) },
      10_000,
    );
    const references = await finder.find(region, [image]);
    const write = await ec2.send(new DeregisterImageCommand({ ImageId: image })).catch((error) => error);
    const tag = await ec2
      .send(new CreateTagsCommand({ Resources: [image], Tags: [{ Key: "k", Value: "v" }] }))
      .catch((error) => error);

    // Assess
    expect(references.map((reference) => reference.arn).join(" ")).toContain(":instance/");
    expect(references.map((reference) => reference.arn).join(" ")).toContain(":launch-template/");
    expect(write).toMatchObject({ name: "UnauthorizedOperation" });
    expect(tag).toMatchObject({ name: "UnauthorizedOperation" });
    expect(
      org
        .account(consumer)
        .iam.takeDenials()
        .map((denial) => denial.action),
    ).toEqual(["ec2:DeregisterImage", "ec2:CreateTags"]);
  });

  it("trusts only the sweep's role, and only with the external id", async () => {
    // Prepare
    const { org, role } = deployedTemplate(consumerRoleTemplate, consumer);
    const otherRole = `arn:aws:sts::${owner}:assumed-role/someone-else/session`;

    // Act
    const allowed = await assume(org, sweepSession, "sweep-external-id");
    const wrongId = await assume(org, sweepSession, "guessed").catch((error) => error);
    const otherCaller = await assume(org, otherRole, "sweep-external-id").catch((error) => error);

    // Assess
    expect(allowed.accessKeyId).toMatch(/^ASIA/);
    expect(wrongId).toMatchObject({ name: "AccessDenied" });
    expect(otherCaller).toMatchObject({ name: "AccessDenied" });
    expect(role.trustPolicy.Statement).toEqual([
      expect.objectContaining({
        Principal: { AWS: [sweepRole] },
        Condition: {
          StringEquals: { "sts:ExternalId": "sweep-external-id", "aws:PrincipalOrgID": org.organizationId },
        },
      }),
    ]);
  });

  it("also trusts the operators' roles organization.operatorRoleArns names (plan --stage), with the same external id", async () => {
    // Prepare
    const org = orgWithConsumer();
    const operatorRole = `arn:aws:iam::${owner}:role/ami-lifecycle-operator`;
    const config = configFor(org, { operatorRoleArns: [operatorRole] });
    const { name, role } = deployedRole(
      consumerRoleTemplate(config, sweepTrustFor(config, [sweepRole])),
      consumer,
    );
    org.createRole(consumer, name, role);
    const operatorSession = `arn:aws:sts::${owner}:assumed-role/ami-lifecycle-operator/cli`;

    // Act
    const allowed = await assume(org, operatorSession, "sweep-external-id");
    const wrongId = await assume(org, operatorSession, "guessed").catch((error) => error);
    const otherCaller = await assume(
      org,
      `arn:aws:sts::${owner}:assumed-role/someone-else/session`,
      "sweep-external-id",
    ).catch((error) => error);

    // Assess
    expect(allowed.accessKeyId).toMatch(/^ASIA/);
    expect(wrongId).toMatchObject({ name: "AccessDenied" });
    expect(otherCaller).toMatchObject({ name: "AccessDenied" });
    expect(role.trustPolicy.Statement).toEqual([
      expect.objectContaining({ Principal: { AWS: [sweepRole, operatorRole] } }),
    ]);
  });

  it("refuses a trust that is the role ARN alone (no external id, no organization shared with)", () => {
    const config = parseConfig({
      accounts: [owner],
      homeRegion: region,
      regions: [region],
      organization: { consumerRoleName: "ami-lifecycle-consumer" },
      families: [
        { name: "web", team: "web", match: { namePattern: "web-*" }, sharing: { accounts: [consumer] } },
      ],
    });
    expect(() => consumerRoleTemplate(config, sweepTrustFor(config, [sweepRole]))).toThrow(ConfigError);
  });

  it("targets the OUs the families share with unless the StackSet names its targets", () => {
    const org = orgWithConsumer();
    expect(consumerRoleTargets(configFor(org))).toEqual([org.ou("workloads").id]);
    const named = configFor(org, { consumerRoleStackSet: { targets: ["r-ab12"] } });
    expect(consumerRoleTargets(named)).toEqual(["r-ab12"]);
  });
});

describe("organizationReaderTemplate", () => {
  it("lets the sweep's role list the organization's accounts from the management account", async () => {
    // Prepare
    const { org, config } = deployedTemplate(organizationReaderTemplate, owner);
    const sts = org.client(STSClient, region, { principalArn: sweepSession, config: retries });
    const { Credentials } = await sts.send(
      new AssumeRoleCommand({
        RoleArn: String(config.organization?.managementRoleArn),
        RoleSessionName: "ami-lifecycle-sweep",
        ExternalId: "sweep-external-id",
      }),
    );
    const organizations = org.attach(
      new OrganizationsClient({
        region,
        credentials: {
          accessKeyId: String(Credentials?.AccessKeyId),
          secretAccessKey: String(Credentials?.SecretAccessKey),
          sessionToken: String(Credentials?.SessionToken),
        },
        ...retries,
      }),
    );

    // Act
    const { Accounts } = await organizations.send(new ListAccountsCommand({}));

    // Assess
    expect(Accounts?.map((account) => account.Id).sort()).toEqual([owner, consumer].sort());
    expect(org.account(owner).iam.takeDenials()).toEqual([]);
  });
});
