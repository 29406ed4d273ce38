import { type EventDependencies, reactToImageStateChange, silentLog } from "@ami-lifecycle/core";
import type { LocalDeployment } from "@ami-lifecycle/simulated-account";
import { CreateImageCommand, EC2Client } from "@aws-sdk/client-ec2";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import {
  DryRunImages,
  DryRunPointers,
  DryRunRegistry,
  DryRunSharing,
  dryRunOutbox,
  type Intent,
} from "../../../packages/cli/src/replay/dry-run-ports";
import { DryRunProtection, DryRunWatermarks } from "../../../packages/cli/src/replay/dry-run-protection";
import { startScenarioDeployment } from "../../support/scenario-config";

const mutatingEc2 = [
  "EnableImageDeregistrationProtection",
  "CreateTags",
  "CopyImage",
  "EnableImageDeprecation",
  "DisableImage",
  "DeregisterImage",
  "DeleteSnapshot",
];

describe("dry-run replay ports", () => {
  let deployment: LocalDeployment;

  beforeAll(async () => {
    deployment = await startScenarioDeployment(inject("dynamoEndpoint"));
  });
  afterAll(() => deployment.stop());

  it("report what the reactions would do to a real image while writing nothing anywhere", async () => {
    // Prepare: a build that finished while the service was not listening
    const { account, runtime } = deployment;
    const base = account.seedImage("us-east-1", { name: "amzn2023-base" });
    const pipeline = account.client(EC2Client, "us-east-1");
    const { ImageId } = await pipeline.send(
      new CreateImageCommand({
        InstanceId: account.runInstance("us-east-1", base),
        Name: "base-al2023-2026.11.21",
      }),
    );
    account.advance(10 * 60_000);
    account.drainEvents();
    account.resetCallCounts();
    const intents: Intent[] = [];
    const deps: EventDependencies = {
      config: runtime.config,
      images: new DryRunImages(runtime.reactions.images, intents),
      registry: new DryRunRegistry(runtime.reactions.registry, intents),
      pointers: new DryRunPointers(runtime.reactions.pointers, intents),
      sharing: new DryRunSharing(runtime.reactions.sharing, intents),
      protection: new DryRunProtection(intents),
      watermarks: new DryRunWatermarks(intents, "111122223333"),
      ...dryRunOutbox(intents),
      clock: account.clock,
      log: silentLog,
    };

    // Act
    const outcome = await reactToImageStateChange(deps, {
      eventId: "replayed-1",
      region: "us-east-1",
      accountId: "111122223333",
      imageId: ImageId ?? "",
      state: "available",
      time: account.clock.now().toISOString(),
    });

    // Assess: the intents name the version, the tags, both encrypted copies and the notifications…
    expect(outcome).toMatchObject({ outcome: "recorded", family: "base-al2023", version: 1 });
    expect(intents).toContainEqual(`registry register base-al2023 v1 ← ${ImageId} (us-east-1)`);
    expect(
      intents
        .filter((intent) => intent.startsWith("ec2 CopyImage"))
        .map((intent) => intent.split(" → ")[1]?.split(" ")[0]),
    ).toEqual(["eu-west-1", "ap-southeast-2"]);
    expect(
      intents.filter((intent) => intent.startsWith("sns ")).map((intent) => intent.split(" ")[1]),
    ).toEqual(["registered", "available"]);
    // …and nothing reached EC2's mutating APIs, the registry or SNS.
    const calls = account.callCounts();
    expect(Object.keys(calls).filter((key) => mutatingEc2.includes(key.split(":")[1] ?? ""))).toEqual([]);
    expect(await runtime.reactions.registry.findByImageId(ImageId ?? "")).toBeUndefined();
    expect(account.image("us-east-1", ImageId ?? "")?.Tags ?? []).toEqual([]);
    expect(account.published()).toEqual([]);
  });
});
