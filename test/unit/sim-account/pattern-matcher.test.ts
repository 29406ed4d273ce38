import type { EventPattern } from "@ami-lifecycle/core";
import { matchesPattern, UnsupportedPatternError } from "@ami-lifecycle/simulated-account";
import { describe, expect, it } from "vitest";

// Examples are those of the Amazon EventBridge User Guide; each test names its page:
//   [patterns]   "Amazon EventBridge event patterns" / "Event pattern syntax"
//   [values]     "Matching events on event field values"
//   [arrays]     "Arrays in Amazon EventBridge event patterns"
//   [filtering]  "Content filtering in Amazon EventBridge event patterns"
//   [operators]  "Comparison operators for use in event patterns in Amazon EventBridge"

const instanceTerminated = {
  version: "0",
  id: "6a7e8feb-b491-4cf7-a9f1-bf3703467718",
  "detail-type": "EC2 Instance State-change Notification",
  source: "aws.ec2",
  account: "111122223333",
  time: "2017-12-22T18:43:48Z",
  region: "us-west-1",
  resources: ["arn:aws:ec2:us-west-1:123456789012:instance/i-1234567890abcdef0"],
  detail: { "instance-id": "i-1234567890abcdef0", state: "terminated" },
};

const terminationPattern = {
  source: ["aws.ec2"],
  "detail-type": ["EC2 Instance State-change Notification"],
  detail: { state: ["terminated"] },
};

function detailWith(detail: Record<string, unknown>) {
  return { source: "example", detail };
}

function matches(pattern: EventPattern, event: unknown): boolean {
  return matchesPattern(pattern, event);
}

