import { describe, expect, it } from "vitest";
import { InvalidEventError, maxEventBytes, parseAmiStateChange } from "../../../packages/core/src/index";
import { amiStateSamples, type SampleEvent, sampleEvent } from "./sample-events";

function invalidEventErrorOf(event: unknown): InvalidEventError {
  try {
    parseAmiStateChange(event);
  } catch (error) {
    if (error instanceof InvalidEventError) return error;
    throw error;
  }
  throw new Error("expected parseAmiStateChange to reject the event");
}

describe("parseAmiStateChange", () => {
  const expectations: [string, string, string, string][] = [
    ["ami-state-available.json", "ami-0a1b2c3d4e5f60718", "available", "us-east-1"],
    ["ami-state-deregistered.json", "ami-07c5e3a1f9d8b6420", "deregistered", "us-east-1"],
    ["ami-state-disabled.json", "ami-07c5e3a1f9d8b6420", "disabled", "us-east-1"],
    ["ami-state-failed.json", "ami-0f9e8d7c6b5a40312", "failed", "eu-west-1"],
  ];

  it("covers every AMI state sample", () => {
    expect(expectations.map(([file]) => file)).toEqual([...amiStateSamples]);
  });

  it.each(expectations)("accepts the sample %s", (file, imageId, state, region) => {
    // Prepare
    const event = sampleEvent(file);

    // Act
    const parsed = parseAmiStateChange(event);

    // Assess
    expect(parsed.detail.ImageId).toBe(imageId);
    expect(parsed.detail.State).toBe(state);
    expect(parsed.region).toBe(region);
    expect(parsed.id).toBe(event.id);
  });

  it("keeps the error message of a failed image", () => {
    // Act
    const parsed = parseAmiStateChange(sampleEvent("ami-state-failed.json"));

    // Assess
    expect(parsed.detail.ErrorMessage).toBe("The KMS key provided is not in the destination Region.");
  });

  it("accepts an event without the optional RequestId and ErrorMessage", () => {
    // Prepare
    const event = sampleEvent("ami-state-available.json");
    delete event.detail.RequestId;
    delete event.detail.ErrorMessage;

    // Act
    const parsed = parseAmiStateChange(event);

    // Assess
    expect(parsed.detail).toEqual({ ImageId: "ami-0a1b2c3d4e5f60718", State: "available" });
  });

  const malformed: [string, (event: SampleEvent) => void, string, string][] = [
    ["a missing ImageId", (e) => delete e.detail.ImageId, "detail.ImageId", "is required"],
    [
      "a short ImageId",
      (e) => (e.detail.ImageId = "ami-1234567"),
      "detail.ImageId",
      "must be an AMI id (ami-…)",
    ],
    [
      // EC2 ids have 8 or 17 hex digits; EC2 answers InvalidAMIID.Malformed to any other length, so an
      // event carrying one is rejected here instead of failing DescribeImages until the dead-letter queue.
      "an ImageId of 16 hex digits, between EC2's two id lengths",
      (e) => (e.detail.ImageId = "ami-0a1b2c3d4e5f6071"),
      "detail.ImageId",
      "must be an AMI id (ami-…)",
    ],
    [
      "an upper-case ImageId",
      (e) => (e.detail.ImageId = "ami-0A1B2C3D"),
      "detail.ImageId",
      "must be an AMI id (ami-…)",
    ],
    [
      "a snapshot id in place of the image id",
      (e) => (e.detail.ImageId = "snap-0123456789abcdef0"),
      "detail.ImageId",
      "must be an AMI id (ami-…)",
    ],
    [
      "a pending state, which EC2 never emits",
      (e) => (e.detail.State = "pending"),
      "detail.State",
      'must be one of "available", "failed", "deregistered", "disabled"',
    ],
    ["a missing State", (e) => delete e.detail.State, "detail.State", "is required"],
    [
      "an oversize ErrorMessage",
      (e) => (e.detail.ErrorMessage = "x".repeat(4097)),
      "detail.ErrorMessage",
      "must be at most 4096 characters",
    ],
    [
      "another detail-type",
      (e) => (e["detail-type"] = "EC2 Instance State-change Notification"),
      "detail-type",
      'must be "EC2 AMI State Change"',
    ],
    ["another source", (e) => (e.source = "aws.s3"), "source", 'must be "aws.ec2"'],
    ["a malformed account", (e) => (e.account = "1111"), "account", "must be a 12-digit AWS account id"],
    ["a malformed region", (e) => (e.region = "moon-1"), "region", "must be an AWS region such as eu-west-1"],
    [
      "a time that is not ISO-8601",
      (e) => (e.time = "yesterday"),
      "time",
      "must be an ISO-8601 time such as 2026-11-20T10:21:04Z",
    ],
    ["a missing detail", (e) => delete e.detail, "detail", "is required"],
    ["resources that are not a list", (e) => (e.resources = "arn"), "resources", "must be an array"],
  ];

  it.each(malformed)("rejects %s, naming the field", (_, breakIt, path, message) => {
    // Prepare
    const event = sampleEvent("ami-state-available.json");
    breakIt(event);

    // Act
    const error = invalidEventErrorOf(event);

    // Assess
    expect(error.eventId).toBe("8f1c2a3e-5b7d-4e9f-a1c3-0d2e4f6a8b01");
    expect(error.issues).toEqual([{ path, message }]);
  });

  it("words the error with the event id and each path", () => {
    // Prepare
    const event = sampleEvent("ami-state-available.json");
    event.detail.ImageId = "ami-nope";

    // Act
    const error = invalidEventErrorOf(event);

    // Assess
    expect(error.message).toBe(
      "event 8f1c2a3e-5b7d-4e9f-a1c3-0d2e4f6a8b01 is invalid: detail.ImageId: must be an AMI id (ami-…)",
    );
  });

  it("rejects an event larger than EventBridge allows before reading its fields", () => {
    // Prepare
    const event = sampleEvent("ami-state-failed.json");
    event.detail.ErrorMessage = "é".repeat(maxEventBytes / 2);
    const size = Buffer.byteLength(JSON.stringify(event), "utf8");

    // Act
    const error = invalidEventErrorOf(event);

    // Assess
    expect(error.eventId).toBe("1d3f5a7c-9e2b-4d6f-8a1c-3e5f7a9c1e22");
    expect(error.issues).toEqual([
      { path: "(root)", message: `is ${size} bytes; EventBridge events are at most 262144 bytes (256 KB)` },
    ]);
  });

  it("rejects something that is not an event at all, without an id", () => {
    // Act
    const error = invalidEventErrorOf("EC2 AMI State Change");

    // Assess
    expect(error.eventId).toBeUndefined();
    expect(error.issues).toEqual([{ path: "(root)", message: "must be an object" }]);
  });
});
