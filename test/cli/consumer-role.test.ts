import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runCli } from "./support/run-cli";

const sweepRole = "arn:aws:iam::111122223333:role/ami-lifecycle-prod-RetentionSweepRole";
const ou = "arn:aws:organizations::111122223333:ou/o-abcdefghij/ou-ab12-cdefgh34";

/** A config file sharing one family with an OU, with (or without) the organization slice. */
function configFile(organization: boolean): string {
  const path = join(mkdtempSync(join(tmpdir(), "consumer-role-")), "ami-lifecycle.config.json");
  writeFileSync(
    path,
    JSON.stringify({
      accounts: ["111122223333"],
      homeRegion: "eu-west-1",
      regions: ["eu-west-1"],
      ...(organization
        ? {
            organization: {
              consumerRoleName: "ami-lifecycle-consumer",
              externalId: "sweep-external-id",
              managementRoleArn: "arn:aws:iam::111122223333:role/ami-lifecycle-organization-reader",
            },
          }
        : {}),
      families: [
        {
          name: "web",
          team: "web",
          match: { namePattern: "web-*" },
          sharing: { organizationalUnitArns: [ou] },
        },
      ],
    }),
  );
  return path;
}

/** `consumer-role` trusting the sweep role, under the organization config, as JSON (`extra` flags first). */
function templateAsJson(...extra: string[]) {
  return runCli([
    "consumer-role",
    ...extra,
    "--sweep-role-arn",
    sweepRole,
    "--config",
    configFile(true),
    "--output",
    "json",
  ]);
}

describe("ami-lifecycle consumer-role", () => {
  it("prints the consumer role's template trusting the sweep role, and the deploy command on stderr", async () => {
    // Act
    const run = await templateAsJson();

    // Assess
    expect(run.code).toBe(0);
    const template = JSON.parse(run.stdout);
    const role = template.Resources.ConsumerProbeRole;
    expect(role.Type).toBe("AWS::IAM::Role");
    expect(role.Properties.RoleName).toBe("ami-lifecycle-consumer");
    expect(role.Properties.AssumeRolePolicyDocument.Statement[0]).toMatchObject({
      Principal: { AWS: [sweepRole] },
      Condition: {
        StringEquals: { "sts:ExternalId": "sweep-external-id", "aws:PrincipalOrgID": "o-abcdefghij" },
      },
    });
    const actions = role.Properties.Policies[0].PolicyDocument.Statement.flatMap(
      (s: { Action: string[] }) => s.Action,
    );
    expect(actions).toContain("ec2:DescribeImageReferences");
    expect(actions.filter((action: string) => !/:(Describe|Get|List)/.test(action))).toEqual([]);
    expect(run.stderr).toContain(
      "aws cloudformation deploy --template-file ami-lifecycle-consumer-role.json --stack-name ami-lifecycle-consumer-role --capabilities CAPABILITY_NAMED_IAM --region eu-west-1",
    );
  });

  it("prints YAML by default, pseudo parameters under Fn::Sub", async () => {
    const run = await runCli(["consumer-role", "--sweep-role-arn", sweepRole, "--config", configFile(true)]);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('AWSTemplateFormatVersion: "2010-09-09"');
    expect(run.stdout).toContain('RoleName: "ami-lifecycle-consumer"');
    expect(run.stdout).toContain(
      // biome-ignore lint/suspicious/noTemplateCurlyInString: CloudFormation's Fn::Sub syntax.
      '"Fn::Sub": "arn:${AWS::Partition}:ssm:eu-west-1:${AWS::AccountId}:parameter/*"',
    );
  });

  it("prints the organization reader's template with --reader", async () => {
    const run = await templateAsJson("--reader");
    expect(run.code).toBe(0);
    const role = JSON.parse(run.stdout).Resources.OrganizationReaderRole;
    expect(role.Properties.RoleName).toBe("ami-lifecycle-organization-reader");
    expect(role.Properties.Policies[0].PolicyDocument.Statement[0].Action).toContain(
      "organizations:ListAccountsForParent",
    );
  });

  it("names the missing flag, and the missing organization slice, with nothing on stdout", async () => {
    const noFlag = await runCli(["consumer-role", "--config", configFile(true)]);
    expect(noFlag.code).toBe(2);
    expect(noFlag.stderr).toContain("--sweep-role-arn");
    const noSlice = await runCli([
      "consumer-role",
      "--sweep-role-arn",
      sweepRole,
      "--config",
      configFile(false),
    ]);
    expect(noSlice.code).toBe(1);
    expect(noSlice.stderr).toContain("organization");
    expect(noFlag.stdout + noSlice.stdout).toBe("");
  });
});
