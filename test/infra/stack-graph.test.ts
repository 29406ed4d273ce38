import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import {
  actionPermissions,
  amiStateChangePattern,
  type Config,
  consumerKeyActions,
  familySweepRequestPattern,
  type HandlerName,
  handlerActions,
  imageApiCallPattern,
  imagePermissionChangePattern,
  imageTagChangePattern,
  isDeployedAction,
  LifecycleTag,
  loadConfigFile,
  organizationPermissionContext,
  type PermissionAction,
  parseDeploymentDescriptor,
  scheduledSweepInput,
  statementSid,
  sweepInvocationSchema,
} from "@ami-lifecycle/core";
import { matchesPattern } from "@ami-lifecycle/simulated-account";
import { beforeAll, describe, expect, it } from "vitest";
import { consumerStatements } from "../../stacks/keys";
import { mockAccount, type SstGraph } from "./support/graph-types";
import {
  allPolicies,
  appRoot,
  asList,
  evaluateSstGraph,
  type PolicyStatement,
  resourceNamed,
  resourcesOfType,
} from "./support/sst-graph";

const config: Config = loadConfigFile(join(appRoot, "ami-lifecycle.config.json"));
const fixtureDir = join(appRoot, "test/fixtures/events");
const home = config.homeRegion;
const { accountId, partition } = mockAccount;
const homeBusArn = `arn:${partition}:events:${home}:${accountId}:event-bus/default`;
const handlers = Object.keys(handlerActions) as HandlerName[];
const label = (handler: string) =>
  handler
    .split("-")
    .map((part) => part.charAt(0).toUpperCase() + part.slice(1))
    .join("");
const destinations = [
  ...new Set(config.families.flatMap((family) => family.copyTo.map((copy) => copy.region))),
];

let prod: SstGraph;
let dev: SstGraph;

beforeAll(async () => {
  // Prepare: evaluate the real sst.config.ts for a production and a development stage.
  [prod, dev] = await Promise.all([evaluateSstGraph("prod"), evaluateSstGraph("dev")]);
}, 180_000);

describe("app", () => {
  it("puts the default provider in the home region and protects production only", () => {
    expect(prod.app).toMatchObject({
      providers: { aws: { region: home } },
      removal: "retain",
      protect: true,
    });
    expect(dev.app).toMatchObject({
      providers: { aws: { region: home } },
      removal: "remove",
      protect: false,
    });
  });

  it("creates one provider per other managed region", () => {
    const providerRegions = resourcesOfType(prod, "pulumi:providers:aws").map(
      (provider) => provider.inputs.region,
    );
    expect(providerRegions.sort()).toEqual(config.regions.filter((region) => region !== home).sort());
  });
});

describe("resources per region", () => {
  it("keeps everything but forwarding rules and copy keys in the home region", () => {
    for (const region of config.regions.filter((candidate) => candidate !== home)) {
      const types = prod.resources
        .filter((resource) => resource.region === region && resource.type !== "pulumi:providers:aws")
        .map((resource) => resource.type);
      const expectedKeys = destinations.includes(region) ? ["aws:kms/alias:Alias", "aws:kms/key:Key"] : [];
      expect([...new Set(types)].sort()).toEqual(
        [
          "aws:cloudwatch/eventRule:EventRule",
          "aws:cloudwatch/eventTarget:EventTarget",
          "aws:rbin/rule:Rule",
          ...expectedKeys,
        ].sort(),
      );
      expect(types.filter((type) => type === "aws:cloudwatch/eventRule:EventRule")).toHaveLength(4);
    }
  });

  it("runs the handlers, tables, topics and schedule at home", () => {
    expect(resourcesOfType(prod, "aws:lambda/function:Function", home)).toHaveLength(handlers.length);
    expect(resourcesOfType(prod, "aws:dynamodb/table:Table", home)).toHaveLength(2);
    expect(resourcesOfType(prod, "aws:sns/topic:Topic", home)).toHaveLength(2);
    expect(resourcesOfType(prod, "aws:scheduler/schedule:Schedule", home)).toHaveLength(1);
    expect(resourcesOfType(prod, "aws:cloudwatch/eventRule:EventRule", home)).toHaveLength(5);
  });
});

describe("recycle bin", () => {
  it("creates, in every managed region, paired tag-level rules on the retired tag per distinct recovery period", () => {
    const periods = [...new Set(config.families.map((family) => family.retention.recoverableForDays))]
      .filter((days) => days > 0)
      .sort((a, b) => a - b);
    for (const region of config.regions) {
      const rules = resourcesOfType(prod, "aws:rbin/rule:Rule", region).map((rule) => rule.inputs);
      const days = (type: string) =>
        rules
          .filter((rule) => rule.resourceType === type)
          .map((rule) => (rule.retentionPeriod as { retentionPeriodValue: number }).retentionPeriodValue)
          .sort((a, b) => a - b);
      expect({ region, images: days("EC2_IMAGE"), snapshots: days("EBS_SNAPSHOT") }).toEqual({
        region,
        images: periods,
        snapshots: periods,
      });
      for (const rule of rules) {
        expect(rule).toMatchObject({
          retentionPeriod: { retentionPeriodUnit: "DAYS" },
          resourceTags: [{ resourceTagKey: "ami-lifecycle:retired", resourceTagValue: "true" }],
        });
        // Tag-level rules cannot be locked, and exclusions would make a region-level rule.
        expect(rule.lockConfiguration).toBeUndefined();
        expect(rule.excludeResourceTags).toBeUndefined();
      }
    }
  });
});

