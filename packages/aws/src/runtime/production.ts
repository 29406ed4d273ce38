import { configOfCheckedDocument } from "@ami-lifecycle/core";
import { readFunctionEnvironment } from "./environment";
import { createRuntime, type Runtime, type RuntimeOptions } from "./runtime";

/**
 * The production runtime, built on first use and then reused by every invocation of the container: the
 * bundled checked config (`ami-lifecycle.config.checked.json`, validated by the deploy) is read and the
 * environment parsed once, at cold start.
 */
export function lazyProductionRuntime(
  checkedConfigDocument: unknown,
  extras: Pick<
    RuntimeOptions,
    "recycleBin" | "imageReferences" | "clients" | "crossAccount" | "restore" | "rollbackDecisions"
  > = {},
): () => Runtime {
  let runtime: Runtime | undefined;
  return () => {
    if (!runtime) {
      const environment = readFunctionEnvironment();
      runtime = createRuntime({
        config: configOfCheckedDocument(checkedConfigDocument, "ami-lifecycle.config.checked.json (bundled)"),
        registryTableName: environment.REGISTRY_TABLE_NAME,
        idempotencyTableName: environment.IDEMPOTENCY_TABLE_NAME,
        topicArn: environment.NOTIFICATIONS_TOPIC_ARN,
        ...(environment.SECURITY_TOPIC_ARN ? { securityTopicArn: environment.SECURITY_TOPIC_ARN } : {}),
        ...(environment.SERVICE_ROLE_ARNS ? { serviceRoleArns: environment.SERVICE_ROLE_ARNS } : {}),
        ...extras,
      });
    }
    return runtime;
  };
}
