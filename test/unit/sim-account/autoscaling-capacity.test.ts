import { fastRetryStrategy } from "@ami-lifecycle/simulated-account";
import {
  AutoScalingClient,
  CreateAutoScalingGroupCommand,
  CreateLaunchConfigurationCommand,
  DescribeAutoScalingGroupsCommand,
  UpdateAutoScalingGroupCommand,
} from "@aws-sdk/client-auto-scaling";
import { describe, expect, it } from "vitest";
import { EAST, failure, setup } from "./helpers";

/** An Auto Scaling client in EAST and two launch configurations ("lc", "other") on one image. */
async function setupGroups() {
  const { account } = setup();
  const autoScaling = account.client(AutoScalingClient, EAST, {
    config: { retryStrategy: fastRetryStrategy(1) },
  });
  const image = account.seedImage(EAST, { name: "app-1" });
  for (const name of ["lc", "other"]) {
    await autoScaling.send(
      new CreateLaunchConfigurationCommand({ LaunchConfigurationName: name, ImageId: image }),
    );
  }
  const create = (name: string, sizes: { MinSize: number; MaxSize: number; DesiredCapacity?: number }) =>
    autoScaling.send(
      new CreateAutoScalingGroupCommand({
        AutoScalingGroupName: name,
        LaunchConfigurationName: "lc",
        ...sizes,
      }),
    );
  const shown = async (name: string) => {
    const { AutoScalingGroups } = await autoScaling.send(
      new DescribeAutoScalingGroupsCommand({ AutoScalingGroupNames: [name] }),
    );
    const group = AutoScalingGroups?.[0];
    return group && [group.MinSize, group.DesiredCapacity, group.MaxSize, group.LaunchConfigurationName];
  };
  return { autoScaling, create, shown };
}

describe("simulated Auto Scaling capacity (API reference: DesiredCapacity 'must be greater than or equal to the minimum size of the group and less than or equal to the maximum size')", () => {
  it("CreateAutoScalingGroup refuses a DesiredCapacity outside [MinSize, MaxSize] and creates nothing", async () => {
    // Prepare
    const { create, shown } = await setupGroups();
    // Act
    const above = await failure(create("above", { MinSize: 1, MaxSize: 3, DesiredCapacity: 4 }));
    const below = await failure(create("below", { MinSize: 1, MaxSize: 3, DesiredCapacity: 0 }));
    await create("defaulted", { MinSize: 2, MaxSize: 3 });
    // Assess
    expect([above.name, below.name]).toEqual(["ValidationError", "ValidationError"]);
    expect(above.message).toMatch(/DesiredCapacity/);
    expect(await shown("above")).toBeUndefined();
    expect(await shown("below")).toBeUndefined();
    expect(await shown("defaulted")).toEqual([2, 2, 3, "lc"]);
  });

  it("UpdateAutoScalingGroup refuses a DesiredCapacity outside the new bounds and changes nothing, launch source included", async () => {
    // Prepare
    const { autoScaling, create, shown } = await setupGroups();
    await create("web", { MinSize: 1, MaxSize: 3, DesiredCapacity: 2 });
    const update = (input: object) =>
      autoScaling.send(new UpdateAutoScalingGroupCommand({ AutoScalingGroupName: "web", ...input }));
    // Act
    const above = await failure(update({ DesiredCapacity: 4, LaunchConfigurationName: "other" }));
    const belowNewMin = await failure(update({ MinSize: 3, DesiredCapacity: 2 }));
    const minOverMax = await failure(update({ MaxSize: 0 }));
    // Assess
    expect([above.name, belowNewMin.name, minOverMax.name]).toEqual([
      "ValidationError",
      "ValidationError",
      "ValidationError",
    ]);
    expect(await shown("web")).toEqual([1, 2, 3, "lc"]);
  });

  it("UpdateAutoScalingGroup moves DesiredCapacity to a new MinSize above it or a new MaxSize below it when none is given", async () => {
    // Prepare
    const { autoScaling, create, shown } = await setupGroups();
    await create("raise", { MinSize: 1, MaxSize: 5, DesiredCapacity: 2 });
    await create("lower", { MinSize: 0, MaxSize: 5, DesiredCapacity: 4 });
    // Act
    await autoScaling.send(new UpdateAutoScalingGroupCommand({ AutoScalingGroupName: "raise", MinSize: 3 }));
    await autoScaling.send(new UpdateAutoScalingGroupCommand({ AutoScalingGroupName: "lower", MaxSize: 2 }));
    // Assess
    expect(await shown("raise")).toEqual([3, 3, 5, "lc"]);
    expect(await shown("lower")).toEqual([0, 2, 2, "lc"]);
  });
});
