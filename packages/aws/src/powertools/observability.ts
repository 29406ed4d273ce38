import { Logger } from "@aws-lambda-powertools/logger";
import { Metrics } from "@aws-lambda-powertools/metrics";
import { Tracer } from "@aws-lambda-powertools/tracer";

/**
 * One logger, metrics and tracer per container. Service name, namespace and log level come from the
 * POWERTOOLS_* variables the stacks set; Powertools reads them itself.
 */
export const logger = new Logger({ serviceName: "ami-lifecycle" });
/** EMF metrics, flushed once per invocation by the middleware. */
export const metrics = new Metrics({ namespace: "AmiLifecycle", serviceName: "ami-lifecycle" });
/** X-Ray tracer; inert outside Lambda. */
export const tracer = new Tracer({ serviceName: "ami-lifecycle" });
