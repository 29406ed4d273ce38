import {
  DescribeFleetsCommand,
  DescribeSpotFleetRequestsCommand,
  paginateDescribeFleets,
  paginateDescribeSpotFleetRequests,
} from "@aws-sdk/client-ec2";
import { describe, expect, it } from "vitest";
import { EAST, failure, setup } from "./helpers";

describe("simulated EC2 Fleets (DescribeFleets, EC2 API reference)", () => {
  it("shows a fleet's launch template configs and override images as they were given, page by page", async () => {
    // Prepare
    const { account, east } = setup();
    const image = account.seedImage(EAST, { name: "app-1" });
    const other = account.seedImage(EAST, { name: "app-2" });
    const templateId = account.createLaunchTemplate(EAST, "web", image);
    const configs = [
      {
        LaunchTemplateSpecification: { LaunchTemplateId: templateId, Version: "1" },
        Overrides: [{ InstanceType: "m7g.large" as const, ImageId: other }],
      },
    ];
    const first = account.createFleet(EAST, { launchTemplateConfigs: configs });
    const second = account.createFleet(EAST, {
      type: "request",
      launchTemplateConfigs: [
        { LaunchTemplateSpecification: { LaunchTemplateName: "web", Version: "$Latest" } },
      ],
    });
    // Act
    const pages = [];
    for await (const page of paginateDescribeFleets({ client: east, pageSize: 1 }, {})) pages.push(page);
    // Assess
    expect(pages.map((page) => page.Fleets?.map((fleet) => fleet.FleetId))).toEqual([[first], [second]]);
    expect(pages[0]?.Fleets?.[0]).toMatchObject({
      Type: "maintain",
      FleetState: "active",
      LaunchTemplateConfigs: configs,
    });
    expect(pages[1]?.Fleets?.[0]?.LaunchTemplateConfigs?.[0]?.LaunchTemplateSpecification).toEqual({
      LaunchTemplateName: "web",
      Version: "$Latest",
    });
  });

  it("leaves an instant fleet out unless it is asked for by id, and filters by state", async () => {
    // Prepare
    const { account, east } = setup();
    const templateId = account.createLaunchTemplate(EAST, "web", account.seedImage(EAST, { name: "app-1" }));
    const spec = { LaunchTemplateSpecification: { LaunchTemplateId: templateId, Version: "$Default" } };
    const instant = account.createFleet(EAST, { type: "instant", launchTemplateConfigs: [spec] });
    const deleted = account.createFleet(EAST, { launchTemplateConfigs: [spec] });
    account.setFleetState(EAST, deleted, "deleted_running");
    // Act
    const all = await east.send(new DescribeFleetsCommand({}));
    const byId = await east.send(new DescribeFleetsCommand({ FleetIds: [instant] }));
    const running = await east.send(
      new DescribeFleetsCommand({ Filters: [{ Name: "fleet-state", Values: ["deleted-running"] }] }),
    );
    // Assess
    expect(all.Fleets?.map((fleet) => fleet.FleetId)).toEqual([deleted]);
    expect(byId.Fleets?.map((fleet) => fleet.FleetId)).toEqual([instant]);
    expect(running.Fleets?.map((fleet) => `${fleet.FleetId} ${fleet.FleetState}`)).toEqual([
      `${deleted} deleted_running`,
    ]);
  });

  it("refuses a fleet whose launch template version or override image does not exist, creating nothing", async () => {
    // Prepare
    const { account, east } = setup();
    const templateId = account.createLaunchTemplate(EAST, "web", account.seedImage(EAST, { name: "app-1" }));
    // Act
    const badVersion = () =>
      account.createFleet(EAST, {
        launchTemplateConfigs: [
          { LaunchTemplateSpecification: { LaunchTemplateId: templateId, Version: "7" } },
        ],
      });
    const badImage = () =>
      account.createFleet(EAST, {
        launchTemplateConfigs: [
          {
            LaunchTemplateSpecification: { LaunchTemplateId: templateId, Version: "1" },
            Overrides: [{ ImageId: "ami-0123456789abcdef0" }],
          },
        ],
      });
    // Assess
    expect(badVersion).toThrow(expect.objectContaining({ name: "InvalidLaunchTemplateVersion.NotFound" }));
    expect(badImage).toThrow(expect.objectContaining({ name: "InvalidAMIID.NotFound" }));
    expect((await east.send(new DescribeFleetsCommand({}))).Fleets).toEqual([]);
  });

  it("answers InvalidFleetId.NotFound for an unknown fleet id", async () => {
    // Prepare
    const { east } = setup();
    // Act
    const error = await failure(
      east.send(new DescribeFleetsCommand({ FleetIds: ["fleet-00000000-0000-0000-0000-000000000000"] })),
    );
    // Assess
    expect(error.name).toBe("InvalidFleetId.NotFound");
  });
});

