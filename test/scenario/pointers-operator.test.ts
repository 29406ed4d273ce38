import { promote, rollback } from "@ami-lifecycle/core";
import { DescribeImagesCommand, EC2Client } from "@aws-sdk/client-ec2";
import { afterEach, describe, expect, inject, it } from "vitest";
import { pointerDependenciesOf } from "../../packages/cli/src/targets/pointer-dependencies";
import { localDeploymentTarget } from "../../packages/cli/src/targets/service-target";
import { PointerWorld, pointerFamily } from "../support/pointer-world";

/** An unrelated person who reads what EC2 enforces (not one of the service's roles). */
const person = "arn:aws:sts::111122223333:assumed-role/Admin/jane";

describe("the CLI's rollback and promote (operator credentials, IAM evaluated)", () => {
  let world: PointerWorld;
  afterEach(() => world.stop());

  const protectionOf = async (region: string, imageId: string | undefined) => {
    const ec2 = world.account.client(EC2Client, region, { principalArn: person });
    const { Images } = await ec2.send(
      new DescribeImagesCommand({ ImageIds: [imageId ?? ""], IncludeDisabled: true }),
    );
    ec2.destroy();
    return Images?.[0]?.DeregistrationProtection;
  };
  const operatorDeps = () =>
    pointerDependenciesOf(localDeploymentTarget(world.deployment, { label: "local", close: async () => {} }));

  it("protects the version a rollback points at and lifts the protection of the one it left", async () => {
    // Prepare: v1 then v2 built; v2 is latest and protected everywhere
    world = await PointerWorld.start(inject("dynamoEndpoint"));
    await world.buildVersions(2);
    world.account.iam.takeDenials();

    // Act
    await rollback(operatorDeps(), pointerFamily);

    // Assess
    for (const region of ["us-east-1", "eu-west-1", "ap-southeast-2"]) {
      expect(await protectionOf(region, await world.imageOf(1, region))).toBe("enabled");
      expect(await protectionOf(region, await world.imageOf(2, region))).toBe("disabled");
    }
    expect(world.account.iam.takeDenials()).toEqual([]);
  });

  it("protects the version a promote points a pinned channel at", async () => {
    // Prepare: v1 then v2 built; v1 named by no pointer
    world = await PointerWorld.start(inject("dynamoEndpoint"));
    await world.buildVersions(2);
    world.account.iam.takeDenials();

    // Act
    await promote(operatorDeps(), pointerFamily, "stable", 1);

    // Assess
    expect(await protectionOf("eu-west-1", await world.imageOf(1, "eu-west-1"))).toBe("enabled");
    expect(world.account.iam.takeDenials()).toEqual([]);
  });
});
