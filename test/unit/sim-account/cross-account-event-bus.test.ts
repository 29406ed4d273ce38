import { fastRetryStrategy, SimulatedOrganization } from "@ami-lifecycle/simulated-account";
import { EventBridgeClient, PutEventsCommand } from "@aws-sdk/client-eventbridge";
import { describe, expect, it } from "vitest";
import { EAST, failure } from "./helpers";

const OWNER = "111122223333";
const CONSUMER = "222200000002";
const config = { retryStrategy: fastRetryStrategy(1) };
const senderSession = `arn:aws:sts::${OWNER}:assumed-role/sweep/session`;
const senderRole = `arn:aws:iam::${OWNER}:role/sweep`;
const busArn = `arn:aws:events:${EAST}:${CONSUMER}:event-bus/ami-notices`;

/** An owner whose `sweep` role may put events on the consumer's bus, and the consumer's bus with `policy`. */
function world(policy?: object) {
  const org = new SimulatedOrganization({
    managementAccountId: OWNER,
    regions: [EAST],
    rootAccounts: [{ id: CONSUMER }],
  });
  org.account(OWNER).iam.govern(senderSession, {
    name: "sweep",
    policies: () => [
      {
        name: "inline",
        document: {
          Version: "2012-10-17",
          Statement: [{ Effect: "Allow", Action: "events:PutEvents", Resource: busArn }],
        },
      },
    ],
  });
  org.account(CONSUMER).createEventBus(EAST, "ami-notices", policy ? { policy } : {});
  const client = org.client(EventBridgeClient, EAST, { principalArn: senderSession, config });
  const put = () =>
    client.send(
      new PutEventsCommand({
        Entries: [
          { EventBusName: busArn, Source: "ami-lifecycle", DetailType: "Notice", Detail: '{"version":2}' },
        ],
      }),
    );
  return { org, put };
}

const allowSweepRole = {
  Version: "2012-10-17",
  Statement: [
    {
      Sid: "AmiLifecycleNotices",
      Effect: "Allow",
      Principal: { AWS: senderRole },
      Action: "events:PutEvents",
      Resource: busArn,
    },
  ],
};

describe("PutEvents on another account's bus (simulated EventBridge and IAM)", () => {
  it("lands on the consumer's bus, from the sender's account, when its bus policy allows the sender", async () => {
    // Prepare
    const { org, put } = world(allowSweepRole);

    // Act
    const result = await put();

    // Assess
    expect(result.FailedEntryCount).toBe(0);
    expect(org.account(CONSUMER).busEvents(busArn)).toMatchObject([
      { source: "ami-lifecycle", "detail-type": "Notice", account: OWNER, detail: { version: 2 } },
    ]);
    expect(org.account(OWNER).iam.denials()).toEqual([]);
  });

  it("is denied when the consumer's bus has no policy, though the sender's own policy allows it", async () => {
    // Prepare
    const { org, put } = world();

    // Act
    const error = await failure(put());

    // Assess
    expect(error.name).toBe("AccessDeniedException");
    expect(org.account(CONSUMER).busEvents(busArn)).toEqual([]);
    expect(
      org
        .account(OWNER)
        .iam.takeDenials()
        .map((denial) => denial.resource),
    ).toEqual([busArn]);
  });
});
