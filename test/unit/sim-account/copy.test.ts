import { CopyImageCommand, DescribeImagesCommand } from "@aws-sdk/client-ec2";
import { describe, expect, it } from "vitest";
import { EAST, failure, MINUTE, setup, WEST } from "./helpers";

describe("simulated CopyImage (EC2 User Guide, copy an AMI; called in the destination region)", () => {
  it("copies encrypted with a destination key, tags image and snapshot atomically and sets lineage", async () => {
    // Prepare
    const { account, west } = setup();
    const source = account.seedImage(EAST, {
      name: "app-1",
      tags: { team: "payments", "aws:ec2launch": "x" },
    });
    const key = account.createKey(WEST, { alias: "ami-lifecycle" });
    // Act
    const { ImageId } = await west.send(
      new CopyImageCommand({
        SourceRegion: EAST,
        SourceImageId: source,
        Name: "app-1",
        Encrypted: true,
        KmsKeyId: `arn:aws:kms:${WEST}:111122223333:alias/ami-lifecycle`,
        CopyImageTags: true,
        TagSpecifications: [
          { ResourceType: "image", Tags: [{ Key: "ami-lifecycle:managed", Value: "true" }] },
          { ResourceType: "snapshot", Tags: [{ Key: "ami-lifecycle:managed", Value: "true" }] },
        ],
      }),
    );
    const pending = await west.send(new DescribeImagesCommand({ ImageIds: [ImageId as string] }));
    account.advance(20 * MINUTE);
    // Assess
    const copy = account.image(WEST, ImageId as string);
    expect(pending.Images?.[0]?.State).toBe("pending");
    expect(pending.Images?.[0]?.Tags).toEqual([
      { Key: "team", Value: "payments" },
      { Key: "ami-lifecycle:managed", Value: "true" },
    ]);
    expect(copy).toMatchObject({ State: "available", SourceImageId: source, SourceImageRegion: EAST });
    expect(copy?.BlockDeviceMappings?.[0]?.Ebs).toMatchObject({ Encrypted: true, KmsKeyId: key });
    const snapshot = account.snapshots(WEST)[0];
    expect(snapshot).toMatchObject({ Encrypted: true, KmsKeyId: key, State: "completed" });
    expect(snapshot?.Tags).toEqual([{ Key: "ami-lifecycle:managed", Value: "true" }]);
  });

  it("accepts the key as key id, key ARN, alias name or alias ARN", async () => {
    // Prepare
    const { account, west } = setup();
    const source = account.seedImage(EAST, { name: "app-1" });
    const keyArn = account.createKey(WEST, { alias: "k" });
    const keyId = keyArn.split("/")[1] as string;
    const references = [keyId, keyArn, "alias/k", `arn:aws:kms:${WEST}:111122223333:alias/k`];
    // Act
    for (const [i, reference] of references.entries()) {
      await west.send(
        new CopyImageCommand({
          SourceRegion: EAST,
          SourceImageId: source,
          Name: `copy-${i}`,
          Encrypted: true,
          KmsKeyId: reference,
        }),
      );
    }
    account.advance(20 * MINUTE);
    // Assess
    expect(account.images(WEST).map((image) => image.State)).toEqual([
      "available",
      "available",
      "available",
      "available",
    ]);
  });

  it("fails asynchronously, not with an API error, when the key is not in the destination region", async () => {
    // Prepare
    const { account, west } = setup();
    const source = account.seedImage(EAST, { name: "app-1" });
    const eastKey = account.createKey(EAST);
    account.drainEvents();
    // Act
    const { ImageId } = await west.send(
      new CopyImageCommand({
        SourceRegion: EAST,
        SourceImageId: source,
        Name: "app-1",
        Encrypted: true,
        KmsKeyId: eastKey,
      }),
    );
    account.advance(20 * MINUTE);
    // Assess
    const events = account.drainEvents();
    const failed = events.find((event) => event["detail-type"] === "EC2 AMI State Change");
    expect(failed).toMatchObject({
      region: WEST,
      detail: {
        ImageId,
        State: "failed",
        ErrorMessage: "The KMS key provided is not in the destination Region.",
      },
    });
    expect(account.image(WEST, ImageId as string)?.StateReason?.Message).toBe(
      "The KMS key provided is not in the destination Region.",
    );
  });

  it("is idempotent per ClientToken and answers IdempotentParameterMismatch when parameters change", async () => {
    // Prepare
    const { account, west } = setup();
    const source = account.seedImage(EAST, { name: "app-1" });
    const request = {
      SourceRegion: EAST,
      SourceImageId: source,
      Name: "app-1",
      ClientToken: `${source}:${WEST}`,
    };
    // Act
    const first = await west.send(new CopyImageCommand(request));
    const again = await west.send(new CopyImageCommand(request));
    const mismatch = await failure(west.send(new CopyImageCommand({ ...request, Name: "other" })));
    // Assess
    expect(again.ImageId).toBe(first.ImageId);
    expect(account.images(WEST)).toHaveLength(1);
    expect(mismatch.name).toBe("IdempotentParameterMismatch");
  });

  it("compares nested parameters too: the same ClientToken with other tags is IdempotentParameterMismatch", async () => {
    // Prepare
    const { account, west } = setup();
    const source = account.seedImage(EAST, { name: "app-1" });
    const tagged = (value: string) => ({
      SourceRegion: EAST,
      SourceImageId: source,
      Name: "app-1",
      ClientToken: `${source}:${WEST}`,
      TagSpecifications: [{ ResourceType: "image" as const, Tags: [{ Key: "team", Value: value }] }],
    });
    await west.send(new CopyImageCommand(tagged("payments")));
    // Act
    const mismatch = await failure(west.send(new CopyImageCommand(tagged("search"))));
    // Assess
    expect(mismatch.name).toBe("IdempotentParameterMismatch");
  });

  it("answers ResourceLimitExceeded past the concurrent-copy quota of the destination region", async () => {
    // Prepare
    const { account, west } = setup({ copyQuota: 2 });
    const source = account.seedImage(EAST, { name: "app-1" });
    const copy = (name: string) =>
      west.send(new CopyImageCommand({ SourceRegion: EAST, SourceImageId: source, Name: name }));
    await copy("copy-1");
    await copy("copy-2");
    // Act
    const limited = await failure(copy("copy-3"));
    account.advance(20 * MINUTE);
    const afterwards = await copy("copy-3");
    // Assess
    expect(limited.name).toBe("ResourceLimitExceeded");
    expect(afterwards.ImageId).toMatch(/^ami-/);
  });

  it("requires an available source: IncorrectState while pending, InvalidAMIID.NotFound when unknown", async () => {
    // Prepare
    const { account, west } = setup();
    const source = account.seedImage(EAST, { name: "app-1" });
    const first = await west.send(
      new CopyImageCommand({ SourceRegion: EAST, SourceImageId: source, Name: "copy-1" }),
    );
    // Act
    const pending = await failure(
      west.send(new CopyImageCommand({ SourceRegion: WEST, SourceImageId: first.ImageId, Name: "copy-2" })),
    );
    const unknown = await failure(
      west.send(
        new CopyImageCommand({ SourceRegion: EAST, SourceImageId: "ami-0123456789abcdef0", Name: "copy-3" }),
      ),
    );
    // Assess
    expect(pending.name).toBe("IncorrectState");
    expect(unknown.name).toBe("InvalidAMIID.NotFound");
  });

  it("emits only the CloudTrail record at first: AWS has no pending state event", async () => {
    // Prepare
    const { account, west } = setup();
    const source = account.seedImage(EAST, { name: "app-1" });
    // Act
    await west.send(new CopyImageCommand({ SourceRegion: EAST, SourceImageId: source, Name: "app-1" }));
    // Assess
    const types = account.drainEvents().map((event) => event["detail-type"]);
    expect(types).toEqual(["AWS API Call via CloudTrail"]);
  });
});