describe("event routing", () => {
  const routes = [
    { name: "AmiStateChange", pattern: amiStateChangePattern, handler: "image-state-change" },
    { name: "ImageApiCall", pattern: imageApiCallPattern, handler: "image-api-call" },
    {
      name: "ImagePermissionChange",
      pattern: imagePermissionChangePattern,
      handler: "image-permission-change",
    },
    { name: "ImageTagChange", pattern: imageTagChangePattern, handler: "image-tag-change" },
    { name: "FamilySweepRequest", pattern: familySweepRequestPattern, handler: "retention-sweep" },
  ] as const;

  it.each(routes)(
    "home rule $name uses the shared pattern and targets $handler",
    ({ name, pattern, handler }) => {
      const rule = resourceNamed(prod, "aws:cloudwatch/eventRule:EventRule", `${name}Rule`);
      const target = resourceNamed(prod, "aws:cloudwatch/eventTarget:EventTarget", `${name}Target`);
      const fn = functionOf(prod, handler);
      expect(rule.region).toBe(home);
      expect(rule.inputs.eventBusName).toBe("default");
      expect(JSON.parse(String(rule.inputs.eventPattern))).toEqual(pattern);
      expect(target.inputs.arn).toBe(arnOf(fn));
      expect(target.inputs.retryPolicy).toEqual({
        maximumEventAgeInSeconds: 86_400,
        maximumRetryAttempts: 185,
      });
      expect(target.inputs.deadLetterConfig).toEqual({ arn: queueArn("RoutingDeadLetterQueue") });
      const permission = resourceNamed(prod, "aws:lambda/permission:Permission", `${name}InvokePermission`);
      expect(permission.inputs).toMatchObject({
        principal: "events.amazonaws.com",
        function: fn.inputs.name,
      });
      expect(permission.inputs.sourceArn).toBe(
        `arn:${partition}:events:${home}:${accountId}:rule/${name}Rule-physical`,
      );
    },
  );

  it("forwards every EC2 event kind, never sweep requests, from every other region to the home bus", () => {
    const forwardRole = resourceNamed(prod, "aws:iam/role:Role", "ForwardToHomeRole");
    for (const region of config.regions.filter((candidate) => candidate !== home)) {
      const rules = resourcesOfType(prod, "aws:cloudwatch/eventRule:EventRule", region);
      expect(rules.map((rule) => JSON.parse(String(rule.inputs.eventPattern)))).toEqual([
        amiStateChangePattern,
        imageApiCallPattern,
        imagePermissionChangePattern,
        imageTagChangePattern,
      ]);
      for (const target of resourcesOfType(prod, "aws:cloudwatch/eventTarget:EventTarget", region)) {
        expect(target.inputs.arn).toBe(homeBusArn);
        expect(target.inputs.roleArn).toBe(
          `arn:${partition}:iam::${accountId}:role/${forwardRole.name}-physical`,
        );
      }
    }
    const forwardPolicy = identityStatements(prod, "ForwardToHomeRole/forward-to-home");
    expect(forwardPolicy).toEqual([
      { Sid: "ForwardEventsToHome", Effect: "Allow", Action: ["events:PutEvents"], Resource: [homeBusArn] },
    ]);
  });
});

describe("functions", () => {
  it.each(handlers)(
    "%s runs on nodejs22.x arm64 with its environment, tracing and dead-letter queue",
    (handler) => {
      const fn = functionOf(prod, handler);
      expect(fn.inputs).toMatchObject({
        runtime: "nodejs22.x",
        architectures: ["arm64"],
        handler: `${handler}.handler`,
        tracingConfig: { mode: "Active" },
        deadLetterConfig: { targetArn: queueArn("HandlerDeadLetterQueue") },
      });
      const variables = (fn.inputs.environment as { variables: Record<string, string> }).variables;
      expect(variables).toMatchObject({
        REGISTRY_TABLE_NAME: tableNamed(prod, "Registry").inputs.name ?? expect.any(String),
        NOTIFICATIONS_TOPIC_ARN: `arn:${partition}:sns:${home}:${accountId}:NotificationsTopic-physical`,
        SECURITY_TOPIC_ARN: `arn:${partition}:sns:${home}:${accountId}:SecurityTopic-physical`,
        POWERTOOLS_SERVICE_NAME: "ami-lifecycle",
        POWERTOOLS_METRICS_NAMESPACE: "AmiLifecycle",
        POWERTOOLS_LOG_LEVEL: "INFO",
      });
      expect(variables.IDEMPOTENCY_TABLE_NAME).toMatch(/Idempotency/);
      expect(functionOf(dev, handler).inputs.environment).toMatchObject({
        variables: { POWERTOOLS_LOG_LEVEL: "DEBUG" },
      });
      const invokeConfig = resourceNamed(
        prod,
        "aws:lambda/functionEventInvokeConfig:FunctionEventInvokeConfig",
        `${label(handler)}EventInvokeConfig`,
      );
      expect(invokeConfig.inputs).toMatchObject({
        maximumRetryAttempts: 2,
        maximumEventAgeInSeconds: 21_600,
      });
    },
  );

  it("tells every handler the service's own role ARNs, so the tamper guard can skip their tagging calls", () => {
    const roleArns = handlers.map(
      (handler) => `arn:${partition}:iam::${accountId}:role/${label(handler)}Role-physical`,
    );
    for (const handler of handlers) {
      const variables = (
        functionOf(prod, handler).inputs.environment as { variables: Record<string, string> }
      ).variables;
      expect(String(variables.SERVICE_ROLE_ARNS).split(",").sort()).toEqual(roleArns.sort());
    }
  });

  it("sizes the sweep larger and longer than the event handlers", () => {
    const sweep = functionOf(prod, "retention-sweep").inputs;
    for (const handler of ["image-api-call", "image-state-change"] as const) {
      const event = functionOf(prod, handler).inputs;
      expect(Number(sweep.memorySize)).toBeGreaterThan(Number(event.memorySize));
      expect(Number(sweep.timeout)).toBeGreaterThan(Number(event.timeout));
    }
    expect(sweep.timeout).toBe(900);
  });

  it("asks SST to build every handler as minified ESM for arm64", () => {
    expect(prod.builds.map((build) => build.handler).sort()).toEqual(
      handlers.map((handler) => `functions/${handler}.handler`).sort(),
    );
    for (const build of prod.builds) {
      expect(build.runtime).toBe("nodejs22.x");
      expect(build.properties).toMatchObject({
        format: "esm",
        minify: true,
        sourcemap: false,
        architecture: "arm64",
      });
    }
  });
});