describe("matchesPattern", () => {
  describe("structure", () => {
    it("[patterns] selects the EC2 instance-termination event", () => {
      expect(matches(terminationPattern, instanceTerminated)).toBe(true);
    });

    it("[patterns] does not select the same event in another state", () => {
      expect(matches(terminationPattern, { ...instanceTerminated, detail: { state: "running" } })).toBe(
        false,
      );
    });

    it("[patterns] requires every field of the pattern to be in the event, with the same nesting", () => {
      // Prepare
      const flattened = { ...instanceTerminated, detail: undefined, state: "terminated" };

      // Act
      const matched = matches(terminationPattern, flattened);

      // Assess
      expect(matched).toBe(false);
    });

    it("[patterns] ignores fields the pattern does not name", () => {
      expect(matches({ source: ["aws.ec2"] }, instanceTerminated)).toBe(true);
    });

    it('[patterns] treats several values as OR: "source": ["aws.ec2", "aws.fargate"]', () => {
      // Prepare
      const pattern = { source: ["aws.ec2", "aws.fargate"] };

      // Act
      const results = ["aws.ec2", "aws.fargate", "aws.s3"].map((source) => matches(pattern, { source }));

      // Assess
      expect(results).toEqual([true, true, false]);
    });

    it('[operators] And: Location is "New York" and Day is "Monday"', () => {
      // Prepare
      const pattern = { detail: { Location: ["New York"], Day: ["Monday"] } };

      // Act
      const both = matches(pattern, detailWith({ Location: "New York", Day: "Monday" }));
      const one = matches(pattern, detailWith({ Location: "New York", Day: "Tuesday" }));

      // Assess
      expect([both, one]).toEqual([true, false]);
    });

    it('[operators] $or: Location is "New York", or Day is "Monday"', () => {
      // Prepare
      const pattern = { detail: { $or: [{ Location: ["New York"] }, { Day: ["Monday"] }] } };

      // Act
      const results = [
        matches(pattern, detailWith({ Location: "Paris", Day: "Monday" })),
        matches(pattern, detailWith({ Location: "New York", Day: "Friday" })),
        matches(pattern, detailWith({ Location: "Paris", Day: "Friday" })),
      ];

      // Assess
      expect(results).toEqual([true, true, false]);
    });

    it("matches exact values only with the same JSON type", () => {
      // Prepare
      const pattern = { detail: { count: [5], flag: [true] } };

      // Act
      const typed = matches(pattern, detailWith({ count: 5, flag: true }));
      const asStrings = matches(pattern, detailWith({ count: "5", flag: "true" }));

      // Assess
      expect([typed, asStrings]).toEqual([true, false]);
    });
  });

  describe("[values] null and empty values", () => {
    it('matches "responseElements": [null] against a null field', () => {
      // Prepare
      const event = { source: "aws.autoscaling", detail: { eventVersion: "", responseElements: null } };

      // Act
      const matched = matches({ source: ["aws.autoscaling"], detail: { responseElements: [null] } }, event);

      // Assess
      expect(matched).toBe(true);
    });

    it('[operators] Empty: "LastName": [""] matches only the empty string', () => {
      // Prepare
      const pattern = { detail: { LastName: [""] } };

      // Act
      const results = [
        matches(pattern, detailWith({ LastName: "" })),
        matches(pattern, detailWith({ LastName: null })),
        matches(pattern, detailWith({})),
      ];

      // Assess
      expect(results).toEqual([true, false, false]);
    });
  });

  describe("[arrays] arrays in the event", () => {
    const pattern = {
      resources: [
        "arn:aws:ec2:us-east-1:123456789012:instance/i-b188560f",
        "arn:aws:ec2:us-east-1:111122223333:instance/i-b188560f",
        "arn:aws:ec2:us-east-1:444455556666:instance/i-b188560f",
      ],
    };

    it("matches when the pattern's values and the event's array intersect", () => {
      // Prepare
      const event = {
        resources: [
          "arn:aws:autoscaling:us-east-1:123456789012:autoScalingGroup:eb56d16b-bbf0-401d-b893-d5978ed4a025:autoScalingGroupName/ASGTerminate",
          "arn:aws:ec2:us-east-1:123456789012:instance/i-b188560f",
        ],
      };

      // Act
      const matched = matches(pattern, event);

      // Assess
      expect(matched).toBe(true);
    });

    it("does not match when they do not intersect", () => {
      expect(
        matches(pattern, { resources: ["arn:aws:ec2:us-east-1:999999999999:instance/i-b188560f"] }),
      ).toBe(false);
    });

    it("looks into objects inside arrays of the event", () => {
      // Prepare
      const event = detailWith({ items: [{ resourceType: "snapshot" }, { resourceType: "image" }] });

      // Act
      const matched = matches({ detail: { items: { resourceType: ["image"] } } }, event);

      // Assess
      expect(matched).toBe(true);
    });
  });

  describe("[filtering] prefix and suffix", () => {
    it('prefix: "time" starting with "2017-10-02"', () => {
      // Prepare
      const pattern = { time: [{ prefix: "2017-10-02" }] };

      // Act
      const results = [
        matches(pattern, { time: "2017-10-02T18:43:48Z" }),
        matches(pattern, { time: "2017-10-03T18:43:48Z" }),
      ];

      // Assess
      expect(results).toEqual([true, false]);
    });

    it('prefix: Auto Scaling events from European regions ("region": [{ "prefix": "eu-" }])', () => {
      // Prepare
      const pattern = { source: ["aws.autoscaling"], region: [{ prefix: "eu-" }] };

      // Act
      const results = [
        matches(pattern, { source: "aws.autoscaling", region: "eu-west-1" }),
        matches(pattern, { source: "aws.autoscaling", region: "us-east-1" }),
      ];

      // Assess
      expect(results).toEqual([true, false]);
    });

    it("prefix only works on strings", () => {
      expect(matches({ detail: { code: [{ prefix: "12" }] } }, detailWith({ code: 123 }))).toBe(false);
    });

    it('prefix while ignoring case: service starting with "eventb" matches EventBridge', () => {
      // Prepare
      const pattern = { service: [{ prefix: { "equals-ignore-case": "eventb" } }] };

      // Act
      const results = ["EventBridge", "EVENTBRIDGE", "Lambda"].map((service) =>
        matches(pattern, { service }),
      );

      // Assess
      expect(results).toEqual([true, true, false]);
    });

    it('suffix: "FileName" ending with ".png"', () => {
      // Prepare
      const pattern = { FileName: [{ suffix: ".png" }] };

      // Act
      const results = ["image.png", "image.jpg", "image.PNG"].map((FileName) =>
        matches(pattern, { FileName }),
      );

      // Assess
      expect(results).toEqual([true, false, false]);
    });

    it('suffix while ignoring case: service ending with "tbridge" matches "EventBRIDGE"', () => {
      expect(
        matches({ service: [{ suffix: { "equals-ignore-case": "tbridge" } }] }, { service: "EventBRIDGE" }),
      ).toBe(true);
    });
  });

  describe("[filtering] anything-but", () => {
    it('with a string: state anything but "initializing"', () => {
      // Prepare
      const pattern = { detail: { state: [{ "anything-but": "initializing" }] } };

      // Act
      const results = [
        matches(pattern, detailWith({ state: "running" })),
        matches(pattern, detailWith({ state: "initializing" })),
      ];

      // Assess
      expect(results).toEqual([true, false]);
    });

    it("does not match an event that lacks the field", () => {
      expect(matches({ detail: { state: [{ "anything-but": "initializing" }] } }, detailWith({}))).toBe(
        false,
      );
    });

    it("with a number: x-limit anything but 123", () => {
      // Prepare
      const pattern = { detail: { "x-limit": [{ "anything-but": 123 }] } };

      // Act
      const results = [
        matches(pattern, detailWith({ "x-limit": 124 })),
        matches(pattern, detailWith({ "x-limit": 123 })),
      ];

      // Assess
      expect(results).toEqual([true, false]);
    });

    it('with a list of strings: state anything but "stopped" or "overloaded"', () => {
      // Prepare
      const pattern = { detail: { state: [{ "anything-but": ["stopped", "overloaded"] }] } };

      // Act
      const results = ["running", "stopped", "overloaded"].map((state) =>
        matches(pattern, detailWith({ state })),
      );

      // Assess
      expect(results).toEqual([true, false, false]);
    });

    it("with a list of numbers: x-limit anything but 100, 200, 300", () => {
      // Prepare
      const pattern = { detail: { "x-limit": [{ "anything-but": [100, 200, 300] }] } };

      // Act
      const results = [150, 200].map((limit) => matches(pattern, detailWith({ "x-limit": limit })));

      // Assess
      expect(results).toEqual([true, false]);
    });

    it("matches an array in the event holding at least one value outside the list", () => {
      // Prepare
      const pattern = { detail: { price: [{ "anything-but": [100, 500] }] } };

      // Act
      const results = [
        matches(pattern, detailWith({ price: [100, 50] })),
        matches(pattern, detailWith({ price: [100, 500] })),
      ];

      // Assess
      expect(results).toEqual([true, false]);
    });

    it('with a prefix: state not starting with "init"', () => {
      // Prepare
      const pattern = { detail: { state: [{ "anything-but": { prefix: "init" } }] } };

      // Act
      const results = ["running", "initializing"].map((state) => matches(pattern, detailWith({ state })));

      // Assess
      expect(results).toEqual([true, false]);
    });

    it('[operators] with a suffix: FileName not ending with ".png"', () => {
      // Prepare
      const pattern = { FileName: [{ "anything-but": { suffix: ".png" } }] };

      // Act
      const results = ["notes.txt", "image.png"].map((FileName) => matches(pattern, { FileName }));

      // Assess
      expect(results).toEqual([true, false]);
    });

    it('[operators] ignoring case: state is anything but "initializing" in any casing', () => {
      // Prepare
      const pattern = { state: [{ "anything-but": { "equals-ignore-case": "initializing" } }] };

      // Act
      const results = ["running", "INITIALIZING", "Initializing"].map((state) => matches(pattern, { state }));

      // Assess
      expect(results).toEqual([true, false, false]);
    });

    it('[operators] with a wildcard: FilePath not including "/lib/"', () => {
      // Prepare
      const pattern = { FilePath: [{ "anything-but": { wildcard: "*/lib/*" } }] };

      // Act
      const results = ["/usr/bin/env", "/usr/lib/libc.so"].map((FilePath) => matches(pattern, { FilePath }));

      // Assess
      expect(results).toEqual([true, false]);
    });
  });

  describe("[filtering] numeric", () => {
    it('matches a range: "c-count": [{ "numeric": [">", 0, "<=", 5] }]', () => {
      // Prepare
      const pattern = { detail: { "c-count": [{ numeric: [">", 0, "<=", 5] }] } };

      // Act
      const results = [0, 0.5, 5, 5.01].map((count) => matches(pattern, detailWith({ "c-count": count })));

      // Assess
      expect(results).toEqual([false, true, true, false]);
    });

    it('[operators] Price is 100: [{ "numeric": ["=", 100] }], and 3.0e2 equals 300', () => {
      // Prepare
      const hundred = { detail: { Price: [{ numeric: ["=", 100] }] } };
      const threeHundred = { detail: { Price: [{ numeric: ["=", 300] }] } };

      // Act
      const results = [
        matches(hundred, detailWith({ Price: 100 })),
        matches(hundred, detailWith({ Price: 101 })),
        matches(threeHundred, JSON.parse('{"detail":{"Price":3.0e2}}')),
      ];

      // Assess
      expect(results).toEqual([true, false, true]);
    });

    it("only works with JSON numbers, not numeric strings", () => {
      expect(matches({ detail: { Price: [{ numeric: [">", 10] }] } }, detailWith({ Price: "20" }))).toBe(
        false,
      );
    });
  });

  describe("[filtering] exists", () => {
    it("exists true matches a field that is present, whatever its value", () => {
      // Prepare
      const pattern = { detail: { ProductName: [{ exists: true }] } };

      // Act
      const results = [
        matches(pattern, detailWith({ ProductName: "Widget" })),
        matches(pattern, detailWith({ ProductName: null })),
        matches(pattern, detailWith({})),
      ];

      // Assess
      expect(results).toEqual([true, true, false]);
    });

    it("exists false matches only a field that is absent", () => {
      // Prepare
      const pattern = { detail: { ProductName: [{ exists: false }] } };

      // Act
      const results = [matches(pattern, detailWith({})), matches(pattern, detailWith({ ProductName: "" }))];

      // Assess
      expect(results).toEqual([true, false]);
    });

    it("exists false also matches when the parent object itself is missing", () => {
      expect(matches({ detail: { errorCode: [{ exists: false }] } }, { source: "aws.ec2" })).toBe(true);
    });

    it("only works on leaf nodes: an object is not an existing leaf", () => {
      // Prepare
      const event = detailWith({ sessionContext: { sessionIssuer: "x" } });

      // Act
      const results = [
        matches({ detail: { sessionContext: [{ exists: true }] } }, event),
        matches({ detail: { sessionContext: { sessionIssuer: [{ exists: true }] } } }, event),
      ];

      // Assess
      expect(results).toEqual([false, true]);
    });
  });

  describe("[operators] equals-ignore-case and wildcard", () => {
    it('equals-ignore-case: "Name": [{ "equals-ignore-case": "alice" }] matches "Alice"', () => {
      // Prepare
      const pattern = { Name: [{ "equals-ignore-case": "alice" }] };

      // Act
      const results = ["Alice", "ALICE", "Alicia"].map((Name) => matches(pattern, { Name }));

      // Assess
      expect(results).toEqual([true, true, false]);
    });

    it('wildcard: any file with a .png extension in the folder "dir" ("dir/*.png")', () => {
      // Prepare
      const pattern = { EventName: [{ wildcard: "dir/*.png" }] };

      // Act
      const results = ["dir/image.png", "other/image.png", "dir/image.jpg"].map((EventName) =>
        matches(pattern, { EventName }),
      );

      // Assess
      expect(results).toEqual([true, false, false]);
    });

    it("wildcard: * also crosses / and matches nothing at all", () => {
      // Prepare
      const pattern = { EventName: [{ wildcard: "dir/*.png" }] };

      // Act
      const results = ["dir/sub/deep/image.png", "dir/.png"].map((EventName) =>
        matches(pattern, { EventName }),
      );

      // Assess
      expect(results).toEqual([true, true]);
    });

    it("wildcard: an escaped \\* is a literal star and other characters are literal", () => {
      // Prepare
      const pattern = { key: [{ wildcard: "a\\*b.c" }] };

      // Act
      const results = ["a*b.c", "aXb.c", "a*bXc"].map((key) => matches(pattern, { key }));

      // Assess
      expect(results).toEqual([true, false, false]);
    });
  });

  describe("patterns it cannot evaluate", () => {
    it("refuses an operator it does not implement (cidr) instead of guessing", () => {
      // Prepare
      const pattern = { detail: { sourceIPAddress: [{ cidr: "10.0.0.0/24" }] } };

      // Act
      const act = () => matches(pattern, detailWith({ sourceIPAddress: "10.0.0.1" }));

      // Assess
      expect(act).toThrow(UnsupportedPatternError);
      expect(act).toThrow('unsupported event pattern at detail.sourceIPAddress: unknown operator "cidr"');
    });

    it("refuses a field whose value is neither an array nor a nested pattern", () => {
      expect(() => matches({ source: "aws.ec2" } as unknown as EventPattern, { source: "aws.ec2" })).toThrow(
        UnsupportedPatternError,
      );
    });

    it("refuses a wildcard with consecutive stars, as EventBridge does", () => {
      expect(() => matches({ key: [{ wildcard: "a**b" }] }, { key: "ab" })).toThrow(UnsupportedPatternError);
    });
  });
});
