import { matchesPattern } from "@ami-lifecycle/simulated-account";
import { describe, expect, it } from "vitest";
import {
  amiStateChangePattern,
  familySweepRequestPattern,
  imageApiCallPattern,
  parseAmiStateChange,
  parseImageApiCall,
} from "../../../packages/core/src/index";
import { amiStateSamples, cloudTrailSamples, sampleEvent } from "./sample-events";

function familySweepRequest(source = "ami-lifecycle") {
  return {
    version: "0",
    id: "0d6f1c2e-3a4b-4c5d-8e9f-a0b1c2d3e4f5",
    "detail-type": "Family Sweep Requested",
    source,
    account: "111122223333",
    time: "2026-11-21T03:00:00Z",
    region: "us-east-1",
    resources: [],
    detail: { family: "payments-api" },
  };
}

describe("event patterns", () => {
  it("are exactly the patterns of the reference (aws-facts §1)", () => {
    expect(JSON.stringify(amiStateChangePattern)).toBe(
      '{"source":["aws.ec2"],"detail-type":["EC2 AMI State Change"],"detail":{"State":["available","failed","deregistered","disabled"]}}',
    );
    expect(JSON.stringify(imageApiCallPattern)).toBe(
      '{"source":["aws.ec2"],"detail-type":["AWS API Call via CloudTrail"],"detail":{"eventSource":["ec2.amazonaws.com"],"eventName":["CreateImage","CopyImage","RegisterImage","CreateRestoreImageTask"],"errorCode":[{"exists":false}]}}',
    );
    expect(familySweepRequestPattern).toEqual({
      source: ["ami-lifecycle"],
      "detail-type": ["Family Sweep Requested"],
    });
  });

  describe("amiStateChangePattern", () => {
    it.each(amiStateSamples)("delivers the sample %s, which its contract accepts", (file) => {
      // Prepare
      const event = sampleEvent(file);

      // Act
      const delivered = matchesPattern(amiStateChangePattern, event);

      // Assess
      expect(delivered).toBe(true);
      expect(() => parseAmiStateChange(event)).not.toThrow();
    });

    it.each(cloudTrailSamples)("does not deliver the CloudTrail sample %s", (file) => {
      expect(matchesPattern(amiStateChangePattern, sampleEvent(file))).toBe(false);
    });

    it("does not deliver a state it does not know (a pending-like state)", () => {
      // Prepare
      const event = sampleEvent("ami-state-available.json");
      event.detail.State = "pending";

      // Act
      const delivered = matchesPattern(amiStateChangePattern, event);

      // Assess
      expect(delivered).toBe(false);
    });

    it("does not deliver an event without detail.State", () => {
      // Prepare
      const event = sampleEvent("ami-state-available.json");
      delete event.detail.State;

      // Act
      const delivered = matchesPattern(amiStateChangePattern, event);

      // Assess
      expect(delivered).toBe(false);
    });
  });

  describe("imageApiCallPattern", () => {
    it.each(cloudTrailSamples)("delivers the sample %s, which its contract accepts", (file) => {
      // Prepare
      const event = sampleEvent(file);

      // Act
      const delivered = matchesPattern(imageApiCallPattern, event);

      // Assess
      expect(delivered).toBe(true);
      expect(parseImageApiCall(event).outcome).toBe("succeeded");
    });

    it.each(amiStateSamples)("does not deliver the state sample %s", (file) => {
      expect(matchesPattern(imageApiCallPattern, sampleEvent(file))).toBe(false);
    });

    it("drops a failed call (errorCode present, responseElements null)", () => {
      // Prepare
      const event = sampleEvent("cloudtrail-copy-image.json");
      event.detail.errorCode = "Client.InvalidAMIID.Malformed";
      event.detail.errorMessage = "Invalid id";
      event.detail.responseElements = null;

      // Act
      const delivered = matchesPattern(imageApiCallPattern, event);

      // Assess
      expect(delivered).toBe(false);
    });

    it("drops a failed call even when its errorCode is empty or null, since the field exists", () => {
      // Prepare
      const withEmpty = sampleEvent("cloudtrail-copy-image.json");
      withEmpty.detail.errorCode = "";
      const withNull = sampleEvent("cloudtrail-copy-image.json");
      withNull.detail.errorCode = null;

      // Act
      const delivered = [
        matchesPattern(imageApiCallPattern, withEmpty),
        matchesPattern(imageApiCallPattern, withNull),
      ];

      // Assess
      expect(delivered).toEqual([false, false]);
    });

    it("does not deliver other EC2 calls or other services' calls", () => {
      // Prepare
      const deregister = sampleEvent("cloudtrail-create-image.json");
      deregister.detail.eventName = "DeregisterImage";
      const otherService = sampleEvent("cloudtrail-create-image.json");
      otherService.detail.eventSource = "imagebuilder.amazonaws.com";

      // Act
      const delivered = [
        matchesPattern(imageApiCallPattern, deregister),
        matchesPattern(imageApiCallPattern, otherService),
      ];

      // Assess
      expect(delivered).toEqual([false, false]);
    });
  });

  describe("familySweepRequestPattern", () => {
    it("delivers the service's own sweep request", () => {
      expect(matchesPattern(familySweepRequestPattern, familySweepRequest())).toBe(true);
    });

    it("does not deliver the same detail-type from another source", () => {
      expect(matchesPattern(familySweepRequestPattern, familySweepRequest("custom.spoof"))).toBe(false);
    });

    it("is not delivered to the EC2 rules, nor are EC2 samples delivered to it", () => {
      // Act
      const crossDeliveries = [
        matchesPattern(amiStateChangePattern, familySweepRequest()),
        matchesPattern(imageApiCallPattern, familySweepRequest()),
        ...[...amiStateSamples, ...cloudTrailSamples].map((file) =>
          matchesPattern(familySweepRequestPattern, sampleEvent(file)),
        ),
      ];

      // Assess
      expect(crossDeliveries.every((delivered) => delivered === false)).toBe(true);
    });
  });
});