describe("least privilege", () => {
  const policies = () => allPolicies(prod);

  it("uses no wildcard action in any policy", () => {
    const actions = policies().flatMap((policy) =>
      policy.statements.flatMap((statement) => asList(statement.Action)),
    );
    expect(actions.length).toBeGreaterThan(50);
    expect(actions.filter((action) => action.includes("*"))).toEqual([]);
  });

  it("attaches no managed policy to any role", () => {
    expect(resourcesOfType(prod, "aws:iam/rolePolicyAttachment:RolePolicyAttachment")).toEqual([]);
    for (const role of resourcesOfType(prod, "aws:iam/role:Role").filter((candidate) => !candidate.readId)) {
      expect(role.inputs.managedPolicyArns ?? []).toEqual([]);
    }
  });

  it("grants each handler exactly its declared actions, rendered from the permissions registry", () => {
    for (const handler of handlers) {
      const statements = [
        ...identityStatements(prod, `${label(handler)}Policy`),
        ...identityStatements(prod, `${label(handler)}CopyKeysPolicy`),
      ];
      // Organization grants only with the `organization` slice (isDeployedAction).
      const expectedSids = (handlerActions[handler] as readonly PermissionAction[])
        .filter((action) => isDeployedAction(action, organizationPermissionContext(config)))
        .flatMap((action) =>
          actionPermissions[action].statements.map((_, index) => statementSid(action, index)),
        );
      expect(statements.map((statement) => statement.Sid).sort()).toEqual(expectedSids.sort());
      for (const statement of statements) {
        const [action, index] = declaredFor(String(statement.Sid));
        expect(asList(statement.Action)).toEqual([
          ...(actionPermissions[action].statements[index]?.actions ?? []),
        ]);
      }
    }
  });

  it("lets only the sweep retire images; event handlers may only discard a failed copy (deregister, and its snapshots)", () => {
    const destructive = [
      "ec2:EnableImageDeprecation",
      "ec2:DisableImage",
      "ec2:DeregisterImage",
      "ec2:DeleteSnapshot",
    ];
    for (const handler of handlers) {
      const actions = identityStatements(prod, `${label(handler)}Policy`).flatMap((statement) =>
        asList(statement.Action),
      );
      const granted = destructive.filter((action) => actions.includes(action));
      // Only the image event handlers discard a failed copy; other handlers (rollback, …) retire nothing.
      // DeregisterImage deletes the copy's snapshots with the caller's own ec2:DeleteSnapshot.
      const expected =
        handler === "retention-sweep"
          ? destructive
          : ["image-api-call", "image-state-change"].includes(handler)
            ? ["ec2:DeregisterImage", "ec2:DeleteSnapshot"]
            : [];
      expect(granted).toEqual(expected);
    }
  });

  it("lets the tamper guard read the registry, claim, and publish, and touch nothing in EC2", () => {
    const statements = identityStatements(prod, "ImageTagChangePolicy");
    const actions = statements.flatMap((statement) => asList(statement.Action));
    expect(actions.filter((action) => action.startsWith("ec2:"))).toEqual([]);
    expect(actions).toEqual(expect.arrayContaining(["sns:Publish", "dynamodb:Query", "dynamodb:PutItem"]));
    const publish = statements.find((statement) => statement.Sid === "PublishNotification");
    expect(asList(publish?.Resource)).toContain(
      `arn:${partition}:sns:${home}:${accountId}:SecurityTopic-physical`,
    );
  });

  it("lets the event handlers, the sweep and rollback move only the pointers under the pattern's path", () => {
    const movers = handlers.filter((handler) =>
      (handlerActions[handler] as readonly string[]).includes("movePointers"),
    );
    expect(movers).toEqual(expect.arrayContaining(["image-state-change", "retention-sweep", "rollback"]));
    const expected = config.regions.map(
      (region) => `arn:${partition}:ssm:${region}:${accountId}:parameter/ami-lifecycle/*`,
    );
    for (const handler of movers) {
      const [statement] = identityStatements(prod, `${label(handler)}Policy`).filter(
        (candidate) => candidate.Sid === "MovePointers",
      );
      expect(asList(statement?.Action)).toEqual(["ssm:GetParameter", "ssm:PutParameter"]);
      expect(asList(statement?.Resource)).toEqual(expected);
    }
    expect(statementsWithAction(prod, /^ssm:PutParameter$/)).toHaveLength(movers.length);
  });

  it("grants the sweep what its reference lookup reads: the fallback's SSM reads on the account's parameters, Auto Scaling", () => {
    const statements = identityStatements(prod, `${label("retention-sweep")}Policy`);
    const granting = (action: string) =>
      statements.filter((statement) => asList(statement.Action).includes(action) && !statement.Condition);
    for (const action of [
      "ssm:DescribeParameters",
      "autoscaling:DescribeAutoScalingGroups",
      "autoscaling:DescribeLaunchConfigurations",
      "ec2:DescribeLaunchTemplateVersions",
    ]) {
      expect(granting(action).flatMap((statement) => asList(statement.Resource))).toContain("*");
    }
    const parameters = config.regions.map(
      (region) => `arn:${partition}:ssm:${region}:${accountId}:parameter/*`,
    );
    for (const action of ["ssm:GetParametersByPath", "ssm:GetParameter"]) {
      const resources = granting(action).flatMap((statement) => asList(statement.Resource));
      expect(resources).toEqual(expect.arrayContaining(parameters));
    }
    // Only the sweep looks up references: no other role reads every parameter.
    expect(statementsWithAction(prod, /^ssm:GetParametersByPath$/)).toHaveLength(1);
  });

  it("conditions destructive EC2 actions on the managed tag, on images and snapshots only", () => {
    const statements = statementsWithAction(
      prod,
      /^ec2:(EnableImageDeprecation|DisableImage|DeregisterImage|DeleteSnapshot)$/,
    );
    expect(statements.length).toBeGreaterThanOrEqual(4);
    for (const statement of statements) {
      expect(statement.Condition).toEqual({
        StringEquals: { [`aws:ResourceTag/${LifecycleTag.managed}`]: ["true"] },
      });
      for (const resource of asList(statement.Resource)) {
        expect(resource).toMatch(/^arn:aws:ec2:[a-z0-9-]+::(image|snapshot)\/\*$/);
      }
    }
  });

  it("lets CopyImage and its create-time tagging only produce managed copies", () => {
    const copy = statementsWithAction(prod, /^ec2:CopyImage$/);
    expect(copy.length).toBeGreaterThan(0);
    for (const statement of copy) {
      expect(statement.Condition).toEqual({
        StringEquals: { [`aws:RequestTag/${LifecycleTag.managed}`]: ["true"] },
      });
    }
    for (const statement of statementsWithAction(prod, /^ec2:CreateTags$/)) {
      const conditions = statement.Condition ?? {};
      const onCopy = conditions.StringEquals?.["ec2:CreateAction"];
      const onlyLifecycleKeys = conditions["ForAllValues:StringLike"]?.["aws:TagKeys"];
      expect(onCopy ?? onlyLifecycleKeys).toBeDefined();
      if (onCopy)
        expect(conditions.StringEquals?.[`aws:RequestTag/${LifecycleTag.managed}`]).toEqual(["true"]);
      if (onlyLifecycleKeys) expect(onlyLifecycleKeys).toEqual(["ami-lifecycle:*"]);
    }
  });

  it("limits KMS use in identity policies to the service's keys through EC2 or SNS", () => {
    const kms = allPolicies(prod)
      .filter((policy) => policy.kind === "identity")
      .flatMap((policy) => policy.statements)
      .filter((statement) => asList(statement.Action).some((action) => action.startsWith("kms:")));
    expect(kms.length).toBeGreaterThan(0);
    const keyArns = resourcesOfType(prod, "aws:kms/key:Key").map(
      (key) => `arn:${partition}:kms:${key.region}:${accountId}:key/key-${key.name}`,
    );
    for (const statement of kms) {
      const via = asList(statement.Condition?.StringEquals?.["kms:ViaService"]);
      expect(via.length).toBeGreaterThan(0);
      for (const resource of asList(statement.Resource)) expect(keyArns).toContain(resource);
    }
    const copyVia = kms
      .filter((statement) => String(statement.Sid).startsWith("UseCopyKeys"))
      .flatMap((statement) => asList(statement.Condition?.StringEquals?.["kms:ViaService"]));
    expect([...new Set(copyVia)].sort()).toEqual(
      destinations.map((region) => `ec2.${region}.amazonaws.com`).sort(),
    );
  });

  it("lets the account's IAM (the service's roles) use a created copy key only through EC2 in its region", () => {
    for (const region of destinations) {
      const key = resourcesOfType(prod, "aws:kms/key:Key", region)[0];
      expect(key?.inputs).toMatchObject({
        enableKeyRotation: true,
        customerMasterKeySpec: "SYMMETRIC_DEFAULT",
      });
      const policy = JSON.parse(String(key?.inputs.policy)) as { Statement: PolicyStatement[] };
      // The roles use it through the account's delegation to IAM (their useCopyKeys grant), only via EC2.
      const accountUse = policy.Statement.filter((statement) =>
        ["AccountUsesThroughEc2", "AccountGrantsEc2"].includes(statement.Sid ?? ""),
      );
      expect(accountUse).toHaveLength(2);
      for (const statement of accountUse) {
        expect(statement.Principal).toEqual({ AWS: `arn:${partition}:iam::${accountId}:root` });
        expect(statement.Condition?.StringEquals).toEqual({
          "kms:ViaService": `ec2.${region}.amazonaws.com`,
          "kms:CallerAccount": accountId,
        });
      }
      expect(JSON.stringify(policy)).not.toContain(":role/");
      for (const statement of policy.Statement.filter((candidate) =>
        asList(candidate.Action).includes("kms:CreateGrant"),
      )) {
        expect(statement.Condition?.Bool).toEqual({ "kms:GrantIsForAWSResource": "true" });
      }
      const alias = resourcesOfType(prod, "aws:kms/alias:Alias", region)[0];
      expect(alias?.inputs).toMatchObject({ name: "alias/ami-lifecycle", targetKeyId: `key-${key?.name}` });
    }
  });

  it("lets only managed images and snapshots be shared or made private, by the sharers and the guard", () => {
    const managedImages = config.regions.map((region) => `arn:${partition}:ec2:${region}::image/*`).sort();
    const managedSnapshots = config.regions
      .map((region) => `arn:${partition}:ec2:${region}::snapshot/*`)
      .sort();
    const managed = { StringEquals: { [`aws:ResourceTag/${LifecycleTag.managed}`]: ["true"] } };
    const guard = identityStatements(prod, "ImagePermissionChangePolicy");
    const guardModify = guard.filter((statement) =>
      asList(statement.Action).includes("ec2:ModifyImageAttribute"),
    );
    expect(guardModify).toHaveLength(1);
    expect(asList(guardModify[0]?.Resource).sort()).toEqual(managedImages);
    expect(guardModify[0]?.Condition).toEqual(managed);
    expect(guard.flatMap((statement) => asList(statement.Action)).sort()).toEqual(
      expect.arrayContaining(["ec2:DescribeImageAttribute", "ec2:GetImageBlockPublicAccessState"]),
    );
    for (const handler of ["image-state-change", "image-api-call", "retention-sweep"]) {
      const statements = identityStatements(prod, `${label(handler)}Policy`);
      const modifySnapshot = statements.filter((statement) =>
        asList(statement.Action).includes("ec2:ModifySnapshotAttribute"),
      );
      expect(modifySnapshot).toHaveLength(1);
      expect(asList(modifySnapshot[0]?.Resource).sort()).toEqual(managedSnapshots);
      expect(modifySnapshot[0]?.Condition).toEqual(managed);
      for (const statement of statements.filter((candidate) =>
        asList(candidate.Action).includes("ec2:ModifyImageAttribute"),
      )) {
        expect(statement.Condition).toEqual(managed);
      }
    }
    // Rollback neither shares nor guards.
    expect(
      identityStatements(prod, "RollbackPolicy").flatMap((statement) => asList(statement.Action)),
    ).not.toContain("ec2:ModifyImageAttribute");
  });

  it("grants copy keys to no consumer when no family shares, and to exactly the configured ones otherwise", () => {
    for (const region of destinations) {
      const key = resourcesOfType(prod, "aws:kms/key:Key", region)[0];
      const policy = JSON.parse(String(key?.inputs.policy)) as { Statement: PolicyStatement[] };
      const sharesHere = config.families.some(
        (family) =>
          family.copyTo.some((copy) => copy.region === region) &&
          family.sharing.accounts.length +
            family.sharing.organizationArns.length +
            family.sharing.organizationalUnitArns.length >
            0,
      );
      const consumer = policy.Statement.filter((statement) => statement.Sid?.startsWith("Consumer"));
      if (!sharesHere) expect(consumer).toEqual([]);
    }
    const sharing = {
      accounts: ["444455556666"],
      organizationIds: ["o-abcdef1234"],
      organizationalUnitPaths: ["o-abcdef1234/*/ou-ab12-cdef3456/*"],
    };
    const statements = consumerStatements(sharing, "aws");
    expect(statements.map((statement) => statement.Sid)).toEqual([
      "ConsumerAccountsUseKey",
      "ConsumerAccountsGrantEc2",
      "ConsumerOrganizationsUseKey",
      "ConsumerOrganizationsGrantEc2",
      "ConsumerOrganizationalUnitsUseKey",
      "ConsumerOrganizationalUnitsGrantEc2",
    ]);
    expect(statements[0]).toMatchObject({
      Principal: { AWS: ["arn:aws:iam::444455556666:root"] },
      Action: [...consumerKeyActions],
    });
    expect(statements[1]).toMatchObject({
      Action: ["kms:CreateGrant"],
      Condition: { Bool: { "kms:GrantIsForAWSResource": "true" } },
    });
    expect(statements[3]).toMatchObject({
      Principal: { AWS: "*" },
      Condition: {
        StringEquals: { "aws:PrincipalOrgID": ["o-abcdef1234"] },
        Bool: { "kms:GrantIsForAWSResource": "true" },
      },
    });
    expect(statements[4]?.Condition).toEqual({
      "ForAnyValue:StringLike": { "aws:PrincipalOrgPaths": ["o-abcdef1234/*/ou-ab12-cdef3456/*"] },
    });
  });

  it("scopes the sweep's sweep request to the service's own event on the home bus", () => {
    const [statement] = statementsWithAction(prod, /^events:PutEvents$/).filter((candidate) =>
      String(candidate.Sid).startsWith("PutSweepRequest"),
    );
    expect(statement?.Resource).toEqual([homeBusArn]);
    // Both keys are multivalued in AWS's catalogue: every value must be the service's, and a source given.
    expect(statement?.Condition).toEqual({
      "ForAllValues:StringEquals": {
        "events:source": [...familySweepRequestPattern.source],
        "events:detail-type": [...familySweepRequestPattern["detail-type"]],
      },
      Null: { "events:source": ["false"] },
    });
  });
});

