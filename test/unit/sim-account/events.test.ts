import { readFileSync } from "node:fs";
import { CopyImageCommand, CreateImageCommand, EC2Client, RegisterImageCommand } from "@aws-sdk/client-ec2";
import { describe, expect, it } from "vitest";
import { EAST, MINUTE, setup, WEST } from "./helpers";

const fixture = (name: string) =>
  JSON.parse(readFileSync(new URL(`../../fixtures/events/${name}.json`, import.meta.url), "utf8")) as Record<
    string,
    unknown
  >;

/** The structure of a JSON value: keys and value types, not the values. */
function shape(value: unknown): unknown {
  if (Array.isArray(value)) return value.length > 0 ? [shape(value[0])] : [];
  if (value !== null && typeof value === "object") {
    return Object.fromEntries(
      Object.entries(value as Record<string, unknown>)
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([key, inner]) => [key, shape(inner)]),
    );
  }
  return typeof value;
}

const principalArn = "arn:aws:sts::111122223333:assumed-role/image-pipeline/packer-build-1842";

describe("simulated events (shapes of test/fixtures/events)", () => {
  it("CreateImage emits a CloudTrail record shaped like the sample, with lowerCamel requestParameters", async () => {
    // Prepare
    const { account } = setup();
    const east = account.client(EC2Client, EAST, { principalArn });
    const instanceId = account.runInstance(EAST, account.seedImage(EAST, { name: "base" }));
    // Act
    const { ImageId } = await east.send(
      new CreateImageCommand({
        InstanceId: instanceId,
        Name: "payments-api-2026.11.20-1842",
        Description: "payments-api build 1842",
        NoReboot: true,
        TagSpecifications: [{ ResourceType: "image", Tags: [{ Key: "team", Value: "payments" }] }],
      }),
    );
    // Assess
    const [event] = account.drainEvents();
    const sample = fixture("cloudtrail-create-image");
    expect(shape(event)).toEqual(shape(sample));
    expect(event?.detail).toMatchObject({
      eventName: "CreateImage",
      awsRegion: EAST,
      responseElements: { imageId: ImageId },
      userIdentity: {
        type: "AssumedRole",
        arn: principalArn,
        accountId: "111122223333",
        sessionContext: { sessionIssuer: { arn: "arn:aws:iam::111122223333:role/image-pipeline" } },
      },
      requestParameters: {
        instanceId,
        name: "payments-api-2026.11.20-1842",
        description: "payments-api build 1842",
        noReboot: true,
        tagSpecificationSet: {
          items: [{ resourceType: "image", tags: [{ key: "team", value: "payments" }] }],
        },
      },
      recipientAccountId: "111122223333",
    });
  });

  it("CopyImage and RegisterImage records match their samples' shapes and land in the region of the call", async () => {
    // Prepare
    const { account, east, west } = setup();
    const source = account.seedImage(EAST, { name: "base" });
    const key = account.createKey(WEST);
    const snapshotId = account.image(EAST, source)?.BlockDeviceMappings?.[0]?.Ebs?.SnapshotId;
    // Act
    await west.send(
      new CopyImageCommand({
        SourceRegion: EAST,
        SourceImageId: source,
        Name: "copy-1",
        Encrypted: true,
        KmsKeyId: key,
        ClientToken: "t-1",
      }),
    );
    await east.send(
      new RegisterImageCommand({
        Name: "registered",
        Architecture: "x86_64",
        RootDeviceName: "/dev/xvda",
        VirtualizationType: "hvm",
        EnaSupport: true,
        BootMode: "uefi-preferred",
        BlockDeviceMappings: [
          {
            DeviceName: "/dev/xvda",
            Ebs: { SnapshotId: snapshotId, VolumeSize: 8, VolumeType: "gp3", DeleteOnTermination: true },
          },
        ],
      }),
    );
    // Assess
    const [copy, register] = account.drainEvents();
    const ignoreIdentity = (event: unknown) => {
      const copied = structuredClone(event) as { detail: Record<string, unknown> };
      copied.detail.userIdentity = {};
      return shape(copied);
    };
    expect(ignoreIdentity(copy)).toEqual(ignoreIdentity(fixture("cloudtrail-copy-image")));
    expect(ignoreIdentity(register)).toEqual(ignoreIdentity(fixture("cloudtrail-register-image")));
    expect(copy?.region).toBe(WEST);
    expect(new Set([copy?.id, register?.id, copy?.detail.eventID, register?.detail.eventID]).size).toBe(4);
  });

  it("state changes match the AMI State Change samples, in the image's region, at the time they happened", async () => {
    // Prepare
    const { account, west } = setup();
    const source = account.seedImage(EAST, { name: "base" });
    const { ImageId } = await west.send(
      new CopyImageCommand({ SourceRegion: EAST, SourceImageId: source, Name: "copy-1" }),
    );
    account.drainEvents();
    // Act
    account.advance(45 * MINUTE);
    // Assess
    const [available] = account.drainEvents();
    expect(shape(available)).toEqual(shape(fixture("ami-state-available")));
    expect(available).toMatchObject({
      region: WEST,
      time: "2026-11-20T10:20:00Z",
      resources: [`arn:aws:ec2:${WEST}::image/${ImageId}`],
      detail: { ImageId, State: "available", ErrorMessage: "" },
    });
  });
});
