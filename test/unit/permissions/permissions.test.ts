import {
  actionPermissions,
  familySweepRequestPattern,
  handlerActions,
  isStackManagedKeyRef,
  LifecycleTag,
  MissingPermissionContextError,
  type PermissionAction,
  type PermissionContext,
  parseKeyRef,
  policyDocument,
  renderStatements,
} from "@ami-lifecycle/core";
import { describe, expect, it } from "vitest";

const actions = Object.keys(actionPermissions) as PermissionAction[];
// Service prefix, colon, then an API name in PascalCase: IAM actions as AWS spells them.
const wellFormedAction =
  /^(ec2|kms|sns|dynamodb|events|xray|logs|sqs|lambda|ssm|imagebuilder|autoscaling|cloudwatch|rbin|sts):[A-Z][A-Za-z]+$/;

const context: PermissionContext = {
  partition: "aws",
  accountId: "111122223333",
  homeRegion: "us-east-1",
  managedRegions: ["us-east-1", "eu-west-1"],
  copyDestinationRegions: ["eu-west-1"],
  copyKeyArns: ["arn:aws:kms:eu-west-1:111122223333:key/k1"],
  notificationTopicArns: ["arn:aws:sns:us-east-1:111122223333:n", "arn:aws:sns:us-east-1:111122223333:s"],
  notificationsKeyArn: "arn:aws:kms:us-east-1:111122223333:key/n",
  registryTableArn: "arn:aws:dynamodb:us-east-1:111122223333:table/registry",
  idempotencyTableArn: "arn:aws:dynamodb:us-east-1:111122223333:table/idempotency",
  handlerDeadLetterQueueArn: "arn:aws:sqs:us-east-1:111122223333:dlq",
  functionLogGroupArn: "arn:aws:logs:us-east-1:111122223333:log-group:/aws/lambda/f",
  sweepFunctionArn: "arn:aws:lambda:us-east-1:111122223333:function:sweep",
  scheduleDeadLetterQueueArn: "arn:aws:sqs:us-east-1:111122223333:schedule-dlq",
  pointerPathPrefix: "/ami-lifecycle/",
  deploymentParameterArn: "arn:aws:ssm:us-east-1:111122223333:parameter/ami-lifecycle-deployment/prod",
};

describe("actionPermissions", () => {
  it.each(actions)("%s declares explicit, well-formed IAM actions and a purpose", (action) => {
    const declared = actionPermissions[action];
    expect(declared.purpose.length).toBeGreaterThan(10);
    expect(declared.statements.length).toBeGreaterThan(0);
    for (const statement of declared.statements) {
      expect(statement.actions.length).toBeGreaterThan(0);
      for (const iamAction of statement.actions) expect(iamAction).toMatch(wellFormedAction);
      expect(new Set(statement.actions).size).toBe(statement.actions.length);
      expect(statement.resources.length).toBeGreaterThan(0);
    }
  });

  it("conditions every destructive EC2 action on the managed tag", () => {
    const destructive = [
      "ec2:EnableImageDeprecation",
      "ec2:DisableImage",
      "ec2:DeregisterImage",
      "ec2:DeleteSnapshot",
    ];
    const statements = actions.flatMap((action) => actionPermissions[action].statements);
    for (const iamAction of destructive) {
      const granting = statements.filter((statement) => statement.actions.includes(iamAction));
      expect(granting.length).toBeGreaterThan(0);
      for (const statement of granting) {
        expect(statement.conditions).toContainEqual({
          test: "StringEquals",
          variable: `aws:ResourceTag/${LifecycleTag.managed}`,
          values: { fixed: ["true"] },
        });
        expect(statement.resources).not.toContain("any");
      }
    }
  });

  it("never grants a KMS action without limiting it to a calling service", () => {
    for (const action of actions) {
      for (const statement of actionPermissions[action].statements) {
        if (!statement.actions.some((iamAction) => iamAction.startsWith("kms:"))) continue;
        expect(statement.conditions?.some((condition) => condition.variable === "kms:ViaService")).toBe(true);
        expect(statement.resources).not.toContain("any");
      }
    }
  });
});

describe("handlerActions", () => {
  it("gives every handler only declared actions; retirement to the sweep, deregistration with snapshots (of failed copies) to the image event handlers", () => {
    const destructive: PermissionAction[] = [
      "deprecateImage",
      "disableImage",
      "deregisterImage",
      "deleteSnapshot",
    ];
    for (const [handler, granted] of Object.entries(handlerActions)) {
      for (const action of granted) expect(actions).toContain(action);
      const retires = destructive.filter((action) => (granted as readonly string[]).includes(action));
      // Only the image event handlers discard a failed copy; other handlers (rollback, …) retire nothing.
      const imageEventHandlers = ["image-api-call", "image-state-change"];
      const expected =
        handler === "retention-sweep"
          ? destructive
          : imageEventHandlers.includes(handler)
            ? ["deregisterImage", "deleteSnapshot"]
            : [];
      expect(retires).toEqual(expected);
    }
  });

  it("gives the idempotency table only to the handlers that keep idempotency records: the sweep, rollback and restore", () => {
    const withStore = Object.entries(handlerActions)
      .filter(([, granted]) => (granted as readonly string[]).includes("useIdempotencyStore"))
      .map(([handler]) => handler)
      .sort();
    expect(withStore).toEqual(["restore", "retention-sweep", "rollback"]);
  });
});