describe("schedule", () => {
  it("runs the sweep on the configured expression and time zone, with retries and a dead-letter queue", () => {
    const schedule = resourceNamed(prod, "aws:scheduler/schedule:Schedule", "SweepSchedule");
    expect(schedule.inputs).toMatchObject({
      scheduleExpression: config.sweep.schedule,
      scheduleExpressionTimezone: config.sweep.timezone,
      flexibleTimeWindow: { mode: "OFF" },
      target: {
        arn: arnOf(functionOf(prod, "retention-sweep")),
        retryPolicy: { maximumEventAgeInSeconds: 3600, maximumRetryAttempts: 5 },
        deadLetterConfig: { arn: queueArn("ScheduleDeadLetterQueue") },
      },
    });
    const input = JSON.parse(String((schedule.inputs.target as { input: string }).input));
    expect(input).toEqual(scheduledSweepInput);
    expect(
      sweepInvocationSchema["~standard"].validate({
        ...input,
        executionId: "run-1",
        scheduledTime: "2026-01-01T03:00:00Z",
      }),
    ).toEqual({ value: { requestId: "scheduled:run-1", reason: "scheduled sweep at 2026-01-01T03:00:00Z" } });
    expect(identityStatements(prod, "SweepScheduleRole/invoke-sweep")).toEqual([
      {
        Sid: "InvokeSweep",
        Effect: "Allow",
        Action: ["lambda:InvokeFunction"],
        Resource: [arnOf(functionOf(prod, "retention-sweep"))],
      },
      {
        Sid: "SendScheduleFailure",
        Effect: "Allow",
        Action: ["sqs:SendMessage"],
        Resource: [queueArn("ScheduleDeadLetterQueue")],
      },
    ]);
    const trust = allPolicies(prod).find(
      (policy) => policy.owner === "SweepScheduleRole" && policy.kind === "trust",
    );
    expect(trust?.statements[0]).toMatchObject({
      Principal: { Service: "scheduler.amazonaws.com" },
      Condition: { StringEquals: { "aws:SourceAccount": accountId } },
    });
  });
});

