import { isDeregistrationProtected, toImageRecord } from "@ami-lifecycle/aws";
import { describe, expect, it } from "vitest";

const now = new Date("2026-01-10T12:00:00Z");

describe("isDeregistrationProtected", () => {
  it("reads EC2's protection strings, cooldown included", () => {
    expect(isDeregistrationProtected(undefined, now)).toBe(false);
    expect(isDeregistrationProtected("disabled", now)).toBe(false);
    expect(isDeregistrationProtected("enabled", now)).toBe(true);
    expect(isDeregistrationProtected("enabled-with-cooldown", now)).toBe(true);
    expect(isDeregistrationProtected("disabled-until-2026-01-11T00:00:00.000Z", now)).toBe(true);
    expect(isDeregistrationProtected("disabled-until-2026-01-09T00:00:00.000Z", now)).toBe(false);
  });

  it("treats a value it does not know as protected", () => {
    expect(isDeregistrationProtected("something-new", now)).toBe(true);
  });
});

describe("toImageRecord", () => {
  it("lists EBS snapshots only and calls an image with any unencrypted volume unencrypted", () => {
    // Act
    const record = toImageRecord(
      "eu-west-1",
      {
        ImageId: "ami-1",
        State: "available",
        BlockDeviceMappings: [
          { DeviceName: "/dev/xvda", Ebs: { SnapshotId: "snap-1", VolumeSize: 8, Encrypted: true } },
          { DeviceName: "/dev/xvdb", Ebs: { SnapshotId: "snap-2", VolumeSize: 100, Encrypted: false } },
          { DeviceName: "/dev/sdc", VirtualName: "ephemeral0" },
        ],
        StateReason: { Code: "Client.InvalidKMSKey.NotFound", Message: "key not found" },
      },
      now,
    );

    // Assess
    expect(record.snapshots).toEqual([
      { snapshotId: "snap-1", sizeGiB: 8 },
      { snapshotId: "snap-2", sizeGiB: 100 },
    ]);
    expect(record.encrypted).toBe(false);
    expect(record.stateReason).toBe("Client.InvalidKMSKey.NotFound: key not found");
    expect(record.tags).toEqual({});
  });

  it("records when a running protection cooldown ends, and no end once it is over", () => {
    // Prepare
    const cooling = { ImageId: "ami-1", State: "disabled" as const };

    // Act
    const running = toImageRecord(
      "eu-west-1",
      { ...cooling, DeregistrationProtection: "disabled-until-2026-01-11T00:00:00.000Z" },
      now,
    );
    const over = toImageRecord(
      "eu-west-1",
      { ...cooling, DeregistrationProtection: "disabled-until-2026-01-09T00:00:00.000Z" },
      now,
    );

    // Assess
    expect(running).toMatchObject({
      deregistrationProtection: true,
      deregistrationProtectionSetting: "cooling-down",
      deregistrationProtectionUntil: "2026-01-11T00:00:00.000Z",
    });
    expect(over.deregistrationProtection).toBe(false);
    expect(over.deregistrationProtectionUntil).toBeUndefined();
  });
});
