import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { matchesPattern } from "@ami-lifecycle/simulated-account";
import { describe, expect, it } from "vitest";
import {
  amiStateChangePattern,
  InvalidEventError,
  imageApiCallPattern,
  imagePermissionChangePattern,
  imageTagChangePattern,
  parseImageTagChange,
} from "../../../packages/core/src/index";

const fixtureDir = join(__dirname, "../../fixtures/tag-events");
type Sample = { detail: Record<string, unknown> & { requestParameters: Record<string, unknown> } };

/** A fresh, mutable copy of one sample of test/fixtures/tag-events. */
function sample(file: string): Sample {
  return JSON.parse(readFileSync(join(fixtureDir, file), "utf8")) as Sample;
}

/** The issues of the InvalidEventError the contract throws for `event`. */
function issuesOf(event: unknown): { path: string; message: string }[] {
  try {
    parseImageTagChange(event);
  } catch (error) {
    if (error instanceof InvalidEventError) return [...error.issues];
    throw error;
  }
  throw new Error("the contract accepted the event");
}

describe("image tag change contract (CloudTrail CreateTags / DeleteTags)", () => {
  it("reads the resources, the lifecycle tags only, and the caller of a forged CreateTags", () => {
    // Act
    const change = parseImageTagChange(sample("cloudtrail-create-tags-forged.json"));

    // Assess
    expect(change).toMatchObject({
      cloudTrailEventId: "3c4d5e6f-7a8b-4c9d-8e0f-1a2b3c4d5e6f",
      eventName: "CreateTags",
      region: "us-east-1",
      accountId: "111122223333",
      resourceIds: ["ami-0f1e2d3c4b5a69788", "snap-0a9b8c7d6e5f43210"],
      lifecycleTags: [
        { key: "ami-lifecycle:managed", value: "true" },
        { key: "ami-lifecycle:family", value: "web" },
        { key: "ami-lifecycle:version", value: "1" },
      ],
      allTagsDeleted: false,
      actor: "arn:aws:iam::111122223333:user/mallory",
    });
    // An IAM user has no session role: it can never pass for one of the service's roles.
    expect(change.callerRoleArn).toBeUndefined();
  });

  it("names the role behind an assumed-role session, which is how the service's own calls are told apart", () => {
    // Act
    const change = parseImageTagChange(sample("cloudtrail-create-tags-service.json"));

    // Assess
    expect(change.callerRoleArn).toBe(
      "arn:aws:iam::111122223333:role/ami-lifecycle-prod-ImageStateChangeRole-4f2a9b3",
    );
    expect(change.actor).toBe(change.callerRoleArn);
  });

  it("reads a DeleteTags of a key without its value, and one naming no tags as deleting every tag", () => {
    // Act
    const oneKey = parseImageTagChange(sample("cloudtrail-delete-tags-managed.json"));
    const everyTag = parseImageTagChange(sample("cloudtrail-delete-tags-all.json"));

    // Assess
    expect(oneKey).toMatchObject({
      eventName: "DeleteTags",
      lifecycleTags: [{ key: "ami-lifecycle:managed" }],
      allTagsDeleted: false,
    });
    expect(oneKey.lifecycleTags[0]).not.toHaveProperty("value");
    expect(everyTag).toMatchObject({ lifecycleTags: [], allTagsDeleted: true });
  });

  it("does not take a CreateTags without tags for a deletion of every tag", () => {
    // Prepare
    const event = sample("cloudtrail-create-tags-forged.json");
    delete event.detail.requestParameters.tagSet;

    // Act
    const change = parseImageTagChange(event);

    // Assess
    expect(change).toMatchObject({ lifecycleTags: [], allTagsDeleted: false });
  });

  it.each([
    ["no resources", (event: Sample) => delete event.detail.requestParameters.resourcesSet, "resourcesSet"],
    [
      "an empty resource list",
      (event: Sample) => {
        event.detail.requestParameters.resourcesSet = { items: [] };
      },
      "detail.requestParameters.resourcesSet.items",
    ],
    [
      "a tag key longer than EC2 allows",
      (event: Sample) => {
        event.detail.requestParameters.tagSet = { items: [{ key: "k".repeat(129), value: "v" }] };
      },
      "detail.requestParameters.tagSet.items[0].key",
    ],
    [
      "a tag value that is not a string",
      (event: Sample) => {
        event.detail.requestParameters.tagSet = { items: [{ key: "ami-lifecycle:managed", value: true }] };
      },
      "detail.requestParameters.tagSet.items[0].value",
    ],
    [
      "another EC2 call",
      (event: Sample) => {
        event.detail.eventName = "ModifyImageAttribute";
      },
      "detail.eventName",
    ],
    ["no caller", (event: Sample) => delete event.detail.userIdentity, "detail.userIdentity"],
  ])("rejects an event with %s, naming the field", (_, corrupt, field) => {
    // Prepare
    const event = sample("cloudtrail-create-tags-forged.json");
    corrupt(event);

    // Act
    const issues = issuesOf(event);

    // Assess
    expect(issues.map((issue) => issue.path).join(" ")).toContain(field);
  });
});