describe("notifications and alarms", () => {
  it("encrypts both topics with the notifications key and filters team subscriptions on `team`", () => {
    const keyArn = `arn:${partition}:kms:${home}:${accountId}:key/key-NotificationsKey`;
    for (const topic of resourcesOfType(prod, "aws:sns/topic:Topic"))
      expect(topic.inputs.kmsMasterKeyId).toBe(keyArn);
    const subscriptions = resourcesOfType(prod, "aws:sns/topicSubscription:TopicSubscription");
    const expected = Object.entries(config.notifications.subscriptions).flatMap(([team, endpoints]) =>
      endpoints.map((endpoint) => ({ team, endpoint })),
    );
    for (const { team, endpoint } of expected) {
      const subscription = subscriptions.find((candidate) => candidate.inputs.endpoint === endpoint);
      expect(subscription?.inputs).toMatchObject({
        filterPolicyScope: "MessageAttributes",
        protocol: "email",
      });
      expect(JSON.parse(String(subscription?.inputs.filterPolicy))).toEqual({ team: [team] });
    }
    for (const endpoint of config.notifications.security) {
      const subscription = subscriptions.find((candidate) => candidate.inputs.endpoint === endpoint);
      expect(subscription?.inputs.topic).toBe(
        `arn:${partition}:sns:${home}:${accountId}:SecurityTopic-physical`,
      );
      expect(subscription?.inputs.filterPolicy).toBeUndefined();
    }
    // Operators get every message, alarms included (alarms have no team attribute to filter on).
    for (const endpoint of config.notifications.operations) {
      const subscription = subscriptions.find((candidate) => candidate.inputs.endpoint === endpoint);
      expect(subscription?.inputs.topic).toBe(
        `arn:${partition}:sns:${home}:${accountId}:NotificationsTopic-physical`,
      );
      expect(subscription?.inputs.filterPolicy).toBeUndefined();
    }
    expect(config.notifications.operations.length).toBeGreaterThan(0);
    expect(subscriptions).toHaveLength(
      expected.length + config.notifications.security.length + config.notifications.operations.length,
    );
  });

  it("alarms on handler errors, dead-letter depth, copy and sweep failures, to the notifications topic", () => {
    const alarms = resourcesOfType(prod, "aws:cloudwatch/metricAlarm:MetricAlarm");
    const topicArn = `arn:${partition}:sns:${home}:${accountId}:NotificationsTopic-physical`;
    for (const alarm of alarms) expect(alarm.inputs.alarmActions).toEqual([topicArn]);
    const watched = alarms.map((alarm) => `${alarm.inputs.namespace}/${alarm.inputs.metricName}`);
    expect(watched.filter((metric) => metric === "AWS/Lambda/Errors")).toHaveLength(handlers.length);
    expect(watched.filter((metric) => metric === "AWS/SQS/ApproximateNumberOfMessagesVisible")).toHaveLength(
      3,
    );
    expect(watched).toEqual(
      expect.arrayContaining(["AmiLifecycle/CopyFailures", "AmiLifecycle/SweepFailures"]),
    );
    const functionNames = handlers.map((handler) => functionOf(prod, handler).inputs.name);
    const alarmed = alarms
      .filter((alarm) => alarm.inputs.metricName === "Errors")
      .map((alarm) => (alarm.inputs.dimensions as { FunctionName: string }).FunctionName);
    expect(alarmed.sort()).toEqual(functionNames.sort());
  });
});

