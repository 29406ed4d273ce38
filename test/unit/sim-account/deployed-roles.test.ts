import { parseConfig, type RenderedPolicy } from "@ami-lifecycle/core";
import { governDeployedRoles, handlerPrincipalArn, SimulatedAccount } from "@ami-lifecycle/simulated-account";
import { describe, expect, it } from "vitest";

const EAST = "us-east-1";
const WEST = "eu-west-1";
const resources = {
  topicArn: `arn:aws:sns:${EAST}:111122223333:ami-lifecycle-local-Notifications`,
  securityTopicArn: `arn:aws:sns:${EAST}:111122223333:ami-lifecycle-local-Security`,
  registryTable: "ami-lifecycle-local-Registry",
  idempotencyTable: "ami-lifecycle-local-Idempotency",
};
const config = parseConfig({
  accounts: ["111122223333"],
  homeRegion: EAST,
  regions: [EAST, WEST],
  families: [
    {
      name: "web",
      team: "platform",
      match: { namePattern: "web-*" },
      copyTo: [{ region: WEST, kmsKeyId: "alias/ami-lifecycle" }],
    },
  ],
});
const describeImages = { action: "ec2:DescribeImages", resource: "*", context: {} };

describe("governDeployedRoles", () => {
  it("renders a role's policies once, and again only when the permission context changes", async () => {
    // Prepare
    const account = new SimulatedAccount({ regions: [EAST, WEST], accountId: "111122223333" });
    const renders: string[] = [];
    governDeployedRoles(config, account, resources, ["retention-sweep"], (principal, policies) => {
      renders.push(principal);
      return policies as RenderedPolicy[];
    });
    const principalArn = handlerPrincipalArn(account.accountId, "retention-sweep");

    // Act: many calls, then the copy key the config names appears (its ARN enters the context)
    for (let call = 0; call < 5; call++) await account.iam.authorize(principalArn, [describeImages]);
    const rendersBeforeKey = renders.length;
    account.createKey(WEST, { alias: "alias/ami-lifecycle" });
    await account.iam.authorize(principalArn, [describeImages]);

    // Assess
    expect(rendersBeforeKey).toBe(1);
    expect(renders).toEqual(["retention-sweep", "retention-sweep"]);
    expect(account.iam.takeDenials()).toEqual([]);
  });
});
