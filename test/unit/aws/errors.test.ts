import { awsErrorCode, translateAwsError, withAwsErrors } from "@ami-lifecycle/aws";
import {
  AmiLifecycleError,
  AwsOperationError,
  ImageNotFoundError,
  TransientAwsError,
} from "@ami-lifecycle/core";
import { EC2ServiceException } from "@aws-sdk/client-ec2";
import { describe, expect, it } from "vitest";

function ec2Error(name: string, httpStatusCode: number): EC2ServiceException {
  return new EC2ServiceException({
    name,
    $fault: httpStatusCode >= 500 ? "server" : "client",
    $metadata: { httpStatusCode },
  });
}

describe("translateAwsError", () => {
  it("turns throttling that survived the SDK's retries into TransientAwsError, keeping the cause", () => {
    // Prepare
    const throttled = ec2Error("RequestLimitExceeded", 503);

    // Act
    const translated = translateAwsError("EC2.CopyImage", throttled);

    // Assess
    expect(translated).toBeInstanceOf(TransientAwsError);
    expect(translated).toMatchObject({ operation: "EC2.CopyImage", code: "RequestLimitExceeded" });
    expect(translated.cause).toBe(throttled);
  });

  it("treats 5xx answers and socket resets as transient", () => {
    // Prepare
    const serverError = ec2Error("InternalError", 500);
    const reset = Object.assign(new Error("socket hang up"), { code: "ECONNRESET" });

    // Act
    const translated = [
      translateAwsError("EC2.DescribeImages", serverError),
      translateAwsError("SNS.Publish", reset),
    ];

    // Assess
    expect(translated.map((error) => error instanceof TransientAwsError)).toEqual([true, true]);
    expect(translated.map((error) => (error as TransientAwsError).code)).toEqual([
      "InternalError",
      "ECONNRESET",
    ]);
  });

  it("turns other AWS errors into AwsOperationError with their code", () => {
    // Prepare
    const denied = ec2Error("UnauthorizedOperation", 403);

    // Act
    const translated = translateAwsError("EC2.DeregisterImage", denied);

    // Assess
    expect(translated).toBeInstanceOf(AwsOperationError);
    expect(translated).not.toBeInstanceOf(TransientAwsError);
    expect(translated).toMatchObject({ code: "UnauthorizedOperation", cause: denied });
  });

  it("passes the service's own errors through unchanged", () => {
    // Prepare
    const own = new ImageNotFoundError("eu-west-1", "ami-1");

    // Act
    const translated = translateAwsError("EC2.DescribeImages", own);

    // Assess
    expect(translated).toBe(own);
  });

  it("names unknown failures Unknown", () => {
    expect(awsErrorCode("boom")).toBe("Unknown");
    expect(awsErrorCode(new Error("plain"))).toBe("Unknown");
    expect(translateAwsError("X", new Error("plain"))).toBeInstanceOf(AwsOperationError);
  });
});

describe("withAwsErrors", () => {
  it("returns the call's result and translates what it throws", async () => {
    // Act
    const value = await withAwsErrors("EC2.X", async () => 42);
    const failure = await withAwsErrors("EC2.Y", async () => {
      throw ec2Error("InvalidParameterValue", 400);
    }).catch((error: unknown) => error);

    // Assess
    expect(value).toBe(42);
    expect(failure).toBeInstanceOf(AmiLifecycleError);
    expect(failure).toMatchObject({ operation: "EC2.Y", code: "InvalidParameterValue" });
  });
});