describe("tables per stage", () => {
  it("protects, backs up and retains the registry in production", () => {
    const registry = tableNamed(prod, "Registry");
    expect(registry.inputs).toMatchObject({
      hashKey: "pk",
      rangeKey: "sk",
      pointInTimeRecovery: { enabled: true },
      deletionProtectionEnabled: true,
    });
    expect(registry.retainOnDelete).toBe(true);
  });

  it("keeps copy keys when a production stage is removed, since copies can't be decrypted without them", () => {
    for (const region of destinations) {
      expect(resourcesOfType(prod, "aws:kms/key:Key", region)[0]?.retainOnDelete).toBe(true);
      expect(resourcesOfType(dev, "aws:kms/key:Key", region)[0]?.retainOnDelete ?? false).toBe(false);
    }
  });

  it("keeps the registry cheap and removable in a development stage", () => {
    const registry = tableNamed(dev, "Registry");
    expect(registry.inputs).toMatchObject({
      pointInTimeRecovery: { enabled: false },
      deletionProtectionEnabled: false,
    });
    expect(registry.retainOnDelete ?? false).toBe(false);
  });

  it("expires idempotency records through TTL on `expiration`", () => {
    for (const graph of [prod, dev]) {
      expect(tableNamed(graph, "Idempotency").inputs).toMatchObject({
        hashKey: "id",
        attributes: [{ name: "id", type: "S" }],
        ttl: { attributeName: "expiration", enabled: true },
      });
    }
  });
});