describe("simulated Spot Fleet requests (DescribeSpotFleetRequests, EC2 API reference)", () => {
  it("shows launch specifications with their images, or launch template configs, with the request's state and type", async () => {
    // Prepare
    const { account, east } = setup();
    const image = account.seedImage(EAST, { name: "app-1" });
    const templateId = account.createLaunchTemplate(EAST, "web", image);
    const bySpecification = account.requestSpotFleet(EAST, {
      launchSpecifications: [{ ImageId: image, InstanceType: "c7i.large" }],
    });
    const byTemplate = account.requestSpotFleet(EAST, {
      type: "request",
      launchTemplateConfigs: [
        { LaunchTemplateSpecification: { LaunchTemplateId: templateId, Version: "1" } },
      ],
    });
    account.setSpotFleetRequestState(EAST, byTemplate, "cancelled_running");
    // Act
    const pages = [];
    for await (const page of paginateDescribeSpotFleetRequests({ client: east, pageSize: 1 }, {}))
      pages.push(page);
    // Assess
    const requests = pages.flatMap((page) => page.SpotFleetRequestConfigs ?? []);
    expect(pages).toHaveLength(2);
    expect(
      requests.map((request) => `${request.SpotFleetRequestId} ${request.SpotFleetRequestState}`),
    ).toEqual([`${bySpecification} active`, `${byTemplate} cancelled_running`]);
    expect(requests[0]?.SpotFleetRequestConfig).toMatchObject({
      Type: "maintain",
      LaunchSpecifications: [{ ImageId: image, InstanceType: "c7i.large" }],
    });
    expect(requests[0]?.SpotFleetRequestConfig?.LaunchTemplateConfigs).toBeUndefined();
    expect(requests[1]?.SpotFleetRequestConfig).toMatchObject({
      Type: "request",
      LaunchTemplateConfigs: [
        { LaunchTemplateSpecification: { LaunchTemplateId: templateId, Version: "1" } },
      ],
    });
  });

  it("refuses a request with both launch specifications and launch template configs, or neither", async () => {
    // Prepare
    const { account, east } = setup();
    const image = account.seedImage(EAST, { name: "app-1" });
    const templateId = account.createLaunchTemplate(EAST, "web", image);
    // Act
    const both = () =>
      account.requestSpotFleet(EAST, {
        launchSpecifications: [{ ImageId: image }],
        launchTemplateConfigs: [
          { LaunchTemplateSpecification: { LaunchTemplateId: templateId, Version: "1" } },
        ],
      });
    const neither = () => account.requestSpotFleet(EAST, {});
    // Assess
    expect(both).toThrow(expect.objectContaining({ name: "InvalidParameterValue" }));
    expect(neither).toThrow(expect.objectContaining({ name: "InvalidParameterValue" }));
    expect((await east.send(new DescribeSpotFleetRequestsCommand({}))).SpotFleetRequestConfigs).toEqual([]);
  });
});
