import { Logger } from "@aws-lambda-powertools/logger";
import { Metrics } from "@aws-lambda-powertools/metrics";

/**
 * One logger and metrics per container (no tracer: Lambda's active tracing records each invocation
 * without anything in the bundle; SDK-call spans come from the ADOT layer, see the README). Service name, namespace and log level come from the
 * POWERTOOLS_* variables the stacks set; Powertools reads them itself.
 */
export const logger = new Logger({ serviceName: "ami-lifecycle" });
/** EMF metrics, flushed once per invocation by the middleware. */
export const metrics = new Metrics({ namespace: "AmiLifecycle", serviceName: "ami-lifecycle" });
