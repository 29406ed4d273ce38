import { IamAuthorizer } from "@ami-lifecycle/simulated-account";
import { describe, expect, it } from "vitest";
import { PolicyShape, patternIgnoresId } from "../../../packages/simulated-account/src/iam/decision-class";

const ACCOUNT = "111122223333";
const principalArn = `arn:aws:sts::${ACCOUNT}:assumed-role/sweeper/session`;
const imagePrefix = "arn:aws:ec2:us-east-1::image/";
const image = (id: string) => `${imagePrefix}${id}`;
const first = "ami-0aaaaaaaaaaaaaaaa";
const second = "ami-0bbbbbbbbbbbbbbbb";

/** An authorizer governing one principal with one identity policy of `statements`. */
function authorizerWith(statements: object[]): IamAuthorizer {
  const iam = new IamAuthorizer(ACCOUNT);
  const policies = [{ name: "inline", document: { Version: "2012-10-17", Statement: statements } }];
  iam.govern(principalArn, { name: "sweeper", policies: () => policies });
  return iam;
}

/** Whether the principal may deregister the image with these resource tags. */
async function mayDeregister(iam: IamAuthorizer, resource: string, tags: Record<string, string>) {
  const context = Object.fromEntries(
    Object.entries(tags).map(([key, value]) => [`aws:ResourceTag/${key}`, value]),
  );
  const denial = await iam.authorize(principalArn, [{ action: "ec2:DeregisterImage", resource, context }]);
  return denial === undefined;
}

describe("patternIgnoresId", () => {
  it("treats `*`, patterns ending in /*, and patterns naming other resources as blind to the id", () => {
    // Prepare / Act / Assess
    expect(patternIgnoresId("*", imagePrefix)).toBe(true);
    expect(patternIgnoresId("arn:aws:ec2:*::image/*", imagePrefix)).toBe(true);
    expect(patternIgnoresId("arn:aws:ec2:us-east-1::snapshot/*", imagePrefix)).toBe(true);
    expect(patternIgnoresId("arn:aws:logs:us-east-1:111122223333:log-group:/aws/x:*", imagePrefix)).toBe(
      true,
    );
    expect(patternIgnoresId("arn:aws:sns:us-east-1:111122223333:topic", imagePrefix)).toBe(true);
  });

  it("treats a pattern naming one image, or a prefix of ids, as telling ids apart", () => {
    // Prepare / Act / Assess
    expect(patternIgnoresId(image(first), imagePrefix)).toBe(false);
    expect(patternIgnoresId("ARN:AWS:EC2:US-EAST-1::IMAGE/AMI-0AAAAAAAAAAAAAAAA", imagePrefix)).toBe(false);
    expect(patternIgnoresId("arn:aws:ec2:us-east-1::image/ami-0a*", imagePrefix)).toBe(false);
    expect(patternIgnoresId("arn:aws:ec2:*::image/ami-0a?*", imagePrefix)).toBe(false);
  });
});

describe("PolicyShape", () => {
  it("keeps the values of conditioned keys and only the names of the others", () => {
    // Prepare
    const shape = new PolicyShape([
      {
        Statement: [
          {
            Effect: "Allow",
            Action: "ec2:DeregisterImage",
            Resource: "arn:aws:ec2:*::image/*",
            Condition: { StringEquals: { "aws:ResourceTag/Managed": "true" } },
          },
        ],
      },
    ]);

    // Act
    const classes = [
      shape.contextClass({ "aws:ResourceTag/managed": "true", "aws:ResourceTag/version": "1" }),
      shape.contextClass({ "aws:ResourceTag/version": "2", "aws:ResourceTag/managed": "true" }),
      shape.contextClass({ "aws:ResourceTag/managed": "false", "aws:ResourceTag/version": "1" }),
    ].map((value) => JSON.stringify(value));

    // Assess
    expect(classes[0]).toBe(classes[1]);
    expect(classes[2]).not.toBe(classes[0]);
    expect(shape.resourceClass(image(first))).toBe(shape.resourceClass(image(second)));
  });

  it("never generalises policies with variables", () => {
    // Prepare
    const shape = new PolicyShape([
      // biome-ignore lint/suspicious/noTemplateCurlyInString: an IAM policy variable, not a template.
      { Statement: [{ Effect: "Allow", Action: "ec2:*", Resource: "arn:aws:ec2:*::image/${aws:username}" }] },
    ]);

    // Act / Assess
    expect(shape.resourceClass(image(first))).toBe(image(first));
    expect(shape.contextClass({ "aws:ResourceTag/version": "1" })).toEqual([
      ["aws:ResourceTag/version", "1"],
    ]);
  });
});

describe("IamAuthorizer decisions shared across resources", () => {
  it("still tells images apart when a statement names one image", async () => {
    // Prepare
    const iam = authorizerWith([
      { Effect: "Allow", Action: "ec2:DeregisterImage", Resource: image(first) },
      { Effect: "Allow", Action: "ec2:DescribeImages", Resource: "*" },
    ]);

    // Act
    const firstAllowed = await mayDeregister(iam, image(first), {});
    const secondAllowed = await mayDeregister(iam, image(second), {});

    // Assess
    expect([firstAllowed, secondAllowed]).toEqual([true, false]);
    expect(iam.takeDenials().map((denial) => denial.resource)).toEqual([image(second)]);
  });

  it("still tells images apart by a conditioned tag, whatever their other tags", async () => {
    // Prepare
    const iam = authorizerWith([
      {
        Effect: "Allow",
        Action: "ec2:DeregisterImage",
        Resource: "arn:aws:ec2:*::image/*",
        Condition: { StringEquals: { "aws:ResourceTag/managed": "true" } },
      },
    ]);

    // Act
    const decisions = [
      await mayDeregister(iam, image(first), { managed: "true", version: "1" }),
      await mayDeregister(iam, image(second), { managed: "false", version: "1" }),
      await mayDeregister(iam, image(second), { managed: "true", version: "2" }),
      await mayDeregister(iam, image(first), { version: "3" }),
    ];

    // Assess
    expect(decisions).toEqual([true, false, true, false]);
    expect(iam.takeDenials().map((denial) => [denial.resource, denial.context])).toEqual([
      [image(second), { "aws:ResourceTag/managed": "false", "aws:ResourceTag/version": "1" }],
      [image(first), { "aws:ResourceTag/version": "3" }],
    ]);
  });
});