describe("renderStatements", () => {
  it("scopes pointer reads and writes to the pointer path in every managed region", () => {
    const [statement] = renderStatements(["movePointers"], context);
    expect(statement).toEqual({
      sid: "MovePointers",
      effect: "Allow",
      actions: ["ssm:GetParameter", "ssm:PutParameter"],
      resources: [
        "arn:aws:ssm:us-east-1:111122223333:parameter/ami-lifecycle/*",
        "arn:aws:ssm:eu-west-1:111122223333:parameter/ami-lifecycle/*",
      ],
    });
  });

  it("resolves images and snapshots to every managed region", () => {
    const [statement] = renderStatements(["deleteSnapshot"], context);
    expect(statement).toEqual({
      sid: "DeleteSnapshot",
      effect: "Allow",
      actions: ["ec2:DeleteSnapshot"],
      resources: ["arn:aws:ec2:us-east-1::snapshot/*", "arn:aws:ec2:eu-west-1::snapshot/*"],
      conditions: [
        { test: "StringEquals", variable: "aws:ResourceTag/ami-lifecycle:managed", values: ["true"] },
      ],
    });
  });

  it("limits copy keys to EC2 in the destination regions and grants to AWS resources", () => {
    const [use, grant] = renderStatements(["useCopyKeys"], context);
    expect(use?.resources).toEqual(context.copyKeyArns);
    expect(use?.conditions).toEqual([
      { test: "StringEquals", variable: "kms:ViaService", values: ["ec2.eu-west-1.amazonaws.com"] },
    ]);
    expect(grant?.sid).toBe("UseCopyKeys2");
    expect(grant?.conditions).toContainEqual({
      test: "Bool",
      variable: "kms:GrantIsForAWSResource",
      values: ["true"],
    });
  });

  it("allows sweep requests only with the shared pattern's source and detail-type, on the home bus", () => {
    const [statement] = renderStatements(["putSweepRequest"], context);
    expect(statement?.resources).toEqual(["arn:aws:events:us-east-1:111122223333:event-bus/default"]);
    expect(statement?.conditions).toEqual([
      {
        test: "ForAllValues:StringEquals",
        variable: "events:source",
        values: [...familySweepRequestPattern.source],
      },
      { test: "Null", variable: "events:source", values: ["false"] },
      {
        test: "ForAllValues:StringEquals",
        variable: "events:detail-type",
        values: [...familySweepRequestPattern["detail-type"]],
      },
    ]);
  });

  it("names the missing context field instead of rendering an empty resource", () => {
    const { registryTableArn: _omitted, ...withoutRegistry } = context;
    expect(() => renderStatements(["readRegistry"], withoutRegistry)).toThrow(MissingPermissionContextError);
    try {
      renderStatements(["readRegistry"], withoutRegistry);
    } catch (error) {
      expect(error).toMatchObject({ action: "readRegistry", field: "registryTableArn" });
    }
  });
});

describe("policyDocument", () => {
  it("groups conditions by operator in IAM JSON", () => {
    const document = policyDocument(renderStatements(["copyImage"], context));
    expect(document.Statement[1]).toEqual({
      Sid: "CopyImage2",
      Effect: "Allow",
      Action: ["ec2:CreateTags"],
      Resource: [
        "arn:aws:ec2:us-east-1::image/*",
        "arn:aws:ec2:eu-west-1::image/*",
        "arn:aws:ec2:us-east-1::snapshot/*",
        "arn:aws:ec2:eu-west-1::snapshot/*",
      ],
      Condition: {
        StringEquals: { "ec2:CreateAction": ["CopyImage"], "aws:RequestTag/ami-lifecycle:managed": ["true"] },
      },
    });
  });
});

describe("key references", () => {
  it.each([
    ["alias/ami-lifecycle", { kind: "stackManaged" }],
    ["arn:aws:kms:eu-west-1:111122223333:alias/ami-lifecycle", { kind: "stackManaged" }],
    ["alias/team-key", { kind: "alias", name: "alias/team-key" }],
    ["arn:aws:kms:eu-west-1:111122223333:alias/team-key", { kind: "alias", name: "alias/team-key" }],
    [
      "arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab",
      { kind: "keyArn", arn: "arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab" },
    ],
    [
      "1234abcd-12ab-34cd-56ef-1234567890ab",
      { kind: "keyId", keyId: "1234abcd-12ab-34cd-56ef-1234567890ab" },
    ],
  ])("%s is %o", (kmsKeyId, expected) => {
    expect(parseKeyRef(kmsKeyId)).toEqual(expected);
  });

  it("does not mistake an alias that merely contains the service's name for the stack's key", () => {
    expect(isStackManagedKeyRef("alias/ami-lifecycle-old")).toBe(false);
    expect(isStackManagedKeyRef("arn:aws:kms:eu-west-1:111122223333:alias/other/ami-lifecycle")).toBe(false);
  });
});
