import { type AwsServiceName, createClients } from "@ami-lifecycle/aws";
import { describe, expect, it } from "vitest";

describe("createClients", () => {
  it("builds each regional client once and reuses it", () => {
    // Prepare
    const configured: AwsServiceName[] = [];
    const clients = createClients({
      regions: ["eu-west-1", "us-east-1"],
      configureClient: (_client, service) => configured.push(service),
    });

    // Act
    const first = clients.ec2("eu-west-1");
    const again = clients.ec2("eu-west-1");
    const other = clients.ec2("us-east-1");
    const dynamo = clients.dynamo;

    // Assess
    expect(again).toBe(first);
    expect(other).not.toBe(first);
    expect(clients.dynamo).toBe(dynamo);
    expect(configured).toEqual(["EC2", "EC2", "DynamoDB"]);
    clients.destroy();
  });

  it("uses standard retries with a configurable number of attempts, in the right regions", async () => {
    // Prepare
    const clients = createClients({
      regions: ["eu-west-1", "us-east-1"],
      homeRegion: "us-east-1",
      maxAttempts: 7,
    });

    // Act
    const ec2 = clients.ec2("eu-west-1");
    const sns = clients.sns;

    // Assess
    expect(await ec2.config.maxAttempts()).toBe(7);
    expect(await ec2.config.retryStrategy()).toMatchObject({ mode: "standard" });
    expect(await ec2.config.region()).toBe("eu-west-1");
    expect(await sns.config.region()).toBe("us-east-1");
    clients.destroy();
  });

  it("refuses a client for a region the service does not manage", () => {
    // Prepare
    const clients = createClients({ regions: ["eu-west-1"] });

    // Act
    const build = () => clients.ssm("ap-south-1");

    // Assess
    expect(build).toThrow(RangeError);
  });

  it("builds fresh clients after destroy instead of handing out closed ones", () => {
    // Prepare
    const clients = createClients({ regions: ["eu-west-1"] });
    const before = clients.ec2("eu-west-1");
    const snsBefore = clients.sns;

    // Act
    clients.destroy();

    // Assess
    expect(clients.ec2("eu-west-1")).not.toBe(before);
    expect(clients.sns).not.toBe(snsBefore);
    clients.destroy();
  });
});
