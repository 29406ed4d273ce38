import { describe, expect, it } from "vitest";
import {
  createdByOf,
  type ImageApiCall,
  InvalidEventError,
  parseImageApiCall,
} from "../../../packages/core/src/index";
import { type SampleEvent, sampleEvent } from "./sample-events";

const pipelineRole = "arn:aws:iam::111122223333:role/image-pipeline";

function invalidEventErrorOf(event: unknown): InvalidEventError {
  try {
    parseImageApiCall(event);
  } catch (error) {
    if (error instanceof InvalidEventError) return error;
    throw error;
  }
  throw new Error("expected parseImageApiCall to reject the event");
}

function failedCopy(): SampleEvent {
  const event = sampleEvent("cloudtrail-copy-image.json");
  event.detail.errorCode = "Client.InvalidAMIID.Malformed";
  event.detail.errorMessage = 'Invalid id: "ami-bad"';
  event.detail.requestParameters.sourceImageId = "ami-bad";
  event.detail.responseElements = null;
  return event;
}

describe("parseImageApiCall", () => {
  it("reads the CreateImage sample: new image, instance, name and the tags requested for the image", () => {
    // Act
    const call = parseImageApiCall(sampleEvent("cloudtrail-create-image.json"));

    // Assess
    expect(call).toMatchObject({
      outcome: "succeeded",
      eventName: "CreateImage",
      eventId: "b7e2d4c6-9a1f-4e3b-8c5d-2f7a9e1b3c40",
      cloudTrailEventId: "3a5c7e9a-1b3d-4f5a-8c7e-9a1b3c5d7e55",
      eventTime: "2026-11-20T10:14:51Z",
      region: "us-east-1",
      accountId: "111122223333",
      imageId: "ami-0a1b2c3d4e5f60718",
      createdBy: pipelineRole,
    });
    expect(call.outcome === "succeeded" && call.request).toEqual({
      instanceId: "i-0d4e6f8a1b3c5d7e9",
      name: "payments-api-2026.11.20-1842",
      description: "payments-api build 1842",
      imageTags: { team: "payments", app: "payments-api" },
    });
  });

  it("reads the CopyImage sample in the destination region, without the inferred parameters", () => {
    // Act
    const call = parseImageApiCall(sampleEvent("cloudtrail-copy-image.json"));

    // Assess
    expect(call).toMatchObject({ outcome: "succeeded", eventName: "CopyImage", region: "eu-west-1" });
    expect(call.outcome === "succeeded" && call.imageId).toBe("ami-0f9e8d7c6b5a40312");
    expect(call.outcome === "succeeded" && call.request).toEqual({
      sourceRegion: "us-east-1",
      sourceImageId: "ami-0a1b2c3d4e5f60718",
      name: "payments-api-2026.11.20-1842",
      imageTags: {},
    });
  });

  it("accepts a CopyImage record that lacks encrypted, kmsKeyId and clientToken", () => {
    // Prepare
    const event = sampleEvent("cloudtrail-copy-image.json");
    delete event.detail.requestParameters.encrypted;
    delete event.detail.requestParameters.kmsKeyId;
    delete event.detail.requestParameters.clientToken;

    // Act
    const call = parseImageApiCall(event);

    // Assess
    expect(call.outcome).toBe("succeeded");
  });

  it("reads the RegisterImage sample", () => {
    // Act
    const call = parseImageApiCall(sampleEvent("cloudtrail-register-image.json"));

    // Assess
    expect(call).toMatchObject({
      outcome: "succeeded",
      eventName: "RegisterImage",
      imageId: "ami-0c3e5a7c9e1b3d5f7",
      request: { name: "base-al2023-2026.11.19", imageTags: {} },
    });
  });

  it("reads a CreateRestoreImageTask record", () => {
    // Prepare
    const event = sampleEvent("cloudtrail-register-image.json");
    event.detail.eventName = "CreateRestoreImageTask";
    event.detail.requestParameters = {
      bucket: "image-archive",
      objectKey: "ami-0a1b2c3d4e5f60718.bin",
      name: "restored",
    };

    // Act
    const call = parseImageApiCall(event);

    // Assess
    expect(call.outcome === "succeeded" && call.request).toEqual({
      bucket: "image-archive",
      objectKey: "ami-0a1b2c3d4e5f60718.bin",
      name: "restored",
      imageTags: {},
    });
  });

  it("classifies a refused call as failed, even with the malformed parameters it was refused for", () => {
    // Act
    const call: ImageApiCall = parseImageApiCall(failedCopy());

    // Assess
    expect(call).toEqual({
      outcome: "failed",
      eventName: "CopyImage",
      errorCode: "Client.InvalidAMIID.Malformed",
      errorMessage: 'Invalid id: "ami-bad"',
      eventId: "b7e2d4c6-9a1f-4e3b-8c5d-2f7a9e1b3c40",
      cloudTrailEventId: "5c7e9a1c-3d5f-4a7b-9e1c-3e5a7c9e1a66",
      eventTime: "2026-11-20T10:21:40Z",
      region: "eu-west-1",
      accountId: "111122223333",
      userIdentity: expect.objectContaining({ type: "AssumedRole" }),
      createdBy: pipelineRole,
    });
  });

  const malformed: [string, string, (event: SampleEvent) => void, string, string][] = [
    [
      "an eventName that does not create an image",
      "cloudtrail-create-image.json",
      (e) => (e.detail.eventName = "DeregisterImage"),
      "detail.eventName",
      'must be one of "CreateImage", "CopyImage", "RegisterImage", "CreateRestoreImageTask"',
    ],
    [
      "another eventSource",
      "cloudtrail-create-image.json",
      (e) => (e.detail.eventSource = "s3.amazonaws.com"),
      "detail.eventSource",
      'must be "ec2.amazonaws.com"',
    ],
    [
      "the detail-type of a state event",
      "cloudtrail-create-image.json",
      (e) => (e["detail-type"] = "EC2 AMI State Change"),
      "detail-type",
      'must be "AWS API Call via CloudTrail"',
    ],
    [
      "a null responseElements without errorCode",
      "cloudtrail-create-image.json",
      (e) => (e.detail.responseElements = null),
      "detail.responseElements",
      "must be an object",
    ],
    [
      "a malformed new image id",
      "cloudtrail-create-image.json",
      (e) => (e.detail.responseElements.imageId = "ami-zz"),
      "detail.responseElements.imageId",
      "must be an AMI id (ami-…)",
    ],
    [
      "a malformed source image id",
      "cloudtrail-copy-image.json",
      (e) => (e.detail.requestParameters.sourceImageId = "ami-0A1B"),
      "detail.requestParameters.sourceImageId",
      "must be an AMI id (ami-…)",
    ],
    [
      "a CopyImage without sourceRegion",
      "cloudtrail-copy-image.json",
      (e) => delete e.detail.requestParameters.sourceRegion,
      "detail.requestParameters.sourceRegion",
      "is required",
    ],
    [
      "a malformed instance id",
      "cloudtrail-create-image.json",
      (e) => (e.detail.requestParameters.instanceId = "instance-1"),
      "detail.requestParameters.instanceId",
      "must be an instance id (i-…)",
    ],
    [
      "an image name longer than EC2 allows",
      "cloudtrail-register-image.json",
      (e) => (e.detail.requestParameters.name = "n".repeat(129)),
      "detail.requestParameters.name",
      "must be at most 128 characters",
    ],
    [
      "a successful call without requestParameters",
      "cloudtrail-register-image.json",
      (e) => delete e.detail.requestParameters,
      "detail.requestParameters",
      "is required",
    ],
    [
      "a malformed recipient account",
      "cloudtrail-create-image.json",
      (e) => (e.detail.recipientAccountId = "12-34"),
      "detail.recipientAccountId",
      "must be a 12-digit AWS account id",
    ],
    [
      "a malformed awsRegion",
      "cloudtrail-copy-image.json",
      (e) => (e.detail.awsRegion = "EU (Ireland)"),
      "detail.awsRegion",
      "must be an AWS region such as eu-west-1",
    ],
    [
      "a user identity without type",
      "cloudtrail-create-image.json",
      (e) => delete e.detail.userIdentity.type,
      "detail.userIdentity.type",
      "is required",
    ],
    [
      "a missing eventID",
      "cloudtrail-create-image.json",
      (e) => delete e.detail.eventID,
      "detail.eventID",
      "is required",
    ],
    [
      "an oversize errorMessage on a failed call",
      "cloudtrail-copy-image.json",
      (e) => {
        e.detail.errorCode = "Client.InvalidParameterValue";
        e.detail.errorMessage = "m".repeat(4097);
      },
      "detail.errorMessage",
      "must be at most 4096 characters",
    ],
  ];

  it.each(malformed)("rejects %s (from %s), naming the field", (_, file, breakIt, path, message) => {
    // Prepare
    const event = sampleEvent(file);
    breakIt(event);

    // Act
    const error = invalidEventErrorOf(event);

    // Assess
    expect(error.eventId).toBe("b7e2d4c6-9a1f-4e3b-8c5d-2f7a9e1b3c40");
    expect(error.issues).toEqual([{ path, message }]);
  });

  it("rejects an event larger than EventBridge allows", () => {
    // Prepare
    const event = sampleEvent("cloudtrail-create-image.json");
    event.detail.requestParameters.blockDeviceMapping = {
      items: Array.from({ length: 5000 }, () => ({ deviceName: "/dev/sdf".repeat(8) })),
    };
    const size = Buffer.byteLength(JSON.stringify(event), "utf8");

    // Act
    const error = invalidEventErrorOf(event);

    // Assess
    expect(size).toBeGreaterThan(262144);
    expect(error.issues).toEqual([
      { path: "(root)", message: `is ${size} bytes; EventBridge events are at most 262144 bytes (256 KB)` },
    ]);
  });
});

describe("createdByOf", () => {
  it("names the role, not the session, for an assumed role", () => {
    expect(createdByOf(sampleEvent("cloudtrail-create-image.json").detail.userIdentity)).toBe(pipelineRole);
  });

  it("falls back to the session ARN when an assumed role has no session issuer", () => {
    // Prepare
    const identity = { type: "AssumedRole", arn: "arn:aws:sts::111122223333:assumed-role/builder/session-1" };

    // Act
    const createdBy = createdByOf(identity);

    // Assess
    expect(createdBy).toBe("arn:aws:sts::111122223333:assumed-role/builder/session-1");
  });

  it("names the user for an IAM user", () => {
    // Prepare
    const identity = {
      type: "IAMUser",
      arn: "arn:aws:iam::111122223333:user/alice",
      sessionContext: { sessionIssuer: {} },
    };

    // Act
    const createdBy = createdByOf(identity);

    // Assess
    expect(createdBy).toBe("arn:aws:iam::111122223333:user/alice");
  });

  it("names the AWS service that invoked the call when there is no ARN", () => {
    expect(createdByOf({ type: "AWSService", invokedBy: "imagebuilder.amazonaws.com" })).toBe(
      "imagebuilder.amazonaws.com",
    );
  });
});
