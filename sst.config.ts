/// <reference path="./.sst/platform/config.d.ts" />

// Composes the one-concern files in stacks/; the configuration file decides regions, keys, schedule
// and subscriptions. No top-level imports: SST evaluates this file before providers exist.
export default $config({
  async app(input) {
    const { loadServiceConfig, isProductionStage } = await import("./stacks/config");
    const config = loadServiceConfig();
    const production = isProductionStage(input?.stage ?? "");
    return {
      name: "ami-lifecycle",
      home: "aws",
      // The default provider is the home region; other regions get explicit providers (stacks/regions.ts).
      providers: { aws: { region: config.homeRegion as aws.Region } },
      removal: production ? "retain" : "remove",
      protect: production,
    };
  },
  async run() {
    const config = await import("./stacks/config");
    const { createRegionProviders } = await import("./stacks/regions");
    const { createStorage } = await import("./stacks/storage");
    const { createNotifications } = await import("./stacks/notifications");
    const { createFunctions } = await import("./stacks/functions");
    const { createCopyKeys } = await import("./stacks/keys");
    const { createRouting } = await import("./stacks/routing");
    const { createSchedule } = await import("./stacks/schedule");
    const { createAlarms } = await import("./stacks/alarms");
    const { createRecycleBinRules } = await import("./stacks/recycle-bin");
    const { createDeploymentParameter } = await import("./stacks/deployment");
    const { createConsumerRoleStackSet } = await import("./stacks/consumer-role");

    const serviceConfig = config.loadServiceConfig();
    const production = config.isProductionStage($app.stage);
    const copyDestinationRegions = config.copyDestinationRegions(serviceConfig);
    const accountId = aws.getCallerIdentityOutput({}).accountId;
    const partition = aws.getPartitionOutput({}).partition;
    const placement = createRegionProviders(serviceConfig.homeRegion, serviceConfig.regions);

    const storage = createStorage({ production });
    const notifications = createNotifications({ config: serviceConfig, accountId, partition });
    const functions = createFunctions({
      config: serviceConfig,
      stage: $app.stage,
      production,
      accountId,
      partition,
      storage,
      notifications,
      copyDestinationRegions,
    });
    createCopyKeys({
      config: serviceConfig,
      accountId,
      partition,
      placement,
      functions,
      copyDestinationRegions,
      production,
    });
    createRecycleBinRules({ config: serviceConfig, placement });
    createConsumerRoleStackSet({ config: serviceConfig, stage: $app.stage, functions });
    const routing = createRouting({ config: serviceConfig, accountId, partition, placement, functions });
    const schedule = createSchedule({ config: serviceConfig, accountId, functions });
    const alarms = createAlarms({
      functions,
      notifications,
      deadLetterQueues: {
        HandlerDeadLetterQueue: functions.deadLetterQueue,
        RoutingDeadLetterQueue: routing.deadLetterQueue,
        ScheduleDeadLetterQueue: schedule.deadLetterQueue,
      },
    });

    const deployment = createDeploymentParameter({
      config: serviceConfig,
      stage: $app.stage,
      storage,
      notifications,
      functions,
      alarms,
      deadLetterQueues: {
        handler: functions.deadLetterQueue,
        routing: routing.deadLetterQueue,
        schedule: schedule.deadLetterQueue,
      },
    });

    return {
      deploymentParameter: deployment.parameter.name,
      registryTable: storage.registry.name,
      notificationsTopic: notifications.topic.arn,
      securityTopic: notifications.securityTopic.arn,
      // The consumer and organization reader roles trust this role (ami-lifecycle consumer-role).
      sweepRoleArn: functions.handlers["retention-sweep"].role.arn,
    };
  },
});