/** A sample event: an EventBridge envelope with a `detail` object. */
type SampleEvent = Record<string, unknown> & { detail?: Record<string, unknown> };

describe("patterns as deployed", () => {
  const fixtures = readdirSync(fixtureDir)
    .filter((file) => file.endsWith(".json"))
    .map((file) => ({
      file,
      event: JSON.parse(readFileSync(join(fixtureDir, file), "utf8")) as SampleEvent,
    }));
  const stateChanges = fixtures.filter(({ file }) => file.startsWith("ami-state-"));
  const apiCalls = fixtures.filter(({ file }) => file.startsWith("cloudtrail-"));
  const sweepRequest = {
    source: "ami-lifecycle",
    "detail-type": "Family Sweep Requested",
    detail: { family: "base" },
  };
  const deployedPattern = (name: string) =>
    JSON.parse(String(resourceNamed(prod, "aws:cloudwatch/eventRule:EventRule", name).inputs.eventPattern));

  it("has sample events of both kinds to check against", () => {
    expect(stateChanges.length).toBeGreaterThanOrEqual(4);
    expect(apiCalls.length).toBeGreaterThanOrEqual(3);
  });

  it("delivers every state change sample, and only those, to the state change rule", () => {
    const pattern = deployedPattern("AmiStateChangeRule");
    for (const { event } of stateChanges) expect(matchesPattern(pattern, event)).toBe(true);
    for (const { event } of apiCalls) expect(matchesPattern(pattern, event)).toBe(false);
    expect(matchesPattern(pattern, sweepRequest)).toBe(false);
  });

  it("drops malformed or foreign state changes", () => {
    const pattern = deployedPattern("AmiStateChangeRule");
    const sample: SampleEvent = stateChanges[0]?.event ?? {};
    const variants = [
      { ...sample, source: "custom.ec2" },
      { ...sample, "detail-type": "EC2 Instance State-change Notification" },
      { ...sample, detail: { ...sample.detail, State: "pending" } },
      { ...sample, detail: { ...sample.detail, State: undefined } },
      { ...sample, detail: undefined },
    ];
    for (const variant of variants) expect(matchesPattern(pattern, variant)).toBe(false);
  });

  it("delivers every successful image API call sample to the API call rule, in every region's copy", () => {
    for (const name of ["ImageApiCallRule", ...forwardRuleNames("ImageApiCall")]) {
      const pattern = deployedPattern(name);
      for (const { event } of apiCalls) expect(matchesPattern(pattern, event)).toBe(true);
      for (const { event } of stateChanges) expect(matchesPattern(pattern, event)).toBe(false);
    }
  });

  it("drops failed, foreign and unrelated API calls", () => {
    const pattern = deployedPattern("ImageApiCallRule");
    const sample: SampleEvent = apiCalls[0]?.event ?? {};
    const variants = [
      {
        ...sample,
        detail: { ...sample.detail, errorCode: "Client.UnauthorizedOperation", responseElements: null },
      },
      { ...sample, detail: { ...sample.detail, eventName: "RunInstances" } },
      { ...sample, detail: { ...sample.detail, eventSource: "iam.amazonaws.com" } },
      { ...sample, source: "aws.iam" },
    ];
    for (const variant of variants) expect(matchesPattern(pattern, variant)).toBe(false);
  });

  it("delivers the service's sweep request, and no look-alike, to the sweep", () => {
    const pattern = deployedPattern("FamilySweepRequestRule");
    expect(matchesPattern(pattern, sweepRequest)).toBe(true);
    expect(matchesPattern(pattern, { ...sweepRequest, source: "someone.else" })).toBe(false);
    expect(matchesPattern(pattern, { ...sweepRequest, "detail-type": "Family Sweep Done" })).toBe(false);
    for (const { event } of fixtures) expect(matchesPattern(pattern, event)).toBe(false);
  });
});

