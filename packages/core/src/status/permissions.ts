import type { CapabilityPermissions } from "../permissions";

/** The IAM the status capability's reads need (the CLI's `status`). */
export const statusPermissions = {
  readOperations: {
    purpose:
      "status: how many messages wait in the dead-letter queues, and which alarms are in ALARM (DescribeAlarms supports no narrower resource that still returns composite alarms)",
    calls: ["OperationsReader.deadLetterDepths", "OperationsReader.alarmsInAlarm"],
    statements: [
      {
        actions: ["sqs:GetQueueAttributes"],
        resources: ["handlerDeadLetterQueue", "scheduleDeadLetterQueue"],
      },
      { actions: ["cloudwatch:DescribeAlarms"], resources: ["any"] },
    ],
  },
  readDeployment: {
    purpose:
      "find the stage's physical names: read its deployment descriptor (one SSM parameter, nothing else)",
    calls: ["resolveStage (CLI)"],
    statements: [{ actions: ["ssm:GetParameter"], resources: ["deploymentParameter"] }],
  },
} as const satisfies CapabilityPermissions;
