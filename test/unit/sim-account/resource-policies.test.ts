import { assumeRoleRequests, fastRetryStrategy, SimulatedAccount } from "@ami-lifecycle/simulated-account";
import { DescribeKeyCommand, KMSClient } from "@aws-sdk/client-kms";
import { PublishCommand, SNSClient } from "@aws-sdk/client-sns";
import { describe, expect, it } from "vitest";
import { EAST, failure } from "./helpers";

const config = { retryStrategy: fastRetryStrategy(1) };
const roleArn = (account: SimulatedAccount, name: string) => `arn:aws:iam::${account.accountId}:role/${name}`;
const sessionOf = (account: SimulatedAccount, name: string) =>
  `arn:aws:sts::${account.accountId}:assumed-role/${name}/session`;

/** Governs `name`'s session with one identity policy of `statements`. */
function governed(account: SimulatedAccount, name: string, statements: object[]): string {
  const principalArn = sessionOf(account, name);
  account.iam.govern(principalArn, {
    name,
    policies: () => [{ name: "inline", document: { Version: "2012-10-17", Statement: statements } }],
  });
  return principalArn;
}

describe("resource policies in the simulated account's IAM", () => {
  it("denies a publish to an encrypted topic without kms:GenerateDataKey on its key (KMSAccessDenied)", async () => {
    // Prepare
    const account = new SimulatedAccount({ regions: [EAST] });
    const keyArn = account.createKey(EAST);
    const topicArn = account.createTopic(EAST, "encrypted", { kmsKeyArn: keyArn });
    const principalArn = governed(account, "publisher", [
      { Effect: "Allow", Action: "sns:Publish", Resource: topicArn },
    ]);
    const sns = account.client(SNSClient, EAST, { principalArn, config });

    // Act
    const error = await failure(sns.send(new PublishCommand({ TopicArn: topicArn, Message: "m" })));

    // Assess
    expect(error.name).toBe("KMSAccessDenied");
    expect(account.published(topicArn)).toEqual([]);
    expect(account.iam.takeDenials().map((denial) => denial.action)).toEqual(["kms:GenerateDataKey"]);
  });

  it("lets a publisher through SNS once its role may use the key the key policy delegates", async () => {
    // Prepare
    const account = new SimulatedAccount({ regions: [EAST] });
    const keyArn = account.createKey(EAST);
    const topicArn = account.createTopic(EAST, "encrypted", { kmsKeyArn: keyArn });
    const principalArn = governed(account, "publisher", [
      { Effect: "Allow", Action: "sns:Publish", Resource: topicArn },
      {
        Effect: "Allow",
        Action: ["kms:GenerateDataKey", "kms:Decrypt"],
        Resource: keyArn,
        Condition: { StringEquals: { "kms:ViaService": `sns.${EAST}.amazonaws.com` } },
      },
    ]);
    const sns = account.client(SNSClient, EAST, { principalArn, config });

    // Act
    await sns.send(new PublishCommand({ TopicArn: topicArn, Message: "m" }));

    // Assess
    expect(account.published(topicArn)).toHaveLength(1);
    expect(account.iam.denials()).toEqual([]);
  });

  it("gives an account principal without an SNS grant nothing from the default topic policy", async () => {
    // Prepare
    const account = new SimulatedAccount({ regions: [EAST] });
    const topicArn = account.createTopic(EAST, "plain");
    const principalArn = governed(account, "stranger", []);
    const sns = account.client(SNSClient, EAST, { principalArn, config });

    // Act
    const error = await failure(sns.send(new PublishCommand({ TopicArn: topicArn, Message: "m" })));

    // Assess
    expect(error.name).toBe("AuthorizationError");
    expect(account.published(topicArn)).toEqual([]);
    account.iam.takeDenials();
  });

  it("denies an IAM-allowed key call when the key policy neither allows nor delegates it", async () => {
    // Prepare
    const account = new SimulatedAccount({ regions: [EAST] });
    const keyArn = account.createKey(EAST);
    account.putKeyPolicy(EAST, keyArn, {
      Version: "2012-10-17",
      Statement: [
        {
          Sid: "OtherRoleOnly",
          Effect: "Allow",
          Principal: { AWS: roleArn(account, "other") },
          Action: "kms:DescribeKey",
          Resource: "*",
        },
      ],
    });
    const principalArn = governed(account, "reader", [
      { Effect: "Allow", Action: "kms:DescribeKey", Resource: keyArn },
    ]);
    const kms = account.client(KMSClient, EAST, { principalArn, config });

    // Act
    const error = await failure(kms.send(new DescribeKeyCommand({ KeyId: keyArn })));

    // Assess
    expect(error.name).toBe("AccessDeniedException");
    expect(account.iam.takeDenials()).toMatchObject([{ action: "kms:DescribeKey", resource: keyArn }]);
  });

  it("lets a role be assumed only when its trust policy allows the caller, even in the same account", async () => {
    // Prepare
    const account = new SimulatedAccount({ regions: [EAST] });
    const target = roleArn(account, "consumer");
    const principalArn = governed(account, "sweep", [
      { Effect: "Allow", Action: "sts:AssumeRole", Resource: target },
    ]);
    const trusting = {
      Version: "2012-10-17",
      Statement: [
        { Effect: "Allow", Principal: { AWS: roleArn(account, "sweep") }, Action: "sts:AssumeRole" },
      ],
    };
    const trustingOthers = {
      Version: "2012-10-17",
      Statement: [
        { Effect: "Allow", Principal: { AWS: roleArn(account, "other") }, Action: "sts:AssumeRole" },
      ],
    };
    const request = (trustPolicy: object) =>
      assumeRoleRequests({ roleArn: target, trustPolicy, roleSessionName: "sweep" });

    // Act
    const allowed = await account.iam.authorize(principalArn, request(trusting));
    const refused = await account.iam.authorize(principalArn, request(trustingOthers));

    // Assess
    expect(allowed).toBeUndefined();
    expect(refused).toMatchObject({ action: "sts:AssumeRole", resource: target });
    account.iam.takeDenials();
  });
});
