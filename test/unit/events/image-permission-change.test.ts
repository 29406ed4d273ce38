import { readFileSync } from "node:fs";
import { join } from "node:path";
import { matchesPattern } from "@ami-lifecycle/simulated-account";
import { describe, expect, it } from "vitest";
import {
  imageApiCallPattern,
  imagePermissionChangePattern,
  parseImagePermissionChange,
} from "../../../packages/core/src/index";

const fixture = JSON.parse(
  readFileSync(
    join(__dirname, "../../fixtures/permission-events/cloudtrail-modify-image-attribute-public.json"),
    "utf8",
  ),
) as { detail: Record<string, unknown> };

describe("image permission change contract (CloudTrail ModifyImageAttribute / ResetImageAttribute)", () => {
  it("reads the image, the caller and a request for group all from the sample event", () => {
    // Act
    const change = parseImagePermissionChange(fixture);

    // Assess
    expect(change).toMatchObject({
      cloudTrailEventId: "9f8e7d6c-5b4a-4392-8170-6f5e4d3c2b1a",
      eventName: "ModifyImageAttribute",
      region: "us-east-1",
      imageId: "ami-0a1b2c3d4e5f67890",
      actor: "arn:aws:iam::111122223333:user/mallory",
      requestedPublic: true,
    });
  });

  it("reads ResetImageAttribute, which never asks for group all", () => {
    // Prepare
    const reset = {
      ...fixture,
      detail: {
        ...fixture.detail,
        eventName: "ResetImageAttribute",
        requestParameters: { imageId: "ami-0a1b2c3d4e5f67890", attribute: "launchPermission" },
      },
    };

    // Act
    const change = parseImagePermissionChange(reset);

    // Assess
    expect(change).toMatchObject({ eventName: "ResetImageAttribute", requestedPublic: false });
  });

  it("is routed by its own pattern only, and a refused call is dropped at the rule", () => {
    // Prepare
    const refused = { ...fixture, detail: { ...fixture.detail, errorCode: "OperationNotPermitted" } };

    // Assess
    expect(matchesPattern(imagePermissionChangePattern, fixture)).toBe(true);
    expect(matchesPattern(imageApiCallPattern, fixture)).toBe(false);
    expect(matchesPattern(imagePermissionChangePattern, refused)).toBe(false);
  });
});