describe("image tag change pattern", () => {
  const samples = readdirSync(fixtureDir).filter((file) => file.endsWith(".json"));

  it.each([
    "cloudtrail-create-tags-forged.json",
    "cloudtrail-create-tags-service.json",
    "cloudtrail-create-tags-keep.json",
    "cloudtrail-delete-tags-managed.json",
    "cloudtrail-delete-tags-all.json",
  ])("delivers %s, which names an ami-lifecycle: key or deletes every tag", (file) => {
    expect(matchesPattern(imageTagChangePattern, sample(file))).toBe(true);
  });

  it("does not deliver a CreateTags of other keys only, nor a DeleteTags of other keys only", () => {
    // Prepare
    const createOthers = sample("cloudtrail-create-tags-unrelated.json");
    const deleteOthers = sample("cloudtrail-delete-tags-managed.json");
    deleteOthers.detail.requestParameters.tagSet = { items: [{ key: "Name" }, { key: "team" }] };

    // Assess
    expect(matchesPattern(imageTagChangePattern, createOthers)).toBe(false);
    expect(matchesPattern(imageTagChangePattern, deleteOthers)).toBe(false);
  });

  it("does not deliver a CreateTags without tags (it deletes nothing), nor a refused call", () => {
    // Prepare
    const createNothing = sample("cloudtrail-create-tags-forged.json");
    delete createNothing.detail.requestParameters.tagSet;
    const refused = sample("cloudtrail-create-tags-forged.json");
    refused.detail.errorCode = "Client.UnauthorizedOperation";

    // Assess
    expect(matchesPattern(imageTagChangePattern, createNothing)).toBe(false);
    expect(matchesPattern(imageTagChangePattern, refused)).toBe(false);
  });

  it("matches the prefix only at the start of a key, case-sensitively as EC2 keys are", () => {
    // Prepare
    const inside = sample("cloudtrail-create-tags-unrelated.json");
    inside.detail.requestParameters.tagSet = { items: [{ key: "x-ami-lifecycle:managed", value: "true" }] };
    const upper = sample("cloudtrail-create-tags-unrelated.json");
    upper.detail.requestParameters.tagSet = { items: [{ key: "AMI-LIFECYCLE:managed", value: "true" }] };

    // Assess
    expect(matchesPattern(imageTagChangePattern, inside)).toBe(false);
    expect(matchesPattern(imageTagChangePattern, upper)).toBe(false);
  });

  it.each(samples)("keeps %s away from the other EC2 rules", (file) => {
    for (const other of [amiStateChangePattern, imageApiCallPattern, imagePermissionChangePattern]) {
      expect(matchesPattern(other, sample(file))).toBe(false);
    }
  });
});
