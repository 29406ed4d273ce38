import { createRuntime, Ec2RestoreService, ec2RestoreService, type RuntimeOptions } from "@ami-lifecycle/aws";
import { parseConfig, RestoreUnavailableError, restoreDependencies } from "@ami-lifecycle/core";
import { afterEach, describe, expect, it } from "vitest";

const options: RuntimeOptions = {
  config: parseConfig({
    accounts: ["111122223333"],
    homeRegion: "eu-west-1",
    regions: ["eu-west-1"],
    families: [{ name: "web", team: "platform", match: { namePattern: "web-*" } }],
  }),
  registryTableName: "registry",
  idempotencyTableName: "idempotency",
  topicArn: "arn:aws:sns:eu-west-1:111122223333:ami-lifecycle",
};

describe("createRuntime's restore port", () => {
  const built: { destroy(): void }[] = [];
  afterEach(() => {
    for (const runtime of built.splice(0)) runtime.destroy();
  });

  it("refuses a restore in a runtime built without the restore adapter (every deployed handler but the restore)", () => {
    // Prepare
    const runtime = createRuntime(options);
    built.push(runtime);
    // Act / Assess
    expect(() => restoreDependencies(runtime.reactions)).toThrow(RestoreUnavailableError);
  });

  it("hands the restore the EC2 restore adapter of a runtime built with it", () => {
    // Prepare
    const runtime = createRuntime({ ...options, restore: ec2RestoreService });
    built.push(runtime);
    // Act
    const deps = restoreDependencies(runtime.reactions);
    // Assess
    expect(deps.restore).toBeInstanceOf(Ec2RestoreService);
  });
});