function forwardRuleNames(route: string): string[] {
  return config.regions
    .filter((region) => region !== home)
    .map(
      (region) =>
        `${route}Forward${region
          .split("-")
          .map((part) => part.charAt(0).toUpperCase() + part.slice(1))
          .join("")}Rule`,
    );
}

function functionOf(graph: SstGraph, handler: HandlerName) {
  return resourceNamed(graph, "aws:lambda/function:Function", `${label(handler)}Function`);
}

function tableNamed(graph: SstGraph, component: string) {
  return resourceNamed(graph, "aws:dynamodb/table:Table", `${component}Table`);
}

function arnOf(fn: { inputs: Record<string, unknown> }) {
  return `arn:${partition}:lambda:${home}:${accountId}:function:${fn.inputs.name}`;
}

function queueArn(name: string) {
  return `arn:${partition}:sqs:${home}:${accountId}:${name}-physical`;
}

function identityStatements(graph: SstGraph, owner: string): PolicyStatement[] {
  return allPolicies(graph)
    .filter((policy) => policy.owner === owner && policy.kind === "identity")
    .flatMap((policy) => policy.statements);
}

function statementsWithAction(graph: SstGraph, action: RegExp): PolicyStatement[] {
  return allPolicies(graph)
    .filter((policy) => policy.kind === "identity")
    .flatMap((policy) => policy.statements)
    .filter((statement) => asList(statement.Action).some((candidate) => action.test(candidate)));
}

/** The declared action and statement index a rendered Sid came from. */
function declaredFor(sid: string): [PermissionAction, number] {
  for (const action of Object.keys(actionPermissions) as PermissionAction[]) {
    const index = actionPermissions[action].statements.findIndex(
      (_, position) => statementSid(action, position) === sid,
    );
    if (index >= 0) return [action, index];
  }
  throw new Error(`statement ${sid} is not declared in permissions.ts`);
}

describe("deployment parameter", () => {
  it("publishes the stage's physical names as one JSON String parameter in the home region, Standard tier", () => {
    const parameter = resourceNamed(prod, "aws:ssm/parameter:Parameter", "DeploymentParameter");
    expect(parameter.region).toBe(home);
    expect(parameter.inputs).toMatchObject({
      name: "/ami-lifecycle-deployment/prod",
      type: "String",
      tier: "Standard",
    });
    // The provider marks a parameter's value secret: Pulumi wraps it with its secret signature.
    const raw = parameter.inputs.value as string | { value: string };
    const value = typeof raw === "string" ? raw : raw.value;
    expect(Buffer.byteLength(value)).toBeLessThanOrEqual(4096);
    const descriptor = parseDeploymentDescriptor("/ami-lifecycle-deployment/prod", value);
    expect(descriptor).toMatchObject({
      descriptorVersion: 1,
      stage: "prod",
      homeRegion: home,
      managedRegions: config.regions,
      registryTable: tableNamed(prod, "Registry").inputs.name,
      schedule: { expression: config.sweep.schedule, timezone: config.sweep.timezone },
      configVersion: expect.stringMatching(/^[0-9a-f]{16}$/),
    });
    expect(Object.keys(descriptor.functions).sort()).toEqual([...handlers].sort());
    expect(descriptor.functions["retention-sweep"]).toBe(functionOf(prod, "retention-sweep").inputs.name);
    expect(descriptor.functions.rollback).toBe(functionOf(prod, "rollback").inputs.name);
    expect(descriptor.deadLetterQueues).toEqual({
      handler: `https://sqs.${home}.amazonaws.com/${accountId}/HandlerDeadLetterQueue-physical`,
      routing: `https://sqs.${home}.amazonaws.com/${accountId}/RoutingDeadLetterQueue-physical`,
      schedule: `https://sqs.${home}.amazonaws.com/${accountId}/ScheduleDeadLetterQueue-physical`,
    });
    expect(descriptor.alarmNames).toEqual(
      expect.arrayContaining([
        "SweepFailuresAlarm-physical",
        "HandlerDeadLetterQueueDepthAlarm-physical",
        "RetentionSweepErrorsAlarm-physical",
      ]),
    );
    expect(descriptor.topics.notifications).toMatch(/^arn:aws:sns:/);
    const devParameter = resourceNamed(dev, "aws:ssm/parameter:Parameter", "DeploymentParameter");
    expect(devParameter.inputs.name).toBe("/ami-lifecycle-deployment/dev");
  });
});
