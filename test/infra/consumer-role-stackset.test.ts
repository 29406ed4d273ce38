import { parseConfig } from "@ami-lifecycle/core";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import { createConsumerRoleStackSet } from "../../stacks/consumer-role";
import type { Functions } from "../../stacks/functions";

const sweepRoleArn = "arn:aws:iam::111122223333:role/RetentionSweepRole-abc123";
const ou = "arn:aws:organizations::111122223333:ou/o-abcdefghij/ou-ab12-cdefgh34";

/** What each StackSet / StackSetInstance was created with (the Pulumi classes replaced by recorders). */
const created: { type: string; name: string; args: Record<string, unknown>; options?: unknown }[] = [];
const recorder = (type: string) =>
  class {
    readonly name = "ami-lifecycle-test-consumer-role";
    constructor(name: string, args: Record<string, unknown>, options?: unknown) {
      created.push({ type, name, args, options });
    }
  };
const realAws = (globalThis as { aws?: unknown }).aws;
(globalThis as { aws?: unknown }).aws = {
  cloudformation: { StackSet: recorder("StackSet"), StackSetInstance: recorder("StackSetInstance") },
};
afterEach(() => {
  created.length = 0;
});
// Leave the global as other tests in this worker found it.
afterAll(() => {
  (globalThis as { aws?: unknown }).aws = realAws;
});

/** The sweep's role as createFunctions returns it, its ARN an Output resolved at once. */
const functions = {
  handlers: {
    "retention-sweep": { role: { arn: { apply: (map: (arn: string) => unknown) => map(sweepRoleArn) } } },
  },
} as unknown as Functions;

function configWith(organization: Record<string, unknown>) {
  return parseConfig({
    accounts: ["111122223333"],
    homeRegion: "eu-west-1",
    regions: ["eu-west-1", "us-east-1"],
    organization: {
      consumerRoleName: "ami-lifecycle-consumer",
      externalId: "sweep-external-id",
      ...organization,
    },
    families: [
      {
        name: "web",
        team: "web",
        match: { namePattern: "web-*" },
        sharing: { organizationalUnitArns: [ou] },
      },
    ],
  });
}

describe("createConsumerRoleStackSet", () => {
  it("deploys core's consumer role template as a service-managed, auto-deployed StackSet on the shared OUs", () => {
    // Act
    createConsumerRoleStackSet({
      config: configWith({ consumerRoleStackSet: {} }),
      stage: "prod",
      functions,
    });

    // Assess
    const [set, instances] = created;
    expect(set?.type).toBe("StackSet");
    expect(set?.args).toMatchObject({
      permissionModel: "SERVICE_MANAGED",
      autoDeployment: { enabled: true, retainStacksOnAccountRemoval: false },
      callAs: "SELF",
      capabilities: ["CAPABILITY_NAMED_IAM"],
    });
    const template = JSON.parse(String(set?.args.templateBody));
    expect(template.Resources.ConsumerProbeRole.Properties.RoleName).toBe("ami-lifecycle-consumer");
    expect(
      template.Resources.ConsumerProbeRole.Properties.AssumeRolePolicyDocument.Statement[0].Principal,
    ).toEqual({
      AWS: [sweepRoleArn],
    });
    expect(instances?.args).toMatchObject({
      stackSetName: "ami-lifecycle-test-consumer-role",
      callAs: "SELF",
      deploymentTargets: { organizationalUnitIds: ["ou-ab12-cdefgh34"] },
      stackSetInstanceRegion: "eu-west-1",
    });
  });

  it("targets the configured roots as a delegated administrator when told so", () => {
    createConsumerRoleStackSet({
      config: configWith({ consumerRoleStackSet: { targets: ["r-ab12"], callAs: "DELEGATED_ADMIN" } }),
      stage: "prod",
      functions,
    });
    expect(created.map((resource) => resource.args.callAs)).toEqual(["DELEGATED_ADMIN", "DELEGATED_ADMIN"]);
    expect(created[1]?.args.deploymentTargets).toEqual({ organizationalUnitIds: ["r-ab12"] });
  });

  it("creates nothing without organization.consumerRoleStackSet", () => {
    expect(createConsumerRoleStackSet({ config: configWith({}), stage: "prod", functions })).toBeUndefined();
    expect(created).toEqual([]);
  });
});
