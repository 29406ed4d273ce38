import { type AwsClients, createClients, Ec2ImageService, ec2ImageReferences } from "@ami-lifecycle/aws";
import { fastRetryStrategy, SimulatedAccount } from "@ami-lifecycle/simulated-account";
import { AutoScalingClient, CreateLaunchConfigurationCommand } from "@aws-sdk/client-auto-scaling";
import { afterEach, describe, expect, it } from "vitest";

const home = "eu-west-1";
const away = "us-east-1";
const opened: AwsClients[] = [];
afterEach(() => {
  for (const clients of opened.splice(0)) clients.destroy();
});

/** The account-wide reads a reference lookup makes besides DescribeImageReferences. */
const launchSourceReads = [
  "DescribeAutoScalingGroups",
  "DescribeLaunchConfigurations",
  "DescribeFleets",
  "DescribeSpotFleetRequests",
];

function setup() {
  const account = new SimulatedAccount({ regions: [home, away] });
  const clients = createClients({
    regions: [home, away],
    newAutoScalingClient: ec2ImageReferences.newAutoScalingClient,
    clientConfig: {
      credentials: { accessKeyId: "test", secretAccessKey: "test" },
      retryStrategy: fastRetryStrategy(1),
    },
    configureClient: (client) => account.attach(client),
  });
  opened.push(clients);
  const service = new Ec2ImageService({
    clients,
    clock: account.clock,
    references: ec2ImageReferences.finder(clients),
  });
  const autoScaling = account.client(AutoScalingClient, home);
  const launchConfiguration = (name: string, imageId: string) =>
    autoScaling.send(
      new CreateLaunchConfigurationCommand({ LaunchConfigurationName: name, ImageId: imageId }),
    );
  /** Calls of the launch-source reads, per `region:API`. */
  const reads = () =>
    Object.fromEntries(
      Object.entries(account.callCounts()).filter(([key]) =>
        launchSourceReads.includes(key.slice(key.indexOf(":") + 1)),
      ),
    );
  return { account, service, launchConfiguration, reads };
}

describe("a reference reading (one sweep invocation's view of what launches images)", () => {
  it("reads Auto Scaling groups, launch configurations and fleets once per region for all its lookups", async () => {
    // Prepare
    const { account, service, launchConfiguration, reads } = setup();
    const [first, second] = ["first", "second"].map((name) => account.seedImage(home, { name })) as [
      string,
      string,
    ];
    const elsewhere = account.seedImage(away, { name: "elsewhere" });
    await launchConfiguration("uses-first", first);
    await launchConfiguration("uses-second", second);
    account.resetCallCounts();
    const reading = service.referenceReading();

    // Act: one family's lookup, another's, and one in a second region
    const forFirst = await reading.findReferences(home, [first]);
    const forSecond = await reading.findReferences(home, [second]);
    await reading.findReferences(away, [elsewhere]);

    // Assess
    expect(forFirst.map((reference) => reference.detail)).toEqual(["launch configuration uses-first"]);
    expect(forSecond.map((reference) => reference.detail)).toEqual(["launch configuration uses-second"]);
    expect(reads()).toEqual(
      Object.fromEntries(
        [home, away].flatMap((region) => launchSourceReads.map((api) => [`${region}:${api}`, 1])),
      ),
    );
  });

  it("is never carried into the next reading: a launch configuration created since is seen", async () => {
    // Prepare
    const { account, service, launchConfiguration } = setup();
    const image = account.seedImage(home, { name: "later-used" });
    const earlier = await service.referenceReading().findReferences(home, [image]);
    await launchConfiguration("created-between-sweeps", image);

    // Act
    const later = await service.referenceReading().findReferences(home, [image]);

    // Assess
    expect(earlier).toEqual([]);
    expect(later.map((reference) => reference.detail)).toEqual([
      "launch configuration created-between-sweeps",
    ]);
  });

  it("reads again after a failed read instead of keeping the failure for the invocation", async () => {
    // Prepare
    const { account, service, launchConfiguration } = setup();
    const image = account.seedImage(home, { name: "used" });
    await launchConfiguration("uses-it", image);
    const reading = service.referenceReading();
    account.setFaults({ serverErrorRate: 1, only: ["DescribeLaunchConfigurations"] });

    // Act
    const failed = await reading.findReferences(home, [image]).catch((error: unknown) => error);
    account.setFaults({});
    const retried = await reading.findReferences(home, [image]);

    // Assess
    expect(failed).toBeInstanceOf(Error);
    expect(retried.map((reference) => reference.detail)).toEqual(["launch configuration uses-it"]);
  });
});
