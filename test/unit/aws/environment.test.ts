import { ConfigError } from "@ami-lifecycle/core";
import { describe, expect, it } from "vitest";
import { readFunctionEnvironment } from "../../../packages/aws/src/runtime/environment";

const base = {
  AWS_REGION: "us-east-1",
  REGISTRY_TABLE_NAME: "registry",
  IDEMPOTENCY_TABLE_NAME: "idempotency",
  NOTIFICATIONS_TOPIC_ARN: "arn:aws:sns:us-east-1:111122223333:notifications",
};

describe("readFunctionEnvironment: SERVICE_ROLE_ARNS", () => {
  it("reads the service's role ARNs from a comma-separated list", () => {
    // Act
    const environment = readFunctionEnvironment({
      ...base,
      SERVICE_ROLE_ARNS: "arn:aws:iam::111122223333:role/a,arn:aws-us-gov:iam::111122223333:role/path/b",
    });

    // Assess
    expect(environment.SERVICE_ROLE_ARNS).toEqual([
      "arn:aws:iam::111122223333:role/a",
      "arn:aws-us-gov:iam::111122223333:role/path/b",
    ]);
  });

  it("leaves it unset when the stacks did not set it", () => {
    expect(readFunctionEnvironment(base).SERVICE_ROLE_ARNS).toBeUndefined();
  });

  it.each([
    ["a user ARN", "arn:aws:iam::111122223333:user/mallory"],
    ["an assumed-role session", "arn:aws:sts::111122223333:assumed-role/a/session"],
    ["an empty list", ","],
  ])("refuses %s, naming the variable", (_, value) => {
    // Act
    const read = () => readFunctionEnvironment({ ...base, SERVICE_ROLE_ARNS: value });

    // Assess
    expect(read).toThrow(ConfigError);
    expect(read).toThrow(/SERVICE_ROLE_ARNS: must be a comma-separated list of IAM role ARNs/);
  });
});

describe("readFunctionEnvironment: the variables the stacks set", () => {
  it("reads them as given", () => {
    expect(
      readFunctionEnvironment({ ...base, SECURITY_TOPIC_ARN: "arn:aws:sns:us-east-1:111122223333:sec" }),
    ).toEqual({
      ...base,
      SECURITY_TOPIC_ARN: "arn:aws:sns:us-east-1:111122223333:sec",
    });
  });

  it("names every missing, empty or malformed variable at once, with what it must hold", () => {
    // Act
    const read = () =>
      readFunctionEnvironment({
        REGISTRY_TABLE_NAME: "",
        NOTIFICATIONS_TOPIC_ARN: "notifications",
        SECURITY_TOPIC_ARN: "security",
      });

    // Assess
    expect(read).toThrow(ConfigError);
    let issues: readonly { path: string; message: string }[] = [];
    try {
      read();
    } catch (error) {
      issues = (error as ConfigError).issues;
    }
    expect(issues).toEqual([
      { path: "AWS_REGION", message: "must be set (Lambda sets it)" },
      { path: "REGISTRY_TABLE_NAME", message: "must name the registry table" },
      { path: "IDEMPOTENCY_TABLE_NAME", message: "must name the idempotency table" },
      { path: "NOTIFICATIONS_TOPIC_ARN", message: "must be an SNS topic ARN" },
      { path: "SECURITY_TOPIC_ARN", message: "must be an SNS topic ARN" },
    ]);
  });
});
