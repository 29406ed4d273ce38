import type { CapabilityPermissions } from "../permissions";

/** The IAM the notifications capability's publish needs (the topics are encrypted). */
export const notificationsPermissions = {
  publishNotification: {
    purpose: "publish to the service's topics, which are encrypted with the notifications key",
    calls: ["Notifier.publish"],
    statements: [
      { actions: ["sns:Publish"], resources: ["notificationTopics"] },
      {
        actions: ["kms:GenerateDataKey", "kms:Decrypt"],
        resources: ["notificationsKey"],
        conditions: [{ test: "StringEquals", variable: "kms:ViaService", values: { viaServiceSns: "home" } }],
      },
    ],
  },
} as const satisfies CapabilityPermissions;
