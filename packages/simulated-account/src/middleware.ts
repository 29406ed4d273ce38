import { AutoScalingServiceException } from "@aws-sdk/client-auto-scaling";
import { CloudWatchServiceException } from "@aws-sdk/client-cloudwatch";
import { EC2ServiceException } from "@aws-sdk/client-ec2";
import { EventBridgeServiceException } from "@aws-sdk/client-eventbridge";
import { KMSServiceException } from "@aws-sdk/client-kms";
import { OrganizationsServiceException } from "@aws-sdk/client-organizations";
import { RbinServiceException } from "@aws-sdk/client-rbin";
import { SNSServiceException } from "@aws-sdk/client-sns";
import { SQSServiceException } from "@aws-sdk/client-sqs";
import { SSMServiceException } from "@aws-sdk/client-ssm";
import { STSServiceException } from "@aws-sdk/client-sts";
import type {
  FinalizeHandler,
  FinalizeHandlerArguments,
  HandlerExecutionContext,
  MetadataBearer,
  Pluggable,
} from "@smithy/types";
import { SimApiError, UnsupportedCommandError } from "./errors";
import type { FaultInjector } from "./faults";
import { HANDLERS } from "./handlers";
import { authorizeCall } from "./iam/authorize-call";
import type { IamAuthorizer } from "./iam/authorizer";
import type { Pacing } from "./pace/pacing";
import type { SimWorld } from "./world";

type ServiceExceptionClass = typeof EC2ServiceException;

const EXCEPTION_CLASSES: Record<string, ServiceExceptionClass> = {
  EC2: EC2ServiceException,
  SNS: SNSServiceException,
  KMS: KMSServiceException,
  SSM: SSMServiceException,
  EventBridge: EventBridgeServiceException,
  "Auto Scaling": AutoScalingServiceException,
  SQS: SQSServiceException as unknown as ServiceExceptionClass,
  CloudWatch: CloudWatchServiceException as unknown as ServiceExceptionClass,
  // The pinned rbin client is older: its exception class has the same shape.
  rbin: RbinServiceException as unknown as ServiceExceptionClass,
  STS: STSServiceException as unknown as ServiceExceptionClass,
  Organizations: OrganizationsServiceException as unknown as ServiceExceptionClass,
};

/** Where a call signed with session credentials lands: the account and principal AssumeRole gave them to. */
export type CredentialRoute = (
  accessKeyId: string,
) => { backend: SimBackend; principalArn: string } | undefined;

/** The access key id of a SigV4-signed request (the Credential scope of its Authorization header). */
function signingAccessKey(request: unknown): string {
  const headers = (request as { headers?: Record<string, string> } | undefined)?.headers ?? {};
  return /Credential=([^/]+)\//.exec(headers.authorization ?? headers.Authorization ?? "")?.[1] ?? "";
}

/** Name of the middleware in the client's stack. */
export const SIMULATED_ACCOUNT_MIDDLEWARE = "simulatedAccountMiddleware";

/** What the middleware needs from the account. */
export interface SimBackend {
  world: SimWorld;
  faults: FaultInjector;
  /** evaluates the calls of governed principals before any effect */
  iam: IamAuthorizer;
  countCall(region: string, operation: string): void;
  /** told of every call the handler applied (after IAM, pacing and faults), with its input */
  countApplied?(region: string, operation: string, input: object): void;
  /** latency and EC2 token buckets on the simulated clock, when the account turned them on */
  pacing?: Pacing;
}

/** Turns a simulated error into the client's own service exception, as its deserializer would. */
function toServiceException(service: string, error: SimApiError, requestId: string): Error {
  const ExceptionClass = EXCEPTION_CLASSES[service] ?? EC2ServiceException;
  return new ExceptionClass({
    name: error.code,
    $fault: error.fault,
    $metadata: { httpStatusCode: error.httpStatusCode, requestId },
    message: error.message,
  });
}

/**
 * A plugin that answers every command of the client from the simulated account. It sits at
 * finalizeRequest/low, inside the SDK's retry middleware, so throttles and 5xx are really retried,
 * and after serialization, so the SDK still validates and builds the request.
 */
export function simulatedAccountPlugin(
  accountBackend: SimBackend,
  options: { service: string; region: () => Promise<string>; principalArn: string; route?: CredentialRoute },
): Pluggable<object, MetadataBearer> {
  const middleware =
    (_next: FinalizeHandler<object, MetadataBearer>, context: HandlerExecutionContext) =>
    async (args: FinalizeHandlerArguments<object>) => {
      const operation = (context.commandName ?? "").replace(/Command$/, "");
      const region = await options.region();
      // Credentials from a simulated AssumeRole talk to the role's account as its session (organization.ts).
      const routed = options.route?.(signingAccessKey(args.request));
      const backend = routed?.backend ?? accountBackend;
      const principalArn = routed?.principalArn ?? options.principalArn;
      const { world } = backend;
      world.region(region);
      backend.countCall(region, operation);
      if (backend.pacing && !backend.pacing.off) {
        try {
          await backend.pacing.admit(options.service, region, operation);
        } catch (error) {
          if (error instanceof SimApiError)
            throw toServiceException(options.service, error, world.ids.uuid());
          throw error;
        }
      }
      world.settle();
      const requestId = world.ids.uuid();
      const handler = HANDLERS[options.service]?.[operation];
      const call = { region, principalArn, requestId };
      // IAM decides before anything happens: a denied call has no effect and no CloudTrail event.
      const authorized = await authorizeCall(
        backend.iam,
        world,
        call,
        options.service,
        operation,
        args.input,
      );
      if (authorized.denied) throw toServiceException(options.service, authorized.denied, requestId);
      // Faults are drawn before the handler runs, so a failed attempt never applies its effect.
      const fault = backend.faults.draw(options.service, operation);
      if (fault) throw toServiceException(options.service, fault, requestId);
      if (!handler) throw new UnsupportedCommandError(options.service, `${operation}Command`);
      try {
        const output = handler(world, { ...call, ...authorized.partial }, args.input);
        backend.countApplied?.(region, operation, args.input);
        return {
          output: { ...output, $metadata: { httpStatusCode: 200, requestId } },
          response: { statusCode: 200, headers: {} },
        };
      } catch (error) {
        if (error instanceof SimApiError) throw toServiceException(options.service, error, requestId);
        throw error;
      }
    };
  return {
    applyToStack: (stack) => {
      stack.add(middleware, {
        step: "finalizeRequest",
        priority: "low",
        name: SIMULATED_ACCOUNT_MIDDLEWARE,
        override: true,
      });
    },
  };
}
